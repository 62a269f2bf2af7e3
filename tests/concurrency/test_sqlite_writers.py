"""SQLite, the default database, holds simultaneous writers: they wait for each other (WAL, a busy
timeout, IMMEDIATE transactions) instead of failing with "database is locked"."""

import pytest

from tests.concurrency import on_fresh_sqlite

pytestmark = pytest.mark.slow

WRITERS = r"""
import json, threading
from decimal import Decimal
from django.db import connection
from assessments.choices import OrganisationType
from assessments.models import FiscalYear, Organisation
from assessments.services import ScoreSheet, assessment_save_scores

year = FiscalYear.objects.get(year=2568)
numbers = sorted(year.indicators.values_list("number", flat=True))
shared = Organisation.objects.create(name="อบต.ร่วม", org_type=OrganisationType.SAO, district="ก", province="ข")
orgs = [
    Organisation.objects.create(name=f"อบต.ทดสอบ {n}", org_type=OrganisationType.SAO, district="ก", province="ข")
    for n in range(50)
]
connection.close()
start = threading.Barrier(50)
errors = []

def write(n):
    try:
        start.wait()
        sheet = ScoreSheet(indicators={i: Decimal(80 + (n % 20)) for i in numbers})
        # Half write their own organisation, half the same one: both kinds of contention.
        organisation = orgs[n] if n % 2 else shared
        assessment_save_scores(organisation=organisation, fiscal_year=year, sheet=sheet, user=None)
    except Exception as exc:  # noqa: BLE001 - counted and reported
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=write, args=(n,)) for n in range(50)]
for t in threads: t.start()
for t in threads: t.join()
from assessments.models import Assessment
print(json.dumps({"errors": errors, "assessments": Assessment.objects.count()}))
"""


def test_fifty_simultaneous_writes_all_succeed(tmp_path):
    result = on_fresh_sqlite(tmp_path, WRITERS)
    assert result["errors"] == []
    assert result["assessments"] == 26  # 25 organisations of their own and the shared one
