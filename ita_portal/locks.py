"""Creating a record that must exist at most once, when two people may create it at the same time.

A ``select_for_update`` on a row that does not exist yet locks nothing, so two simultaneous first
saves would both create it and the second would crash on the unique constraint. Locking the row it
belongs to (the plan of a memo, the organisation of an assessment) first makes the second save wait
for the first and then see it, so it is refused like any stale save, in Thai, with what was typed
kept. SQLite serialises writers already (IMMEDIATE transactions); the lock is for PostgreSQL.
"""

from __future__ import annotations

from django.db import models, transaction


def hold(instance: models.Model) -> None:
    """Lock ``instance``'s row until the current transaction ends (call inside one)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hold() needs a transaction")
    list(type(instance)._default_manager.select_for_update().filter(pk=instance.pk).values_list("pk"))
