"""Creating never crashes, and no save skips the stale check.

Ten people saving the first version of one record at the same moment (an assessment, a memo, an
announcement): one save goes through, the other nine are refused with the Thai stale message —
never a 500 or a crash on the unique constraint. On PostgreSQL the ten threads run in this process
against the test database; on SQLite, whose test database lives in memory, they run in a
subprocess against a file, as a server would. A post without the version of the record the form
showed is refused like a stale one, in Thai, and changes nothing.
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from assessments.choices import Role
from assessments.models import Assessment, FiscalYear
from assessments.services import ScoreSheet, assessment_save_scores
from ita_portal.forms import VERSION_MISSING
from ita_portal.stale import StaleEdit
from reports import services as report_services
from reports.models import Announcement, Memo
from tests.concurrency import on_fresh_sqlite
from tests.factories import KHOKMON_2568, OrganisationFactory, make_approved_plan, make_assessment, member

CREATORS = 10

MEMO = {
    "department": "สำนักปลัด",
    "number": "นม 1/2569",
    "date": datetime.date(2026, 11, 20),
    "subject": "",
    "addressee": "นายก",
    "author_name": "นางสาวสมใจ ใจดี",
    "author_position": "นักวิเคราะห์",
    "decision_name": "นายสมชาย รักษ์ถิ่น",
    "decision_position": "นายก",
}


def at_once(save) -> list[str]:
    """Run ``save(n)`` in CREATORS threads released together; what each ended with."""
    start = threading.Barrier(CREATORS)
    outcomes: list[str] = [""] * CREATORS

    def run(n):
        try:
            start.wait()
            save(n)
            outcomes[n] = "saved"
        except StaleEdit as exc:
            outcomes[n] = "stale" if "ไปก่อนท่าน" in exc.messages[0] else repr(exc)
        except Exception as exc:  # noqa: BLE001 — a crash, counted and shown
            outcomes[n] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(CREATORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


ONE_SAVED = ["saved"] + ["stale"] * (CREATORS - 1)


@pytest.mark.django_db(transaction=True)
def test_ten_first_saves_at_once_on_postgresql(settings):
    if connection.vendor != "postgresql":
        pytest.skip("threads need a database that is not in memory: SQLite is tested below")
    from django.core.management import call_command

    call_command("load_framework", "2568", verbosity=0)
    call_command("load_measure_templates", verbosity=0)
    organisation = OrganisationFactory()
    year = FiscalYear.objects.get(year=2568)
    numbers = sorted(year.indicators.values_list("number", flat=True))

    def assessment(n):
        sheet = ScoreSheet(indicators={i: Decimal(80 + n) for i in numbers})
        assessment_save_scores(
            organisation=organisation, fiscal_year=year, sheet=sheet, user=None, expected_version=0
        )

    assert at_once(assessment) == ONE_SAVED
    assert Assessment.objects.filter(organisation=organisation).count() == 1

    plan, wg = make_approved_plan(OrganisationFactory())

    def memo(n):
        report_services.memo_save(
            plan=plan, user=wg, fields={**MEMO, "number": f"นม {n}/2569"}, signers=[], expected_version=0
        )

    def announcement(n):
        fields = {"date": None, "signer_name": f"ผู้ลงนาม {n}", "signer_position": "นายก"}
        report_services.announcement_save(plan=plan, user=wg, fields=fields, expected_version=0)

    assert at_once(memo) == ONE_SAVED and Memo.objects.filter(plan=plan).count() == 1
    assert at_once(announcement) == ONE_SAVED and Announcement.objects.filter(plan=plan).count() == 1


SQLITE_CREATORS = r"""
import json, threading, datetime
from decimal import Decimal
from django.db import connection
from assessments.models import FiscalYear, Organisation
from assessments.services import ScoreSheet, assessment_save_scores
from ita_portal.stale import StaleEdit

year = FiscalYear.objects.get(year=2568)
numbers = sorted(year.indicators.values_list("number", flat=True))
organisation = Organisation.objects.create(name="อบต.ร่วม", org_type="sao", district="ก", province="ข")
connection.close()
start = threading.Barrier(10)
outcomes = []

def save(n):
    try:
        start.wait()
        sheet = ScoreSheet(indicators={i: Decimal(80 + n) for i in numbers})
        assessment_save_scores(organisation=organisation, fiscal_year=year, sheet=sheet, user=None, expected_version=0)
        outcomes.append("saved")
    except StaleEdit as exc:
        outcomes.append("stale" if "ไปก่อนท่าน" in exc.messages[0] else repr(exc))
    except Exception as exc:
        outcomes.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=save, args=(n,)) for n in range(10)]
for t in threads: t.start()
for t in threads: t.join()
from assessments.models import Assessment
print(json.dumps({"outcomes": sorted(outcomes), "assessments": Assessment.objects.count()}))
"""


@pytest.mark.slow
def test_ten_first_saves_at_once_on_sqlite(tmp_path):
    result = on_fresh_sqlite(tmp_path, SQLITE_CREATORS)
    assert result == {"outcomes": ONE_SAVED, "assessments": 1}


# --- A post without its version ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_score_form_posted_without_its_version_is_refused_and_changes_nothing(client):
    organisation = OrganisationFactory()
    assessment = make_assessment(organisation)
    client.force_login(member(organisation, Role.STAFF))
    values = {f"indicator_{n}": "70" for n in range(1, 11)}
    response = client.post(reverse("assessments:assessment-update", args=[assessment.pk]), values)
    assert response.status_code == 200 and VERSION_MISSING in response.content.decode()
    assert 'name="indicator_1" value="70"' in response.content.decode()  # what was typed is kept
    assert str(Assessment.objects.get(pk=assessment.pk).indicator_scores.get(indicator__number=1).score) == (
        KHOKMON_2568[0] + ".00"
    )


@pytest.mark.django_db
def test_a_memo_or_announcement_posted_without_its_version_is_refused(client):
    plan, wg = make_approved_plan(OrganisationFactory())
    report_services.memo_save(plan=plan, user=wg, fields=MEMO, signers=[])
    client.force_login(wg)
    data = {
        **MEMO,
        "date": "20/11/2569",
        "number": "นม 9/2569",
        "signers-TOTAL_FORMS": "0",
        "signers-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("reports:memo-update", args=[plan.pk]), data)
    assert response.status_code == 200 and VERSION_MISSING in response.content.decode()
    assert Memo.objects.get(plan=plan).number == "นม 1/2569"
    fields = {"date": "", "signer_name": "นายสมชาย รักษ์ถิ่น", "signer_position": "นายก"}
    response = client.post(reverse("reports:announcement-update", args=[plan.pk]), fields)
    assert response.status_code == 200 and VERSION_MISSING in response.content.decode()
    assert not Announcement.objects.exists()
