"""What may be uploaded as evidence: a few document and image types, checked by content, not by name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    magic: tuple[bytes, ...]


ALLOWED = {
    "pdf": Kind("PDF", "application/pdf", (b"%PDF-",)),
    "jpg": Kind("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": Kind("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "png": Kind("PNG", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "docx": Kind(
        "Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)
    ),
    "xlsx": Kind(
        "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)
    ),
}


class EvidenceRejected(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_upload(name: str, head: bytes, size: int, max_bytes: int) -> Kind:
    """The kind of an upload from its name, first bytes and size; EvidenceRejected (Thai) if refused."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = ALLOWED.get(suffix)
    if kind is None:
        allowed = ", ".join(sorted({k.upper() for k in ALLOWED if k != "jpeg"}))
        raise EvidenceRejected(f"ไฟล์ “{name}” เป็นชนิดที่ไม่รับ (รับเฉพาะ {allowed})")
    if size > max_bytes:
        raise EvidenceRejected(
            f"ไฟล์ “{name}” มีขนาด {size / 1048576:.1f} MB เกินกำหนด {max_bytes / 1048576:.0f} MB"
        )
    if size == 0:
        raise EvidenceRejected(f"ไฟล์ “{name}” ว่างเปล่า")
    if not any(head.startswith(magic) for magic in kind.magic):
        raise EvidenceRejected(f"เนื้อไฟล์ “{name}” ไม่ใช่ {kind.label} ตามนามสกุล")
    return kind
