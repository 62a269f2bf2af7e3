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


def _all(queryset: QuerySet) -> QuerySet:
    """Every stored column of every row, in a fixed order."""
    return queryset.order_by("pk").values_list()


def document_key(plan: MeasurePlan, kind: str, *, today: datetime.date, site: str) -> str:
    """The key of the document ``kind`` of ``plan`` as the records are now (see the module)."""
    assessment = plan.assessment
    organisation_id = assessment.organisation_id
    digest = hashlib.sha256()
    as_of = today.isoformat() if kind == DocumentKind.IMPLEMENTATION else ""
    digest.update(f"{making_version()}|{kind}|{site}|{as_of}|".encode())
    _rows(digest, "frameworks", FiscalYear.objects.order_by("pk").values_list("pk", "revision"))
    _rows(digest, "organisation", _all(Organisation.objects.filter(pk=organisation_id)))
    # The organisation's results of every year: the trend, last year's scores, this year's result.
    _rows(digest, "assessments", _all(Assessment.objects.filter(organisation_id=organisation_id)))
    _rows(
        digest, "indicators", _all(IndicatorScore.objects.filter(assessment__organisation_id=organisation_id))
    )
    _rows(
        digest, "tools", _all(PublishedToolScore.objects.filter(assessment__organisation_id=organisation_id))
    )
    _rows(digest, "questions", _all(QuestionScore.objects.filter(assessment_id=assessment.pk)))
    _plan_rows(digest, plan, kind)
    if kind == DocumentKind.ANALYSIS:
        _analysis_rows(digest, assessment)
    return digest.hexdigest()


def _plan_rows(digest, plan: MeasurePlan, kind: str) -> None:
    _rows(digest, "plan", _all(MeasurePlan.objects.filter(pk=plan.pk)))
    _rows(digest, "measures", _all(Measure.objects.filter(plan_id=plan.pk)))
    _rows(digest, "updates", _all(ProgressUpdate.objects.filter(measure__plan_id=plan.pk)))
    _rows(digest, "evidence", _all(Evidence.objects.filter(update__measure__plan_id=plan.pk)))
    _rows(
        digest,
        "published",
        _all(PublishedEvidence.objects.filter(evidence__update__measure__plan_id=plan.pk)),
    )
    _rows(digest, "memo", _all(Memo.objects.filter(plan_id=plan.pk)))
    _rows(digest, "signatories", _all(MemoSignatory.objects.filter(memo__plan_id=plan.pk)))
    _rows(digest, "announcement", _all(Announcement.objects.filter(plan_id=plan.pk)))
    _rows(digest, "options", _all(DocumentOptions.objects.filter(plan_id=plan.pk, kind=kind)))


def _analysis_rows(digest, assessment: Assessment) -> None:
    """What only the analysis report prints: where it ranks among its peers (their stored results),
    and how last year's measures went (the measures of the plan made for this assessment's year)."""
    organisation = assessment.organisation
    peers = Assessment.objects.filter(
        fiscal_year_id=assessment.fiscal_year_id,
        organisation__org_type=organisation.org_type,
        organisation__province=organisation.province,
    )
    _rows(digest, "peers", peers.order_by("pk").values_list("pk", "overall"))
    last_year = Measure.objects.filter(
        plan__assessment__organisation_id=organisation.pk, plan__plan_year=assessment.fiscal_year.year
    )
    _rows(digest, "last year", _all(last_year))
