"""Word working copies of the documents (.docx): the same HTML the PDF is made from, walked into
paragraphs, headings, lists and tables with python-docx, so the words, numbers and digits are the
PDF's; charts are named, not drawn. Thai in TH Sarabun New 16 pt (Word falls back to its own Thai
font where it is missing), and a line on top saying that this is a copy to edit, while the
published document is the portal's PDF. The only module that imports python-docx."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from docx import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

FONT = "TH Sarabun New"
SIZE = Pt(16)
WORKING_COPY = "ฉบับทำงานสำหรับแก้ไข (Word) · เอกสารที่เผยแพร่คือไฟล์ PDF จาก ITA Portal"
SKIPPED = {"script", "style", "head", "title", "nav", "button", "form", "noscript"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
BLOCKS = {"p", "div", "li", "section", "article", "header", "footer", "figure", "figcaption", "blockquote"}
SPACE = re.compile(r"\s+")


def _thai_font(style) -> None:
    """``style``'s font for Latin and for Thai (Word's complex-script font and size)."""
    style.font.name, style.font.size = FONT, SIZE
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    size = style.element.get_or_add_rPr()
    sz_cs = size.find(qn("w:szCs"))
    if sz_cs is None:
        sz_cs = size.makeelement(qn("w:szCs"), {})
        size.append(sz_cs)
    sz_cs.set(qn("w:val"), str(int(SIZE.pt * 2)))


class _Walker(HTMLParser):
    """Text into the Word document as it comes: a block starts a paragraph, a heading a heading,
    a list item a bullet, a table's rows and cells a Word table (made when the table closes)."""

    def __init__(self, word):
        super().__init__(convert_charrefs=True)
        self.word, self.paragraph, self.skipping = word, None, 0
        self.style, self.bold = None, 0
        self.tables: list[list[list[str]]] = []  # the open tables' rows of cell texts

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        elif self.skipping:
            return
        elif tag == "svg":
            self.skipping += 1
            self._text("[แผนภาพ: ดูได้ในฉบับ PDF]")
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]:
            self.tables[-1][-1].append("")
        elif tag == "br":
            if self.tables and self.tables[-1] and self.tables[-1][-1]:
                self.tables[-1][-1][-1] += "\n"
            elif self.paragraph is not None:
                self.paragraph.add_run().add_break()
        elif tag in ("b", "strong"):
            self.bold += 1
        elif tag in HEADINGS or tag in BLOCKS:
            self.paragraph = None
            self.style = (
                ("heading", HEADINGS[tag]) if tag in HEADINGS else ("List Bullet" if tag == "li" else None)
            )

    def handle_endtag(self, tag):
        if tag in SKIPPED or tag == "svg":
            self.skipping = max(0, self.skipping - 1)
        elif self.skipping:
            return
        elif tag == "table" and self.tables:
            self._table(self.tables.pop())
        elif tag in ("b", "strong"):
            self.bold = max(0, self.bold - 1)
        elif tag in HEADINGS or tag in BLOCKS:
            self.paragraph, self.style = None, None

    def handle_data(self, data):
        if not self.skipping:
            self._text(data)

    def _text(self, data: str) -> None:
        text = SPACE.sub(" ", data)
        if not text.strip():
            return
        if self.tables and self.tables[-1] and self.tables[-1][-1]:
            self.tables[-1][-1][-1] += text
            return
        if self.paragraph is None:
            if self.style and self.style[0] == "heading":
                self.paragraph = self.word.add_heading(level=self.style[1])
            else:
                self.paragraph = self.word.add_paragraph(style=self.style)
            text = text.lstrip()
        self.paragraph.add_run(text).bold = bool(self.bold) or None

    def _table(self, rows: list[list[str]]) -> None:
        rows = [row for row in rows if any(cell.strip() for cell in row)]
        if not rows:
            return
        width = max(len(row) for row in rows)
        table = self.word.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = "\n".join(line.strip() for line in text.strip().splitlines())
        self.paragraph = None


def docx_bytes(html: str) -> bytes:
    """The document's HTML as a Word file."""
    word = WordDocument()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "List Bullet"):
        _thai_font(word.styles[name])
    marker = word.add_paragraph()
    run = marker.add_run(WORKING_COPY)
    run.italic, run.font.color.rgb = True, RGBColor(0x80, 0x1F, 0x1F)
    _Walker(word).feed(html)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
