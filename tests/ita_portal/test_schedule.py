"""The portal's own schedule under a test clock: an entry is queued when its time comes, once,
however many workers tick; a worker that was down catches up with the latest missed time once; a
first start does not run the night's work at noon; every declared task exists. And the nightly
pruning keeps what is still needed."""

from __future__ import annotations

import datetime
import threading
import zoneinfo

import pytest
from django.db import connection
from django_tasks.base import Task

from ita_portal import schedule
from ita_portal.models import ScheduledRun
from tests.concurrency import on_fresh_sqlite

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
NIGHTLY = schedule.Entry("test-nightly", "15 2 * * *", "ita_portal.scheduled.prune")
EVERY_TEN = schedule.Entry("test-ten", "*/10 * * * *", "ita_portal.scheduled.prune")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=BANGKOK)


def test_every_declared_task_exists_and_takes_no_arguments():
    from django.utils.module_loading import import_string

    names = [entry.name for entry in schedule.SCHEDULE]
    assert len(names) == len(set(names))
    for entry in schedule.SCHEDULE:
        assert isinstance(import_string(entry.task), Task), entry.task
        assert schedule.latest_time(entry.cron, at(6, 12), at(4, 12)) is not None


@pytest.mark.django_db
def test_an_entry_runs_at_its_time_once_and_catches_up_once():
    ScheduledRun.objects.create(name=NIGHTLY.name, slot=at(1, 2, 15))
    assert schedule.tick(at(2, 2, 14), schedule=[NIGHTLY]) == []  # not yet
    assert schedule.tick(at(2, 2, 15), schedule=[NIGHTLY]) == [NIGHTLY.name]
    assert schedule.tick(at(2, 2, 15), schedule=[NIGHTLY]) == []  # the same time: once
    assert schedule.tick(at(2, 9, 0), schedule=[NIGHTLY]) == []
    # Down from the 2nd to the 5th at 09:00: the 5th's 02:15 runs, once, not the three missed.
    assert schedule.tick(at(5, 9, 0), schedule=[NIGHTLY]) == [NIGHTLY.name]
    assert schedule.tick(at(5, 9, 1), schedule=[NIGHTLY]) == []
    assert list(ScheduledRun.objects.filter(name=NIGHTLY.name).values_list("slot", flat=True)) == [
        at(1, 2, 15),
        at(2, 2, 15),
        at(5, 2, 15),
    ]
    assert ScheduledRun.objects.get(slot=at(5, 2, 15)).task_id  # queued, with the task's id kept


@pytest.mark.django_db
def test_a_first_start_at_noon_does_not_run_the_nights_work():
    assert schedule.tick(at(6, 12, 0), schedule=[NIGHTLY, EVERY_TEN]) == [EVERY_TEN.name]
    assert not ScheduledRun.objects.filter(name=NIGHTLY.name).exists()
    # Never run yet: only a time of the last 15 minutes is taken.
    assert schedule.tick(at(7, 2, 40), schedule=[NIGHTLY]) == []
    assert schedule.tick(at(8, 2, 25), schedule=[NIGHTLY]) == [NIGHTLY.name]
    assert schedule.tick(at(9, 8, 0), schedule=[NIGHTLY]) == [NIGHTLY.name]  # from then on, caught up


@pytest.mark.django_db
def test_the_mornings_reminders_run_from_the_schedule(org):
    from notifications.models import Notification
    from tests.factories import plan_with_measures

    plan_with_measures(org)
    entry = next(entry for entry in schedule.SCHEDULE if entry.name == "reminders")
    ScheduledRun.objects.create(name=entry.name, slot=at(1, 7))
    # The reminders read today's date: the plan of 2569 has measures past their end by now.
    assert schedule.tick(at(6, 7, 0), schedule=[entry]) == ["reminders"]
    assert Notification.objects.filter(kind="measure_late").exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_ticking_at_once_queue_one_run_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("threads need a database that is not in memory: SQLite is tested below")
    from django_tasks_db.models import DBTaskResult

    start, outcomes = threading.Barrier(8), []

    def worker(n):
        try:
            start.wait()
            outcomes.extend(schedule.tick(at(6, 2, 15), worker=f"w{n}", schedule=[EVERY_TEN]))
        finally:
            connection.close()

    ScheduledRun.objects.create(name=EVERY_TEN.name, slot=at(6, 2, 0))
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == [EVERY_TEN.name]
    assert ScheduledRun.objects.filter(name=EVERY_TEN.name).count() == 2
    assert DBTaskResult.objects.count() in (0, 1)  # the test settings run tasks at once


TWO_WORKERS_ON_SQLITE = r"""
import datetime, json, threading, zoneinfo
from django.db import DatabaseError, connection
from django_tasks_db.models import DBTaskResult
from ita_portal import schedule
from ita_portal.models import ScheduledRun

entry = schedule.Entry("test-ten", "*/10 * * * *", "ita_portal.scheduled.prune")
now = datetime.datetime(2026, 12, 6, 2, 15, tzinfo=zoneinfo.ZoneInfo("Asia/Bangkok"))
ScheduledRun.objects.create(name=entry.name, slot=now - datetime.timedelta(minutes=15))
connection.close()
start, outcomes = threading.Barrier(8), []

def worker(n):
    try:
        start.wait()
        outcomes.append("queued" if schedule.tick(now, worker=f"w{n}", schedule=[entry]) else "skipped")
    except DatabaseError:
        outcomes.append("postponed")  # run_worker tries again at its next beat
    finally:
        connection.close()

threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
for t in threads: t.start()
for t in threads: t.join()
again = schedule.tick(now + datetime.timedelta(seconds=15), worker="late", schedule=[entry])
print(json.dumps({"queued": outcomes.count("queued"), "again": again,
                  "runs": ScheduledRun.objects.filter(name=entry.name).count(),
                  "tasks": DBTaskResult.objects.count()}))
"""


@pytest.mark.slow
def test_two_workers_ticking_at_once_queue_one_run_on_sqlite(tmp_path):
    result = on_fresh_sqlite(tmp_path, TWO_WORKERS_ON_SQLITE)
    assert result == {"queued": 1, "again": [], "runs": 2, "tasks": 1}
