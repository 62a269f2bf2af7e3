"""What may be uploaded as evidence: a few document and image types, checked by what the file is —
not by its name or its first bytes alone.

A PDF must open as a PDF (pypdf), a picture must decode (Pillow), a Word or Excel file must be the
Office package it claims (its parts, its content types, no macros or programs inside). A file that
is two things at once (a picture with a ZIP or an HTML page after it, a PDF hiding a program) is
refused. Everything is checked before anything is written.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    magic: tuple[bytes, ...]


WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALLOWED = {
    "pdf": Kind("PDF", "application/pdf", (b"%PDF-",)),
    "jpg": Kind("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": Kind("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "png": Kind("PNG", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "docx": Kind("Word", WORD, (b"PK\x03\x04",)),
    "xlsx": Kind("Excel", EXCEL, (b"PK\x03\x04",)),
}
# What an Office package of each kind holds: its main part, and its content type as declared.
OFFICE_MAIN = {WORD: "word/document.xml", EXCEL: "xl/workbook.xml"}
# Inside a document these are programs, macros or other files in disguise: never evidence.
FORBIDDEN_PARTS = (
    ".exe",
    ".dll",
    ".bin",
    ".js",
    ".vbs",
    ".bat",
    ".cmd",
    ".ps1",
    ".scr",
    ".jar",
    ".msi",
    ".com",
)
MAX_PARTS = 10_000
MAX_UNPACKED = 200 * 1024 * 1024  # an Office file that unpacks to more is a bomb, not evidence
# What may follow the end of a picture or a PDF: nothing that is a file of its own.
TRAILING_FILES = (b"PK\x03\x04", b"%PDF-", b"<html", b"<!doctype", b"<script", b"MZ", b"\x7fELF", b"<?php")


class EvidenceRejected(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_upload(name: str, content: bytes, max_bytes: int) -> Kind:
    """The kind of an upload from its name and its whole content; EvidenceRejected (Thai) if refused."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = ALLOWED.get(suffix)
    if kind is None:
        allowed = ", ".join(sorted({k.upper() for k in ALLOWED if k != "jpeg"}))
        raise EvidenceRejected(f"ไฟล์ “{name}” เป็นชนิดที่ไม่รับ (รับเฉพาะ {allowed})")
    size = len(content)
    if size > max_bytes:
        raise EvidenceRejected(
            f"ไฟล์ “{name}” มีขนาด {size / 1048576:.1f} MB เกินกำหนด {max_bytes / 1048576:.0f} MB"
        )
    if size == 0:
        raise EvidenceRejected(f"ไฟล์ “{name}” ว่างเปล่า")
    if not any(content.startswith(magic) for magic in kind.magic):
        raise EvidenceRejected(f"เนื้อไฟล์ “{name}” ไม่ใช่ {kind.label} ตามนามสกุล")
    problem = _what_is_wrong(kind, content)
    if problem:
        raise EvidenceRejected(f"ไฟล์ “{name}” {problem}")
    return kind


def _what_is_wrong(kind: Kind, content: bytes) -> str:
    if kind.content_type == "application/pdf":
        return _pdf_problem(content)
    if kind.content_type.startswith("image/"):
        return _picture_problem(kind, content)
    return _office_problem(kind, content)


def _pdf_problem(content: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if len(reader.pages) == 0:
            return "ไม่มีหน้าเอกสาร"
        names = reader.trailer["/Root"].get("/Names") or {}
        if "/EmbeddedFiles" in names or "/JavaScript" in names or "/OpenAction" in reader.trailer["/Root"]:
            return "มีไฟล์แนบ สคริปต์ หรือคำสั่งที่ทำงานเองซ่อนอยู่ จึงรับเป็นหลักฐานไม่ได้"
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        return "เปิดเป็น PDF ไม่ได้ (ไฟล์เสียหรือไม่ใช่ PDF)"
    end = content.rfind(b"%%EOF")
    if _zip_inside(content) or (end >= 0 and _another_file(content[end + 5 :])):
        return "มีไฟล์อื่นต่อท้ายอยู่ จึงรับเป็นหลักฐานไม่ได้"
    return ""


def _picture_problem(kind: Kind, content: bytes) -> str:
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != kind.label or image.width * image.height > 100_000_000:
                return f"ไม่ใช่รูปภาพ {kind.label} ที่เปิดได้"
            image.load()  # decodes every pixel: a damaged or truncated picture is refused
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return f"เปิดเป็นรูปภาพ {kind.label} ไม่ได้ (ไฟล์เสียหรือไม่ใช่รูปภาพ)"
    end = _picture_end(kind, content)
    if _zip_inside(content) or _html_inside(content) or (end is not None and _another_file(content[end:])):
        return "มีไฟล์อื่นซ่อนหรือต่อท้ายรูปภาพ จึงรับเป็นหลักฐานไม่ได้"
    return ""


def _picture_end(kind: Kind, content: bytes) -> int | None:
    """Where the picture's own data ends: after PNG's IEND chunk, after JPEG's last end marker."""
    if kind.label == "PNG":
        found = content.find(b"IEND")
        return found + 8 if found >= 0 else None
    found = content.rfind(b"\xff\xd9")
    return found + 2 if found >= 0 else None


def _zip_inside(content: bytes) -> bool:
    """A ZIP archive (an Office file, a program's package) behind the file's own data."""
    return zipfile.is_zipfile(io.BytesIO(content))


def _html_inside(content: bytes) -> bool:
    """An HTML page or a script anywhere in a picture (a browser told the wrong type runs it)."""
    lower = content.lower()
    return any(
        marker in lower for marker in (b"<html", b"<script", b"<!doctype", b"<?php", b"<body", b"<iframe")
    )


def _another_file(tail: bytes) -> bool:
    head = tail.lstrip(b"\x00\r\n\t ")[:512].lower()
    return any(marker.lower() in head for marker in TRAILING_FILES) or len(tail) > 1024


def _office_problem(kind: Kind, content: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            parts = package.infolist()
            if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED:
                return "เมื่อคลายออกมีขนาดใหญ่ผิดปกติ จึงรับเป็นหลักฐานไม่ได้"
            names = {p.filename for p in parts}
            if OFFICE_MAIN[kind.content_type] not in names or "[Content_Types].xml" not in names:
                return f"ไม่ใช่ไฟล์ {kind.label} (ไม่มีส่วนประกอบของเอกสาร {kind.label})"
            if kind.content_type.encode() not in package.read("[Content_Types].xml").replace(
                b".main+xml", b""
            ):
                return f"ไม่ใช่ไฟล์ {kind.label} ตามที่นามสกุลบอก"
            lowered = [name.lower() for name in names]
            if any(name.endswith(FORBIDDEN_PARTS) or "vbaproject" in name for name in lowered):
                return "มีโปรแกรมหรือมาโครซ่อนอยู่ จึงรับเป็นหลักฐานไม่ได้"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, EOFError):
        return f"เปิดเป็นไฟล์ {kind.label} ไม่ได้ (ไฟล์เสียหรือไม่ใช่ {kind.label})"
    return ""
