"""Writes for the documents (a package: ``memo`` — what the documents print that the records cannot
tell; ``publishing`` — rendering and freezing; ``signing`` — the executive's signed copies;
``withdrawal`` — taking down what was published by mistake)."""

from .memo import (
    ANNOUNCEMENT_FIELDS,
    GARUDA_MAX_PIXELS,
    GARUDA_TYPES,
    MEMO_FIELDS,
    Signer,
    announcement_defaults,
    announcement_save,
    check_garuda,
    document_options_set,
    memo_defaults,
    memo_save,
    organisation_garuda_set,
)
from .publishing import (
    PublishRefused,
    Rendered,
    TamperedFile,
    document_publish,
    document_render,
    public_file,
    published_bytes,
    records_state,
)
from .signing import check_scan, signed_copy_publish, signed_copy_upload
from .withdrawal import REASON_MIN_LENGTH, WithdrawRefused, document_withdraw, evidence_withdraw

__all__ = [
    "ANNOUNCEMENT_FIELDS",
    "announcement_defaults",
    "announcement_save",
    "GARUDA_MAX_PIXELS",
    "GARUDA_TYPES",
    "MEMO_FIELDS",
    "PublishRefused",
    "Rendered",
    "Signer",
    "TamperedFile",
    "check_garuda",
    "document_options_set",
    "document_publish",
    "document_render",
    "memo_defaults",
    "memo_save",
    "organisation_garuda_set",
    "public_file",
    "published_bytes",
    "check_scan",
    "signed_copy_publish",
    "signed_copy_upload",
    "records_state",
    "REASON_MIN_LENGTH",
    "WithdrawRefused",
    "document_withdraw",
    "evidence_withdraw",
]
