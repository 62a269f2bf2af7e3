from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "organisation", "role", "sent_at", "accepted_at", "cancelled_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["nonce", "sent_at", "accepted_at", "accepted_by", "cancelled_at", "invited_by"]
