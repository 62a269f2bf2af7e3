"""What a document is made of, as one SHA-256 — the name of its cached PDF, found without building it.

Building a document's HTML (its context, its template, its chart) costs tens of milliseconds; a
download of a PDF already rendered should cost about what reading a file does. So the cache is
keyed by the rows the document prints, read as they are stored (every column of every row, in a
few indexed queries), by the frameworks' revision (``assessments.receivers``), by the code and
templates that turn them into a document (``MAKING``, read once per process), by the site the
PDF links to, and — for the implementation report, which reports progress "as of" a day — by
that day. Any write to one of those rows changes the key, whichever way it was made (a form, an
import's bulk update, the admin); a write anywhere else does not.

``tests/reports/test_fingerprint.py`` changes each printed record in turn and checks the key
follows, and that it stays put for the same records and for another organisation's changes.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from assessments.models import (
    Assessment,
    FiscalYear,
    IndicatorScore,
    Organisation,
    PublishedToolScore,
    QuestionScore,
)
from measures.models import Evidence, Measure, MeasurePlan, ProgressUpdate

from .choices import DocumentKind
from .models import Announcement, DocumentOptions, Memo, MemoSignatory, PublishedEvidence

APP = Path(__file__).resolve().parent
# What turns records into a document: its code, its templates, its style sheet and fonts' rules.
MAKING = (
    APP / "context",
    APP / "pdf",
    APP / "templates" / "reports",
    APP / "documents.py",
    APP / "charts.py",
    APP / "rendering.py",
    APP / "fingerprint.py",
    Path(settings.BASE_DIR) / "static" / "css" / "document.css",
    Path(settings.BASE_DIR) / "assessments" / "scoring.py",
    Path(settings.BASE_DIR) / "assessments" / "analysis.py",
    Path(settings.BASE_DIR) / "ita_portal" / "templatetags",
)


@functools.cache
def making_version() -> str:
    """The SHA-256 of the code and templates that make documents (read once per process: a new
    release is a new process)."""
    digest = hashlib.sha256()
    for root in MAKING:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and path.suffix in {".py", ".html", ".css", ".txt"}:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _rows(digest, label: str, rows: Iterable) -> None:
    digest.update(label.encode())
    for row in rows:
        digest.update(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)).encode())
        digest.update(b"\n")


# A part of what a document prints: a label, the rows, and the columns read (None: every column).
Part = tuple[str, QuerySet, tuple[str, ...] | None]


@dataclasses.dataclass(frozen=True)
class Ids:
    """What identifies the rows of one plan's documents."""

    plan: int
    organisation: int
    assessment: int
    fiscal_year: int
    year: int
    org_type: str
    province: str

    @classmethod
    def of(cls, plan: MeasurePlan) -> Ids:
        assessment = plan.assessment
        organisation = assessment.organisation
        return cls(
            plan=plan.pk,
            organisation=organisation.pk,
            assessment=assessment.pk,
            fiscal_year=assessment.fiscal_year_id,
            year=assessment.fiscal_year.year,
            org_type=organisation.org_type,
            province=organisation.province,
        )


# Stand-ins the one statement of PostgreSQL is compiled with once per kind, then replaced by a
# plan's own values: the querysets below stay the only description of what a document prints.
# (Within each field's range: Django turns a value a column cannot hold into an empty query.)
STAND_IN = Ids(2_000_000_001, 2_000_000_002, 2_000_000_003, 2_000_000_004, 32_005, "\x00type", "\x00province")


def document_key(plan: MeasurePlan, kind: str, *, today: datetime.date, site: str) -> str:
    """The key of the document ``kind`` of ``plan`` as the records are now (see the module)."""
    digest = hashlib.sha256()
    as_of = today.isoformat() if kind == DocumentKind.IMPLEMENTATION else ""
    digest.update(f"{making_version()}|{kind}|{site}|{as_of}|".encode())
    ids = Ids.of(plan)
    if connection.vendor == "postgresql":
        labels, sql, template = _one_statement(kind)
        values = dict(zip(dataclasses.astuple(STAND_IN), dataclasses.astuple(ids), strict=True))
        with connection.cursor() as cursor:
            cursor.execute(sql, [values.get(v, v) for v in template])
            texts = cursor.fetchone()
        for label, text in zip(labels, texts, strict=True):
            digest.update(f"{label}\n{text or ''}\n".encode())
    else:
        for label, rows, columns in document_parts(ids, kind):
            _rows(digest, label, rows.order_by("pk").values_list(*(columns or ())))
    return digest.hexdigest()


@functools.cache
def _one_statement(kind: str) -> tuple[list[str], str, list]:
    """Every part's rows as PostgreSQL writes them as text, in one statement (a download of a PDF
    already made costs about what the trivial page does), compiled once per kind with the stand-ins
    as its values: the labels, the SQL and its parameters."""
    quote = connection.ops.quote_name
    labels, selects, params = [], [], []
    for label, rows, columns in document_parts(STAND_IN, kind):
        meta = rows.model._meta
        pk = quote(meta.pk.column)
        text = "t::text"
        if columns is not None:
            text = " || '|' || ".join(
                f"coalesce(t.{quote(meta.get_field(c).column)}::text, '')" for c in columns
            )
        sql, values = rows.order_by().values("pk").query.sql_with_params()
        # Identifiers from the models, quoted by the backend; every value is a parameter.
        table = quote(meta.db_table)
        selects.append(
            f"(SELECT string_agg({text}, E'\\n' ORDER BY t.{pk}) FROM {table} t WHERE t.{pk} IN ({sql}))"  # noqa: S608
        )
        labels.append(label)
        params.extend(values)
    return labels, "SELECT " + ", ".join(selects), params


def document_parts(ids: Ids, kind: str) -> list[Part]:
    """What the document ``kind`` of the plan ``ids`` names is made of, as querysets of rows."""
    mine = {"assessment__organisation_id": ids.organisation}
    on_plan = {"plan_id": ids.plan}
    parts: list[Part] = [
        # Every framework by its revision, not its rows (a handful of numbers, not a thousand rows).
        ("frameworks", FiscalYear.objects.all(), ("id", "revision")),
        ("organisation", Organisation.objects.filter(pk=ids.organisation), None),
        # The organisation's results of every year: the trend, last year's scores, this year's result.
        ("assessments", Assessment.objects.filter(organisation_id=ids.organisation), None),
        ("indicators", IndicatorScore.objects.filter(**mine), None),
        ("tools", PublishedToolScore.objects.filter(**mine), None),
        ("questions", QuestionScore.objects.filter(assessment_id=ids.assessment), None),
        ("plan", MeasurePlan.objects.filter(pk=ids.plan), None),
        ("measures", Measure.objects.filter(**on_plan), None),
        ("updates", ProgressUpdate.objects.filter(measure__plan_id=ids.plan), None),
        ("evidence", Evidence.objects.filter(update__measure__plan_id=ids.plan), None),
        ("published", PublishedEvidence.objects.filter(evidence__update__measure__plan_id=ids.plan), None),
        ("memo", Memo.objects.filter(**on_plan), None),
        ("signatories", MemoSignatory.objects.filter(memo__plan_id=ids.plan), None),
        ("announcement", Announcement.objects.filter(**on_plan), None),
        ("options", DocumentOptions.objects.filter(plan_id=ids.plan, kind=kind), None),
    ]
    if kind == DocumentKind.ANALYSIS:
        # Where it ranks among its peers (their stored results), and how last year's measures went
        # (the measures of the plan made for this assessment's year).
        peers = Assessment.objects.filter(
            fiscal_year_id=ids.fiscal_year,
            organisation__org_type=ids.org_type,
            organisation__province=ids.province,
        )
        last_year = Measure.objects.filter(
            plan__assessment__organisation_id=ids.organisation, plan__plan_year=ids.year
        )
        parts += [("peers", peers, ("id", "overall")), ("last year", last_year, None)]
    return parts
