"""HTML → PDF. The only module of the portal that imports WeasyPrint.

Documents are rendered with ``BASE_URL`` as their base, so ``{% static %}`` paths resolve
to ``BASE_URL/static/…``; the fetcher serves exactly those from the project's static files
(and ``data:`` URLs, for the organisation's emblem) and refuses everything else, so no text
a user typed can make the server read a file or call an address.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import threading
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://ita-portal.invalid/"

logger = logging.getLogger(__name__)


class FetchRefused(ValueError):
    """A document asked for something other than a static file or a data: URL."""


class StaticFilesFetcher(URLFetcher):
    """Serves the project's static files from disk and data: URLs; refuses every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols=("https", "data"), allow_redirects=False)

    @staticmethod
    def static_path(url: str) -> str | None:
        """The static file a URL names (``css/document.css``), or None if it names none."""
        prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if not url.startswith(prefix):
            return None
        relative = unquote(urlsplit(url).path)[len(urlsplit(prefix).path) :]
        parts = PurePosixPath(relative).parts
        if not parts or any(part in ("..", ".") or "\\" in part for part in parts):
            return None
        return finders.find("/".join(parts))

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            # urllib's data: handler decodes the URL itself; nothing leaves the process.
            return super().fetch(url, headers)
        path = self.static_path(url)
        if path is None:
            raise FetchRefused(f"refused: {url[:200]}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


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


def render_pdf(html: str) -> bytes:
    """The PDF of a complete HTML document, in the bundled Sarabun."""
    with _LOCK:
        return _html(html).write_pdf(stylesheets=_font_stylesheets(), font_config=_FONT_CONFIG)


def layout(html: str):
    """WeasyPrint's laid-out document (its pages hold the boxes as they will be printed)."""
    with _LOCK:
        return _html(html).render(stylesheets=_font_stylesheets(), font_config=_FONT_CONFIG)


def page_texts(html: str) -> list[str]:
    """The text of each laid-out page, box by box, as WeasyPrint will draw it.

    Tests read this rather than the PDF's text layer, which WeasyPrint writes wrongly for ำ
    (THAI_PDF.md).
    """
    pages = []
    for page in layout(html).pages:
        texts: list[str] = []
        _collect_text(page._page_box, texts)
        pages.append(" ".join(texts))
    return pages


def _collect_text(box, texts: list[str]) -> None:
    text = getattr(box, "text", None)
    if isinstance(text, str):
        texts.append(text)
    for child in getattr(box, "children", ()) or ():
        _collect_text(child, texts)
