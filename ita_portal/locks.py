"""Creating a record that must exist at most once, when two people may create it at the same time.

A ``select_for_update`` on a row that does not exist yet locks nothing, so two simultaneous first
saves would both create it and the second would crash on the unique constraint. Locking the row it
belongs to (the plan of a memo, the organisation of an assessment) first makes the second save wait
for the first and then see it, so it is refused like any stale save, in Thai, with what was typed
kept. SQLite serialises writers already (IMMEDIATE transactions); the lock is for PostgreSQL.

``claimed`` is the other kind: work that must not be done twice at once by two processes (two
worker children rendering the same PDF), held by a row for as long as the work takes.
"""

from __future__ import annotations

import contextlib
import datetime
import time

from django.db import IntegrityError, models, transaction
from django.utils import timezone


def hold(instance: models.Model) -> None:
    """Lock ``instance``'s row until the current transaction ends (call inside one)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hold() needs a transaction")
    list(type(instance)._default_manager.select_for_update().filter(pk=instance.pk).values_list("pk"))


class ClaimTimeout(Exception):
    """Another process held the claim for longer than the caller would wait."""


@contextlib.contextmanager
def claimed(name: str, *, wait: float, lease: float, poll: float = 0.2):
    """Run the block as the only process holding ``name`` (e.g. rendering one PDF): a second
    caller waits until the first is done, then runs its block (which should find the work done).
    A claim older than ``lease`` seconds is a holder that died, taken over. Works alike on SQLite
    and PostgreSQL: the claim is a row with a unique name, inserted in its own transaction, so
    nothing is locked while the block runs."""
    from .models import Claim
    from .recovery import this_worker

    deadline = time.monotonic() + wait
    while True:
        now = timezone.now()
        Claim.objects.filter(name=name, claimed_at__lt=now - datetime.timedelta(seconds=lease)).delete()
        try:
            with transaction.atomic():
                claim = Claim.objects.create(name=name, holder=this_worker(), claimed_at=now)
            break
        except IntegrityError:
            if time.monotonic() > deadline:
                raise ClaimTimeout(name) from None
            time.sleep(poll)
    try:
        yield
    finally:
        Claim.objects.filter(pk=claim.pk).delete()
