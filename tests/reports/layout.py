"""The layout rules a published document keeps, checked page by page on WeasyPrint's laid-out
pages — the boxes the PDF is drawn from, so a page here is a page of the PDF.

- a heading (h1–h3) has at least two lines of what follows on its page, unless its part of the
  document (a ``.sheet``, which starts a page) ends before that;
- a table split over pages keeps at least two of its rows on each page (a lone row is a widow);
- no page holds a lone line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from weasyprint.formatting_structure import boxes

HEADINGS = {"h1", "h2", "h3"}


@dataclass
class Page:
    number: int
    # (what: "heading"/"text", its text, the .sheet it belongs to)
    lines: list[tuple[str, str, int]] = field(default_factory=list)
    table_rows: dict[int, int] = field(default_factory=dict)  # id(table element) → body rows here


def _text(line) -> str:
    out = []

    def walk(box):
        if isinstance(getattr(box, "text", None), str):
            out.append(box.text)
        for child in getattr(box, "children", ()) or ():
            walk(child)

    walk(line)
    return "".join(out)


def _walk(box, page: Page, heading: bool, table, sheet: int) -> None:
    if isinstance(box, boxes.MarginBox):
        return  # page numbers, the draft mark, continuation words: not the page's content
    tag = getattr(box, "element_tag", None)
    element = getattr(box, "element", None)
    if element is not None and "sheet" in (element.get("class") or "").split():
        sheet = id(element)
    if isinstance(box, boxes.BlockBox) and tag in HEADINGS:
        heading = True
    if isinstance(box, boxes.TableBox):
        table = id(box.element)
    if isinstance(box, boxes.TableRowGroupBox) and box.is_header:
        return  # the header repeated on every page of a table
    if isinstance(box, boxes.TableRowBox) and table is not None:
        page.table_rows[table] = page.table_rows.get(table, 0) + 1
    if isinstance(box, boxes.LineBox):
        if any(isinstance(child, boxes.ReplacedBox) for child in box.children):
            page.lines.append(("figure", "", sheet))  # a chart or a picture: content, not a lone line
            return
        text = _text(box).strip()
        if text:
            page.lines.append(("heading" if heading else "text", text, sheet))
        return
    for child in getattr(box, "children", ()) or ():
        _walk(child, page, heading, table, sheet)


def pages_of(document) -> list[Page]:
    """The content of each laid-out page (``reports.pdf.layout(html)``)."""
    pages = []
    for number, laid in enumerate(document.pages, start=1):
        page = Page(number)
        _walk(laid._page_box, page, False, None, 0)
        pages.append(page)
    return pages


def table_sizes(pages: list[Page]) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for page in pages:
        for table, rows in page.table_rows.items():
            sizes[table] = sizes.get(table, 0) + rows
    return sizes


def violations(document) -> list[str]:
    """Every breach of the rules above, as "page N: what", or [] for a document that keeps them."""
    pages = pages_of(document)
    sizes = table_sizes(pages)
    found = []
    for index, page in enumerate(pages):
        later = {sheet for other in pages[index + 1 :] for _w, _t, sheet in other.lines}
        for position, (what, text, sheet) in enumerate(page.lines):
            if what != "heading":
                continue
            following = [t for w, t, s in page.lines[position + 1 :] if w == "text" and s == sheet]
            if len(following) < 2 and sheet in later:
                found.append(
                    f"page {page.number}: heading “{text[:40]}” with {len(following)} lines after it"
                )
        for table, rows in page.table_rows.items():
            if rows == 1 and sizes[table] > 1:
                found.append(f"page {page.number}: a lone row of a table of {sizes[table]} rows")
        if len(page.lines) == 1 and page.lines[0][0] == "text":
            found.append(f"page {page.number}: a lone line “{page.lines[0][1][:40]}”")
    return found
