"""Many-row inserts and updates with their django-simple-history rows, for imports.

Django's ``bulk_create``/``bulk_update`` (and simple-history's wrappers around them)
compile every value of every row in Python and, on SQLite, split the work into
batches of 999 parameters. Importing 8,300 organisations writes about 230,000 rows
with their history, which took 22 s that way on this machine (see the README). Here
each table gets one statement for all its rows — ``executemany`` of a prepared
INSERT on SQLite, ``COPY … FROM STDIN`` on PostgreSQL (updates: psycopg2's
``execute_batch``) — with values adapted once per distinct value. History rows are
written exactly as simple-history writes them: every tracked field,
``history_date``, ``history_type`` ("+" created, "~" changed), the user and a
change reason.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, models

PAGE_SIZE = 5000


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _adapter(field: models.Field):
    """The field's own adaptation, done once per distinct value (scores, dates and texts repeat a lot)."""
    if isinstance(field, models.ForeignKey | models.IntegerField | models.AutoField):
        return lambda value: value  # ids are passed to the driver as they are
    cache: dict = {}

    def adapt(value):
        try:
            return cache[value]
        except KeyError:
            cache[value] = adapted = field.get_db_prep_save(value, connection)
            return adapted
        except TypeError:  # unhashable
            return field.get_db_prep_save(value, connection)

    return adapt


def _execute_many(sql: str, rows: list[tuple]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_batch

            execute_batch(cursor.cursor, sql, rows, page_size=PAGE_SIZE)
        else:
            cursor.executemany(sql, rows)


def insert_rows(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT ``rows`` (attname → value; fields left out take their defaults) into ``model``'s table."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in rows[0])]
    defaults = {f.attname: _default(f) for f in fields}
    _insert(model, fields, ([row.get(name, default) for name, default in defaults.items()] for row in rows))


_NO_DEFAULT = object()


def _default(field: models.Field):
    if field.has_default():
        return field.get_default()
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return _now()
    if field.null:
        return None
    return _NO_DEFAULT


def _now() -> datetime.datetime:
    from django.utils import timezone

    return timezone.now()


def _insert(model: type[models.Model], fields: list[models.Field], values: Iterable[list]) -> None:
    adapters = [_adapter(f) for f in fields]
    rows = []
    for row in values:
        if _NO_DEFAULT in row:
            missing = [f.attname for f, v in zip(fields, row, strict=True) if v is _NO_DEFAULT]
            raise ValueError(f"{model.__name__}: no value for {missing}")
        rows.append(tuple(adapt(value) for adapt, value in zip(adapters, row, strict=True)))
    if not rows:
        return
    # Table and column names come from the models' metadata, quoted; every value is a parameter.
    target = f"{_quote(model._meta.db_table)} ({', '.join(_quote(f.column) for f in fields)})"
    if connection.vendor == "postgresql":
        _copy(target, rows)
    else:
        _execute_many(f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(fields))})", rows)  # noqa: S608


def _copy(target: str, rows: list[tuple]) -> None:
    """PostgreSQL's COPY: the rows as CSV, NULL written as \\N so that empty texts stay empty texts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([r"\N" if value is None else value for value in row])
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {target} FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)


def update_rows(model: type[models.Model], names: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> None:
    """UPDATE the fields ``names`` of each row (which carries its primary key) in ``model``'s table."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    adapters = [_adapter(f) for f in fields]
    assignments = ", ".join(f"{_quote(f.column)} = %s" for f in fields)
    pk = model._meta.pk
    sql = f"UPDATE {_quote(model._meta.db_table)} SET {assignments} WHERE {_quote(pk.column)} = %s"  # noqa: S608
    params = [
        tuple(adapt(row[f.attname]) for adapt, f in zip(adapters, fields, strict=True)) + (row[pk.attname],)
        for row in rows
    ]
    _execute_many(sql, params)


def insert_history(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    history_type: str,
    user,
    reason: str,
    when: datetime.datetime,
) -> None:
    """The simple-history rows of ``rows`` (each with every tracked field, by attname, including the pk)."""
    historical = model.history.model
    tracked = {f.attname for f in historical.tracked_fields}
    fields = [f for f in historical._meta.concrete_fields if f.attname != "history_id"]
    extra = {
        "history_date": when,
        "history_type": history_type,
        "history_change_reason": reason,
        "history_user_id": getattr(user, "pk", None),
    }
    _insert(
        historical,
        fields,
        ([row[f.attname] if f.attname in tracked else extra[f.attname] for f in fields] for row in rows),
    )


def field_values(instance: models.Model) -> dict[str, Any]:
    """Every concrete field of ``instance`` by attname, as the history rows need them."""
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
