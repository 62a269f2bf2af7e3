"""PDFs of documents as the records are now: rendered in the background, cached by what they are
made of.

A download reads the document's key (``reports.fingerprint``: the SHA-256 of the rows it prints
and of the code that prints them, a few indexed queries, no HTML) and looks for
``documents/<plan>-<kind>-<key>.pdf`` in settings.STORAGES["work"]: made before from the same
records, so the file is served at once. Otherwise a task renders it
(``reports.tasks.render_document``) and the page shows the job's progress. Any change to the
records changes the key: an outdated PDF is never served, and storing a new one removes the
plan's older ones of that kind.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from ita_portal.storage import named_storage

PREFIX = "documents"


def storage():
    return named_storage("work")


def cache_name(plan_id: int, kind: str, key: str) -> str:
    """Where the PDF of ``key`` (``fingerprint.document_key``) is kept."""
    return f"{PREFIX}/{plan_id}-{kind}-{key}.pdf"


def cached(name: str) -> bytes | None:
    store = storage()
    if not store.exists(name):
        return None
    with store.open(name, "rb") as handle:
        return handle.read()


def store(name: str, data: bytes) -> None:
    """Keep a rendered PDF under its name, and forget the plan's older renders of that kind."""
    files = storage()
    if not files.exists(name):
        files.save(name, ContentFile(data))
    stem = name.rsplit("-", 1)[0].split("/", 1)[1] + "-"  # "<plan>-<kind>-"
    _dirs, names = files.listdir(PREFIX)
    for other in names:
        if other.startswith(stem) and f"{PREFIX}/{other}" != name:
            files.delete(f"{PREFIX}/{other}")


def prune(*, older_than: datetime.datetime, plan_ids: set[int]) -> int:
    """Remove cached PDFs of plans no longer in ``plan_ids``, and those not written since
    ``older_than`` (a newer render of the same document replaces its file, so an old file is one
    nobody has asked for since the records changed, or at all). Published documents live in
    another store and are never touched. How many were removed."""
    files = storage()
    try:
        _dirs, names = files.listdir(PREFIX)
    except FileNotFoundError:
        return 0
    removed = 0
    for short in names:
        name = f"{PREFIX}/{short}"
        plan = short.split("-", 1)[0]
        gone = not plan.isdigit() or int(plan) not in plan_ids
        if gone or files.get_modified_time(name) < older_than:
            files.delete(name)
            removed += 1
    return removed
