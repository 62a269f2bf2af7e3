"""What a published PDF says, read from its text layer with pypdf: each page's text, and the text in
its top margin (page numbers) and its bottom-right corner (continuation words), by position."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pypdf import PdfReader

MARGIN = 2.0 / 2.54 * 72  # the documents' 2 cm margins, in PDF points


def normalised(text: str) -> str:
    """WeasyPrint draws ำ as two glyphs; compare texts with it written as นิคหิต + สระอา."""
    return text.replace("ำ", "ํา")


@dataclass
class PdfPage:
    text: str
    top: list[str] = field(default_factory=list)  # texts in the top margin
    bottom_right: list[str] = field(default_factory=list)  # texts in the bottom margin's right half


def pdf_pages(data: bytes) -> list[PdfPage]:
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        found = PdfPage(text="")

        def visit(text, cm, tm, _font, _size, found=found, width=width, height=height):
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if y > height - MARGIN:
                found.top.append(text.strip())
            elif y < MARGIN and x > width / 2:
                found.bottom_right.append(text.strip())

        found.text = page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages
