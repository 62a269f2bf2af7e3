"""The documents' views (a package: ``documents`` — a plan's documents, publishing and signed
copies; ``details`` — what the records cannot tell; ``batch``; ``withdrawal``; ``public`` — without
login)."""

from .batch import DocumentBatchView
from .details import AnnouncementUpdateView, MemoUpdateView, OrganisationGarudaView
from .documents import (
    DocumentDocxView,
    DocumentHtmlView,
    DocumentOptionsView,
    DocumentPdfView,
    DocumentPublishView,
    DocumentVersionView,
    PlanDocumentsView,
    SignedCopyPublishView,
    SignedCopyUploadView,
)
from .public import (
    PublicOrganisationView,
    PublishedEvidenceView,
    PublishedFileView,
    PublishedLatestView,
    public_latest_url,
)
from .withdrawal import DocumentWithdrawView, EvidenceWithdrawView

__all__ = [
    "AnnouncementUpdateView",
    "DocumentBatchView",
    "DocumentHtmlView",
    "DocumentOptionsView",
    "DocumentDocxView",
    "DocumentPdfView",
    "DocumentPublishView",
    "DocumentVersionView",
    "DocumentWithdrawView",
    "EvidenceWithdrawView",
    "MemoUpdateView",
    "OrganisationGarudaView",
    "PlanDocumentsView",
    "PublicOrganisationView",
    "PublishedEvidenceView",
    "PublishedFileView",
    "PublishedLatestView",
    "SignedCopyPublishView",
    "SignedCopyUploadView",
    "public_latest_url",
]
