from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "organisation", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("text", "user__username")
    raw_id_fields = ("user", "organisation")
