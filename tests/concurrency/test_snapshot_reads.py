"""Reads that span statements see one snapshot.

The dashboard's frames read the assessments in one statement and their scores in another. A
result committed in between — here by another connection, exactly between the two reads — must be
seen whole or not at all: the frames hold the scores as they were when the results were read, and
none of an assessment the results do not hold (which once raised IndexError on the national page).
On PostgreSQL the writer is a thread of this process; on SQLite, whose test database lives in
memory, the whole scene runs in a subprocess against a file in WAL mode, as a server would.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from assessments.models import Assessment, IndicatorScore, Organisation
from insights import dashboard
from tests.concurrency import on_fresh_sqlite
from tests.factories import OrganisationFactory, make_assessment


def commit_between_reads(monkeypatch, write):
    """Run ``write`` in another thread (its own connection, committed) just before the scores are
    read — after the organisations and results were."""
    read_scores = dashboard._indicator_scores

    def between(*args, **kwargs):
        failure = []

        def run():
            try:
                write()
            except Exception as exc:  # noqa: BLE001 — shown by the assertion below
                failure.append(repr(exc))
            finally:
                connection.close()

        writer = threading.Thread(target=run)
        writer.start()
        writer.join()
        assert failure == []
        return read_scores(*args, **kwargs)

    monkeypatch.setattr(dashboard, "_indicator_scores", between)


@pytest.mark.django_db(transaction=True)
def test_a_result_saved_between_the_dashboards_reads_is_seen_whole_or_not_at_all(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("a second connection needs a database that is not in memory: SQLite is tested below")
    from django.core.management import call_command

    call_command("load_framework", "2568", verbosity=0)
    first = make_assessment(OrganisationFactory())
    before = float(first.indicator_scores.get(indicator__number=1).score)

    def write():
        make_assessment(OrganisationFactory())  # a new result: its row and its scores
        IndicatorScore.objects.filter(assessment=first, indicator__number=1).update(score=Decimal("12.00"))

    commit_between_reads(monkeypatch, write)
    frames = dashboard.read_frames(Organisation.objects.all())

    assert list(frames.results["assessment"]) == [first.pk]
    assert set(frames.scores["organisation"]) == {first.organisation_id}
    assert frames.scores.query("indicator == 1")["score"].tolist() == [before]  # not 12.0
    # Read again, the committed result is there whole.
    monkeypatch.undo()
    again = dashboard.read_frames(Organisation.objects.all())
    assert len(again.results) == 2 and set(again.scores["organisation"]) == set(again.results["organisation"])
    assert 12.0 in again.scores.query("indicator == 1")["score"].tolist()
    assert Assessment.objects.count() == 2


SQLITE_SCENE = r"""
import json, threading
from decimal import Decimal
from django.db import connection
from insights import dashboard
from assessments.models import FiscalYear, IndicatorScore, Organisation
from assessments.services import ScoreSheet, assessment_save_scores

year = FiscalYear.objects.get(year=2568)
numbers = sorted(year.indicators.values_list("number", flat=True))

def save(name, value):
    organisation = Organisation.objects.create(name=name, org_type="sao", district="ก", province="ข")
    sheet = ScoreSheet(indicators={n: Decimal(value) for n in numbers})
    return assessment_save_scores(organisation=organisation, fiscal_year=year, sheet=sheet, user=None)

first = save("อบต.ก่อน", "80")
read_scores = dashboard._indicator_scores
failure = []

def write():
    try:
        save("อบต.ระหว่าง", "90")
        IndicatorScore.objects.filter(assessment=first, indicator__number=1).update(score=Decimal("12.00"))
    except Exception as exc:
        failure.append(repr(exc))
    finally:
        connection.close()

def between(*args, **kwargs):
    writer = threading.Thread(target=write)
    writer.start()
    writer.join()
    return read_scores(*args, **kwargs)

dashboard._indicator_scores = between
frames = dashboard.read_frames(Organisation.objects.all())
dashboard._indicator_scores = read_scores
again = dashboard.read_frames(Organisation.objects.all())
print(json.dumps({
    "failure": failure,
    "results": len(frames.results),
    "organisations": sorted(set(frames.scores["organisation"].tolist())) == [first.organisation_id],
    "first": frames.scores.query("indicator == 1")["score"].tolist(),
    "again": len(again.results),
}))
"""


@pytest.mark.slow
def test_a_result_saved_between_the_dashboards_reads_on_sqlite(tmp_path):
    result = on_fresh_sqlite(tmp_path, SQLITE_SCENE)
    # The writer was not held back by the read (no "database is locked"), and the read did not see it.
    assert result == {
        "failure": [],
        "results": 1,
        "organisations": True,
        "first": [80.0],
        "again": 2,
    }
