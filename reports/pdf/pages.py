"""The laid-out pages' text, and the continuation words (คำต่อ) a government document prints at
the foot of every page that continues."""

from __future__ import annotations

from weasyprint.formatting_structure.boxes import MarginBox
from weasyprint.text.line_break import get_log_attrs

# งานสารบรรณ: at the foot of a page that continues, at the right, "/" and the first word of the next
# page ("/เรียน ปลัด..."). CSS cannot name what the next page starts with, so the document is laid
# out once, each page's first line read, and the words put in the pages' bottom-right margin boxes.
# A margin box never moves the page's content, so the second layout breaks the pages exactly as
# the first (a test checks).

CONTINUATION_MARK = "data-continuation-words"


def first_word(text: str) -> str:
    """The first word of a line as Thai is cut (libthai, through Pango), at least four characters:
    "ให้มีความสำคัญ…" → "ให้มี", "เรียน ปลัด…" → "เรียน"."""
    text = " ".join(text.split())
    if not text:
        return ""
    attrs = get_log_attrs(text, "th")
    for end in range(1, len(text) + 1):
        if attrs[end].is_word_end and len(text[:end].strip()) >= 4:
            return text[:end].strip()
    return text[:20]


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def continuation_words(html: str) -> list[str]:
    """For each page, the word its foot announces: the next page's first word, "" on the last."""
    lines = page_lines(html, margins=False)
    return [first_word(nxt[0]) if nxt else "" for nxt in [*lines[1:], []]]


def page_lines_of(page, *, margins: bool = False) -> list[str]:
    """The text boxes of one laid-out page (``layout(html).pages[n]``), margin boxes left out."""
    texts: list[str] = []
    _collect_text(page._page_box, texts, margins)
    return texts


def with_continuation_words(html: str) -> str:
    rules = "".join(
        f"@page :nth({number}) {{ @bottom-right {{ content: {_css_string('/' + word + '...')}; "
        "font-size: 11pt; vertical-align: top; }}"
        for number, word in enumerate(continuation_words(html), start=1)
        if word
    )
    return html.replace("</head>", f"<style>{rules}</style></head>", 1) if rules else html


def page_lines(html: str, *, margins: bool = True) -> list[list[str]]:
    """The text of each laid-out page as its text boxes (one line each), as WeasyPrint draws them;
    ``margins=False`` leaves out the margin boxes (page numbers, draft marks, continuation words)."""
    from . import layout  # the package, which imports this module

    return [page_lines_of(page, margins=margins) for page in layout(html).pages]


def page_texts(html: str) -> list[str]:
    """The text of each laid-out page, box by box, as WeasyPrint will draw it."""
    return [" ".join(lines) for lines in page_lines(html)]


def _collect_text(box, texts: list[str], margins: bool = True) -> None:
    if not margins and isinstance(box, MarginBox):
        return
    text = getattr(box, "text", None)
    if isinstance(text, str):
        texts.append(text)
    for child in getattr(box, "children", ()) or ():
        _collect_text(child, texts, margins)
