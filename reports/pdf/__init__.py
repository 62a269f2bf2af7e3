"""HTML → PDF. The only package of the portal that imports WeasyPrint.

Documents are rendered with ``BASE_URL`` as their base, so ``{% static %}`` paths resolve
to ``BASE_URL/static/…``; the fetcher (``fetcher.py``) serves exactly those from the project's
static files and refuses everything else. ``textlayer.py`` makes the PDF's Thai text read back
as drawn; ``pages.py`` reads the laid-out pages and adds continuation words.
"""

from __future__ import annotations

import logging
import re
import threading

import weasyprint
from django.conf import settings
from weasyprint.text.fonts import FontConfiguration

from . import pages, textlayer
from .fetcher import BASE_URL, FetchRefused, StaticFilesFetcher
from .pages import page_lines, page_texts

__all__ = [
    "ARCHIVAL_VARIANT",
    "BASE_URL",
    "FetchRefused",
    "StaticFilesFetcher",
    "layout",
    "page_lines",
    "page_texts",
    "render_pdf",
]

logger = logging.getLogger(__name__)


class _SvgPresentationNoise(logging.Filter):
    """Drop WeasyPrint's warnings about SVG paint properties in inline charts' style attributes.

    The HTML style parser does not know ``fill``, ``stroke…`` or ``text-anchor`` and says so
    for every shape, although the SVG renderer applies them. Everything else still gets through,
    so a real problem (a missing glyph, a failed load) is never hidden.
    """

    NOISE = re.compile(r"^Ignored `(fill|stroke|text-anchor)[a-z-]*:")

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.NOISE.match(record.getMessage())


logging.getLogger("weasyprint").addFilter(_SvgPresentationNoise())

# One font configuration for the whole process: without it every render leaks ~0.26 MB
# (THAI_PDF.md). WeasyPrint and fontconfig are not known to be thread-safe, so renders in
# one process take turns; a report takes well under a second.
_FONT_CONFIG = FontConfiguration()
_LOCK = threading.Lock()
_fonts: list = []  # the bundled fonts' stylesheet, parsed (and its fonts added) once


def _font_stylesheets() -> list:
    if not _fonts:
        _fonts.append(
            weasyprint.CSS(
                url=BASE_URL + settings.STATIC_URL.lstrip("/") + "css/document-fonts.css",
                font_config=_FONT_CONFIG,
                url_fetcher=StaticFilesFetcher(),
            )
        )
    return _fonts


def _html(html: str) -> weasyprint.HTML:
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())


# What a published document is written as: PDF/A-3b (archival, and able to carry files), tagged
# so that screen readers get its structure. WeasyPrint's pdf/ua-1 variant works with Thai too,
# but nothing here can validate PDF/UA, so the portal claims only PDF/A-3b.
ARCHIVAL_VARIANT = "pdf/a-3b"


def render_pdf(html: str, *, text_layer: bool = True, archival: bool = False) -> bytes:
    """The PDF of a complete HTML document, in the bundled Sarabun, with a text layer that
    reads back as the document's Thai (``textlayer.py``; ``text_layer=False`` gives
    WeasyPrint's own, for comparison). ``archival`` writes tagged PDF/A-3b; title, author,
    subject, keywords and language come from the HTML's head either way. A document whose
    ``<html>`` carries ``data-continuation-words`` gets them (``with_continuation_words``)."""
    return render_pdf_and_pages(html, text_layer=text_layer, archival=archival)[0]


def render_pdf_and_pages(html: str, *, text_layer: bool = True, archival: bool = False):
    """``render_pdf``'s PDF and WeasyPrint's laid-out document it was drawn from (what a test
    checks the layout rules on, page by page, without laying the document out twice)."""
    options = {"pdf_variant": ARCHIVAL_VARIANT, "pdf_tags": True} if archival else {}
    if pages.CONTINUATION_MARK in html[:1000]:
        html = pages.with_continuation_words(html)
    # What HTML.write_pdf does (render, then write with the known options), kept in two steps.
    options = {**weasyprint.DEFAULT_OPTIONS, "stylesheets": _font_stylesheets(), **options}
    with _LOCK, textlayer.text_layer(text_layer) as layer:
        document = _html(html).render(font_config=_FONT_CONFIG, **options)
        data = document.write_pdf(**{key: options[key] for key in weasyprint.DEFAULT_OPTIONS})
        return (layer.apply(data) if layer else data), document


def layout(html: str):
    """WeasyPrint's laid-out document (its pages hold the boxes as they will be printed)."""
    with _LOCK:
        return _html(html).render(stylesheets=_font_stylesheets(), font_config=_FONT_CONFIG)
