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


def document_key(plan: MeasurePlan, kind: str, *, today: datetime.date, site: str) -> str:
    """The key of the document ``kind`` of ``plan`` as the records are now (see the module)."""
    digest = hashlib.sha256()
    as_of = today.isoformat() if kind == DocumentKind.IMPLEMENTATION else ""
    digest.update(f"{making_version()}|{kind}|{site}|{as_of}|".encode())
    parts = document_parts(plan, kind)
    if connection.vendor == "postgresql":
        _digest_in_one_query(digest, parts)
    else:
        for label, rows, columns in parts:
            _rows(digest, label, rows.order_by("pk").values_list(*(columns or ())))
    return digest.hexdigest()


def _digest_in_one_query(digest, parts: list[Part]) -> None:
    """Every part's rows as PostgreSQL writes them as text, in one round trip (a download of a PDF
    already made costs about what the trivial page does)."""
    quote = connection.ops.quote_name
    selects, params = [], []
    for _label, rows, columns in parts:
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
        params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        texts = cursor.fetchone()
    for (label, *_), text in zip(parts, texts, strict=True):
        digest.update(f"{label}\n{text or ''}\n".encode())


def document_parts(plan: MeasurePlan, kind: str) -> list[Part]:
    """What the document ``kind`` of ``plan`` is made of, as querysets of rows."""
    assessment = plan.assessment
    mine = {"assessment__organisation_id": assessment.organisation_id}
    on_plan = {"plan_id": plan.pk}
    parts: list[Part] = [
        # Every framework by its revision, not its rows (a handful of numbers, not a thousand rows).
        ("frameworks", FiscalYear.objects.all(), ("id", "revision")),
        ("organisation", Organisation.objects.filter(pk=assessment.organisation_id), None),
        # The organisation's results of every year: the trend, last year's scores, this year's result.
        ("assessments", Assessment.objects.filter(organisation_id=assessment.organisation_id), None),
        ("indicators", IndicatorScore.objects.filter(**mine), None),
        ("tools", PublishedToolScore.objects.filter(**mine), None),
        ("questions", QuestionScore.objects.filter(assessment_id=assessment.pk), None),
        ("plan", MeasurePlan.objects.filter(pk=plan.pk), None),
        ("measures", Measure.objects.filter(**on_plan), None),
        ("updates", ProgressUpdate.objects.filter(measure__plan_id=plan.pk), None),
        ("evidence", Evidence.objects.filter(update__measure__plan_id=plan.pk), None),
        ("published", PublishedEvidence.objects.filter(evidence__update__measure__plan_id=plan.pk), None),
        ("memo", Memo.objects.filter(**on_plan), None),
        ("signatories", MemoSignatory.objects.filter(memo__plan_id=plan.pk), None),
        ("announcement", Announcement.objects.filter(**on_plan), None),
        ("options", DocumentOptions.objects.filter(plan_id=plan.pk, kind=kind), None),
    ]
    if kind == DocumentKind.ANALYSIS:
        parts += _analysis_parts(assessment)
    return parts


def _analysis_parts(assessment: Assessment) -> list[Part]:
    """What only the analysis report prints: where it ranks among its peers (their stored results),
    and how last year's measures went (the measures of the plan made for this assessment's year)."""
    organisation = assessment.organisation
    peers = Assessment.objects.filter(
        fiscal_year_id=assessment.fiscal_year_id,
        organisation__org_type=organisation.org_type,
        organisation__province=organisation.province,
    )
    last_year = Measure.objects.filter(
        plan__assessment__organisation_id=organisation.pk, plan__plan_year=assessment.fiscal_year.year
    )
    return [("peers", peers, ("id", "overall")), ("last year", last_year, None)]
