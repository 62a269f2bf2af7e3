from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Announcement,
    DocumentOptions,
    Memo,
    MemoSignatory,
    PublishedDocument,
    PublishedEvidence,
    SignedCopy,
)


class MemoSignatoryInline(admin.TabularInline):
    model = MemoSignatory
    extra = 0


@admin.register(Memo)
class MemoAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "number", "date", "updated_at"]
    inlines = [MemoSignatoryInline]


@admin.register(Announcement)
class AnnouncementAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "date", "signer_name", "updated_at"]


@admin.register(DocumentOptions)
class DocumentOptionsAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "kind", "thai_digits"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: what was published is never changed or deleted, only superseded."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublishedDocument)
class PublishedDocumentAdmin(ReadOnlyAdmin):
    list_display = [
        "organisation",
        "kind",
        "plan",
        "version",
        "published_at",
        "public_at",
        "published_by",
        "sha256",
    ]
    list_filter = ["kind"]
    search_fields = ["organisation__name", "sha256"]


@admin.register(PublishedEvidence)
class PublishedEvidenceAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "original_name", "size", "published_at", "published_by", "sha256"]
    search_fields = ["organisation__name", "original_name", "sha256"]


@admin.register(SignedCopy)
class SignedCopyAdmin(ReadOnlyAdmin):
    list_display = ["document", "original_name", "uploaded_type", "size", "uploaded_at", "uploaded_by"]
    search_fields = ["document__organisation__name", "original_name", "sha256"]
