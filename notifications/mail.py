"""Notifications by e-mail: at once (every few minutes, for those who asked) or in one morning
digest (the default); never to someone who turned it off. A send the server refuses is counted and
tried again at the next run, up to ``MAX_ATTEMPTS``, then logged as given up — the notification
stays under the bell either way."""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone

from ita_portal.mail import send_mail
from ita_portal.thai import thai_date

from .models import EmailChoice, Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def _pending(choice: str):
    wanted = Q(user__notification_preference__email=choice)
    if choice == EmailChoice.DIGEST:
        wanted |= Q(user__notification_preference__isnull=True)
    return (
        Notification.objects.filter(wanted, emailed_at__isnull=True, email_attempts__lt=MAX_ATTEMPTS)
        .exclude(user__email="")
        .order_by("user_id", "created_at", "pk")
        .values_list("pk", "user_id", "text", "url", "created_at")
    )


def _send_to(user, rows: list) -> bool:
    items = [{"text": text, "link": url, "created_at": created} for _pk, _user, text, url, created in rows]
    subject = (
        f"ITA Portal: {items[0]['text'][:120]}"
        if len(items) == 1
        else f"ITA Portal: {len(items)} เรื่องรอท่านอยู่ ({thai_date(timezone.localdate(), short=True)})"
    )
    try:
        send_mail(user.email, subject, "emails/notifications", {"user": user, "items": items})
    except (OSError, smtplib.SMTPException):
        logger.exception("notification e-mail not sent", extra={"user_id": user.pk, "count": len(items)})
        return False
    return True


def send(choice: str) -> tuple[int, int]:
    """E-mail every person of ``choice`` (immediate or digest) what is waiting for them, one
    message each; (messages sent, messages that failed)."""
    by_user = defaultdict(list)
    for row in _pending(choice).iterator(chunk_size=2000):
        by_user[row[1]].append(row)
    users = get_user_model().objects.in_bulk(list(by_user))
    sent = failed = 0
    for user_id, rows in by_user.items():
        ids = [row[0] for row in rows]
        if _send_to(users[user_id], rows):
            Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())
            sent += 1
        else:
            Notification.objects.filter(pk__in=ids).update(email_attempts=F("email_attempts") + 1)
            failed += 1
            if rows and Notification.objects.filter(pk__in=ids, email_attempts__gte=MAX_ATTEMPTS).exists():
                logger.error("notification e-mail given up", extra={"user_id": user_id, "count": len(ids)})
    return sent, failed
