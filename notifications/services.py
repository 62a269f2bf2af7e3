"""Writing notifications: who may act decides who is told (the permission table), each person is
told of an event once (the unique (user, key) pair: a second write of the same event is ignored),
and whoever asked for e-mail at once gets it from a task queued when the rows are committed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import islice

from django.db import transaction
from django.db.models import Q

from assessments.models import Membership
from ita_portal.permissions import RULES, Action

from .models import EmailChoice, Notification

BATCH = 2000


def who_may(organisation_ids: Iterable[int], action: Action | None) -> dict[int, set[int]]:
    """{organisation id: the active members whose role may take ``action`` there} — every member
    when ``action`` is None. One query, however many organisations."""
    rows = Membership.objects.filter(organisation_id__in=list(organisation_ids), user__is_active=True)
    if action is not None:
        rows = rows.filter(role__in=RULES[action])
    found: dict[int, set[int]] = defaultdict(set)
    for organisation_id, user_id in rows.values_list("organisation_id", "user_id").iterator(chunk_size=BATCH):
        found[organisation_id].add(user_id)
    return found


def notify(rows: Iterable[Notification]) -> None:
    """Write unsaved notifications (an iterable: a generator is written as it comes, ``BATCH`` at a
    time, never held whole), skipping any a person already has for that event; queue the e-mail
    of those who want it at once when the transaction commits."""
    rows, users = iter(rows), set()
    with transaction.atomic():
        while batch := list(islice(rows, BATCH)):
            Notification.objects.bulk_create(batch, ignore_conflicts=True)
            users.update(row.user_id for row in batch)
        if users and _any_immediate(users):
            transaction.on_commit(_send_pending)


def _any_immediate(users: set[int]) -> bool:
    from .models import Preference

    return Preference.objects.filter(Q(user_id__in=users) & Q(email=EmailChoice.IMMEDIATE)).exists()


def _send_pending() -> None:
    from .tasks import send_pending

    send_pending.enqueue()


def notification(
    user_id: int, kind: str, key: str, text: str, url: str, organisation_id: int | None = None
) -> Notification:
    """An unsaved notification of ``kind`` for one person about one event (``key``)."""
    return Notification(
        user_id=user_id,
        kind=kind,
        key=key[:120],
        text=text[:500],
        url=url[:500],
        organisation_id=organisation_id,
    )


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read (those of ``ids``, or all); how many changed."""
    from django.utils import timezone

    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
