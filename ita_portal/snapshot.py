"""Reads that span several statements see one state of the database.

A page that reads the assessments in one statement and their scores in the next would otherwise
see a result committed in between by halves (scores whose assessment it did not read, or new
scores beside an old overall score). Inside ``snapshot()`` every statement sees the database as
it was at the first:

- PostgreSQL is asked for a REPEATABLE READ, READ ONLY transaction;
- SQLite (in WAL mode) gives any transaction one snapshot, taken at its first read; it is begun
  DEFERRED here rather than with the IMMEDIATE of the settings, which would take the write lock
  and hold every save back for as long as the read lasts.

Inside a transaction already begun (a test's, a service's), the outer one decides. Nothing is
written inside a snapshot.
"""

from __future__ import annotations

import contextlib

from django.db import connections, transaction


@contextlib.contextmanager
def snapshot(using: str = "default"):
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        # Read by Django when the atomic block below begins its transaction (BEGIN <mode>).
        mode, connection.transaction_mode = connection.transaction_mode, "DEFERRED"
    try:
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    finally:
        if connection.vendor == "sqlite":
            connection.transaction_mode = mode
