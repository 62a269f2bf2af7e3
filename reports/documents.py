"""A document as HTML: its context rendered through its template, in Thai or Arabic digits."""

from __future__ import annotations

import hashlib
import re

from django.template.loader import render_to_string

from ita_portal.thai import to_thai_digits

from .choices import DocumentKind
from .context import Document

TEMPLATES = {
    DocumentKind.ANALYSIS: "reports/analysis.html",
    DocumentKind.MEMO: "reports/memo.html",
    DocumentKind.ANNOUNCEMENT: "reports/announcement.html",
    DocumentKind.IMPLEMENTATION: "reports/implementation.html",
}

_TAG = re.compile(r"(<[^>]*>)")
# An entity (&#x27;) stays as it is; so does a code that starts with a letter (o8, i12, e7,
# O25): "๐๘" for o8 is the slip DOMAIN.md warns about. Every other run of digits turns Thai.
_DIGITS = re.compile(r"&#?[A-Za-z0-9]+;|[A-Za-z_]*[0-9]+")
# Text that must stay as typed: CSS, scripts, links (an address's digits are part of it) and
# <samp> (a file's name).
_RAW_TEXT = re.compile(r"<(/?)(style|script|a|samp)\b", re.IGNORECASE)


def _thai_run(match: re.Match) -> str:
    text = match.group()
    if text.startswith("&") or not text[0].isdigit():
        return text
    return to_thai_digits(text)


def thai_digits_in_html(html: str) -> str:
    """Write the digits of the document's text as ๐–๙, leaving markup, CSS and codes alone."""
    out = []
    raw = False
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            opening = _RAW_TEXT.match(piece)
            if opening:
                raw = not opening.group(1)
            out.append(piece)
        elif raw:
            out.append(piece)
        else:
            out.append(_DIGITS.sub(_thai_run, piece))
    return "".join(out)


def render_html(document: Document, *, thai_digits: bool, for_pdf: bool, extra: dict | None = None) -> str:
    """The complete HTML of a document. ``for_pdf`` leaves out the portal's toolbar."""
    context = {"doc": document, "thai_digits": thai_digits, "for_pdf": for_pdf, **(extra or {})}
    html = render_to_string(TEMPLATES[document.kind], context)
    return thai_digits_in_html(html) if thai_digits else html


def digest(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()
