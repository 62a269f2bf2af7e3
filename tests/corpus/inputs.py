"""The corpus's world (one organisation with an approved plan, a client per role), how each kind of
input is sent, and what a refused input must leave as it was."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from assessments.models import (
    Assessment,
    IndicatorScore,
    Membership,
    Organisation,
    Oversight,
    QuestionScore,
    ScoreImport,
)
from ita_portal.models import Job
from measures.choices import MeasureStatus
from measures.models import Evidence, Measure, ProgressUpdate
from members.models import BulkInvitation, Invitation
from notifications.models import Preference
from oit.models import LinkCheck, RegisterItem
from reports.models import Memo, MemoSignatory, PublishedDocument, PublishedEvidence
from tests.factories import scan_pdf

PDF = scan_pdf("evidence")


def counts() -> tuple:
    """Everything a refused input must leave as it was."""
    tables = (
        Assessment,
        IndicatorScore,
        QuestionScore,
        Organisation,
        ScoreImport,
        Measure,
        ProgressUpdate,
        Evidence,
        Memo,
        MemoSignatory,
        PublishedDocument,
        PublishedEvidence,
        RegisterItem,
        LinkCheck,
        Job,
        Membership,
        Invitation,
        BulkInvitation,
        Oversight,
        Preference,
    )
    files = sum(
        len(names)
        for root in (settings.EVIDENCE_ROOT, settings.PUBLISHED_ROOT)
        for _, _, names in os.walk(root)
    )
    versions = (
        tuple(Measure.objects.order_by("pk").values_list("version", flat=True))
        + tuple(Assessment.objects.order_by("pk").values_list("version", flat=True))
        + tuple(RegisterItem.objects.order_by("pk").values_list("version", flat=True))
    )
    withdrawn = tuple(
        model.objects.filter(withdrawn_at__isnull=False).count()
        for model in (PublishedDocument, PublishedEvidence)
    )
    return tuple(model.objects.count() for model in tables) + (files, versions, withdrawn)


def members_post(w: World, path: str = "", **data):
    """A post to the organisation's members pages as its administrator."""
    return w.admin.post(f"/organisations/{w.organisation.pk}/members/{path}", data)


def bulk_post(w: World, content: bytes, name: str = "people.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return w.admin.post(
        f"/organisations/{w.organisation.pk}/members/bulk/", {"file": SimpleUploadedFile(name, content)}
    )


def refused_in_thai(world, monkeypatch, name, send, status, text) -> None:
    """Send one case of the corpus: it answers ``status`` with ``text`` and writes nothing."""
    before = counts()
    response = send(world, monkeypatch)
    assert response.status_code == status, name
    body = response.content.decode(errors="replace") if "html" in response.get("Content-Type", "") else ""
    if text:
        assert text in body, name
    assert "Traceback" not in body and "Server Error" not in body
    assert counts() == before, name


@dataclass
class World:
    organisation: Organisation
    assessment: Assessment
    staff: Client
    wg: Client
    admin: Client
    admin_user: object
    plan: object
    measure: Measure
    other_assessment: Assessment
    seen: dict = field(default_factory=dict)


# --- How each kind of input is sent -----------------------------------------------------------


def scores_post(w: World, **changes):
    data = {
        f"indicator_{n}": v
        for n, v in enumerate(
            ["93.33", "96.13", "98.06", "83.87", "93.33", "97.13", "97.47", "95.74", "82.50", "85.00"],
            start=1,
        )
    }
    data["version"] = str(w.assessment.version)
    data.update(changes)
    return w.staff.post(reverse("assessments:assessment-update", args=[w.assessment.pk]), data)


def progress_post(w: World, **changes):
    data = {
        "form": "progress",
        "progress-version": w.measure.version,
        "progress-reported_on": "15/1/2569",
        "progress-status": MeasureStatus.IN_PROGRESS,
        "progress-percent": "60",
        "progress-result": "จัดอบรมแล้ว",
        "progress-links": "",
    }
    data.update({f"progress-{k}": v for k, v in changes.items()})
    return w.wg.post(reverse("measures:measure-progress", args=[w.measure.pk]), data)


def track_post(w: World, **changes):
    data = {
        "form": "track",
        "track-version": w.measure.version,
        "track-responsible_unit": "สำนักปลัด",
        "track-owner_person": "",
        "track-start_date": "",
        "track-end_date": "",
    }
    data.update({f"track-{k}": v for k, v in changes.items()})
    return w.wg.post(reverse("measures:measure-progress", args=[w.measure.pk]), data)


def memo_post(w: World, signers=1, **changes):
    data = {
        "department": "สำนักปลัด",
        "number": "นม 1/2568",
        "date": "20/11/2568",
        "subject": "",
        "addressee": "นายก",
        "author_name": "นางสาวสมใจ ใจดี",
        "author_position": "นักวิเคราะห์นโยบายและแผน",
        "decision_name": "นายสมชาย รักษ์ถิ่น",
        "decision_position": "นายก",
        "version": "0",
        "signers-TOTAL_FORMS": str(signers),
        "signers-INITIAL_FORMS": "0",
    }
    for n in range(signers):
        data.update(
            {
                f"signers-{n}-addressed_to": "ปลัด",
                f"signers-{n}-name": f"คนที่ {n}",
                f"signers-{n}-position": "ก",
            }
        )
    data.update(changes)
    return w.wg.post(reverse("reports:memo-update", args=[w.plan.pk]), data)


def upload(w: World, content: bytes, name="ผล.xlsx", year="2568"):
    return w.staff.post(
        reverse("assessments:import-create"),
        {"fiscal_year": year, "file": SimpleUploadedFile(name, content)},
    )


def get(w: World, who: str, url: str):
    return getattr(w, who).get(url)


def measure_create_page(w: World, indicator: str):
    """The add-a-measure page of a plan still in draft, with ``?indicator=``."""
    type(w.plan).objects.filter(pk=w.plan.pk).update(status="draft")
    return w.wg.get(reverse("measures:measure-create", args=[w.plan.pk]) + "?indicator=" + indicator)


def command(*args):
    call_command(*args, stdout=io.StringIO())


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def many_cells(w, monkeypatch):
    from assessments.importing import workbook_limits

    monkeypatch.setattr(workbook_limits, "MAX_CELLS", 50)
    header = ["รหัสหน่วยงาน"] + [f"ตัวชี้วัดที่ {n}" for n in range(1, 11)]
    return upload(w, xlsx([header] + [["1"] + ["90"] * 10] * 10))


def big_file(w, monkeypatch):
    monkeypatch.setattr(settings, "IMPORT_MAX_BYTES", 1024)
    return upload(w, b"code,name\n" + b"1,x\n" * 1000, name="ผล.csv")


def evidence_total(w, monkeypatch):
    monkeypatch.setattr(settings, "EVIDENCE_MAX_TOTAL_BYTES", 300)
    return progress_post(w, files=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)])


def command_refused_in_thai(world, tmp_path, args, text) -> None:
    """Run one command of the corpus (``{tmp}`` in an argument is a folder of the test's own):
    it is refused with ``text`` and writes nothing."""
    from django.core.management import CommandError

    world.organisation.code = "DEMO-X"  # the commands name the organisation with the approved plan
    world.organisation.save()
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    before = counts()
    try:
        command(*args)
    except CommandError as exc:
        assert text in str(exc), args
    else:
        raise AssertionError(f"{args} was not refused")
    assert counts() == before, args
