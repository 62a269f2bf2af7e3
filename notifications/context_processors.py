"""The bell on every page: the signed-in person's unread count (one indexed count per page). A
page drawn while the database is away (the Thai 503) draws the bell without a count."""

from django.db import DatabaseError

from .models import Notification


def bell(request) -> dict:
    user = getattr(request, "user", None)
    try:
        if user is None or not user.is_authenticated:
            return {}
        return {"unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}
    except DatabaseError:
        return {}
