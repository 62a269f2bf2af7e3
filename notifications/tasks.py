"""The notifications' scheduled work (ita_portal.schedule): the morning's reminders, the digest,
and the e-mail asked for at once (also queued when such notifications are written)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .models import EmailChoice


@task()
def remind() -> None:
    from .reminders import remind as compute

    compute(timezone.localdate())


@task()
def send_digests() -> None:
    from .mail import send

    send(EmailChoice.DIGEST)


@task()
def send_pending() -> None:
    from .mail import send

    send(EmailChoice.IMMEDIATE)
