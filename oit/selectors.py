"""Reads of the OIT register: one organisation's register page, and readiness for many at once.

Each row's state for the readiness estimate (``oit.estimate``): ready, missing, broken or
outdated, from its status, its links, the newest check of each link, and — for the items the
portal itself publishes (the ITA analysis report, the implementation report) — whether the
organisation has published that document here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse

from assessments.choices import QuestionKind
from assessments.models import FiscalYear, Organisation, Question
from ita_portal.thai import fiscal_year_of

from . import estimate as oit
from .choices import LinkVerdict, RegisterStatus
from .models import LinkCheck, RegisterItem

# Items whose document the portal publishes, by the item's key → the document's kind
# (reports.choices.DocumentKind) of the plan for the register's year.
PORTAL_DOCUMENTS = {"ita-analysis": "analysis", "integrity-report": "implementation"}


def register_year(today: datetime.date) -> FiscalYear | None:
    """The year whose register matters now: the newest year with OIT items up to the current one."""
    return (
        FiscalYear.objects.filter(year__lte=fiscal_year_of(today), questions__kind=QuestionKind.OIT_ITEM)
        .order_by("-year")
        .distinct()
        .first()
    )


def register_years(organisation: Organisation) -> list[int]:
    """The years with OIT items, newest first (the register's year menu)."""
    return list(
        FiscalYear.objects.filter(questions__kind=QuestionKind.OIT_ITEM)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def published_kinds(organisation_ids: Iterable[int], plan_year: int) -> dict[int, set[str]]:
    """Which documents each organisation has made public for ``plan_year`` (one query)."""
    from reports.models import PublishedDocument  # reports sits above: read only, here only

    found: dict[int, set[str]] = {}
    for org, kind in (
        PublishedDocument.objects.readable()
        .filter(organisation_id__in=list(organisation_ids), plan__plan_year=plan_year)
        .values_list("organisation_id", "kind")
        .distinct()
    ):
        found.setdefault(org, set()).add(kind)
    return found


def portal_url(organisation_id: int, year: int, key: str) -> str:
    kind = PORTAL_DOCUMENTS.get(key)
    if not kind:
        return ""
    return reverse("reports:public-latest", kwargs={"org": organisation_id, "year": year, "kind": kind})


def item_state(item: RegisterItem, checks: list[LinkCheck], published: bool) -> tuple[str, bool]:
    """(state, checked) of a row for ``oit.readiness``."""
    if published:
        return oit.READY, True
    urls = item.url_list
    if item.status == RegisterStatus.MISSING or not urls:
        return oit.MISSING, True
    latest = {check.url: check for check in checks}
    if any(check.verdict == LinkVerdict.FAIL for check in latest.values() if check.url in urls):
        return oit.BROKEN, True
    if any(check.code == "outdated" for check in latest.values() if check.url in urls):
        return oit.OUTDATED, True
    return oit.READY, all(url in latest for url in urls)


@dataclass
class RegisterRow:
    item: RegisterItem
    checks: list[LinkCheck]  # the newest check of each link, in the links' order
    portal_url: str  # the portal's public link for this item's document, if it publishes one
    published: bool  # that document is published
    state: str
    checked: bool

    @property
    def question(self) -> Question:
        return self.item.question

    @property
    def state_label(self) -> str:
        return oit.STATE_LABELS[self.state]

    @property
    def unchecked_urls(self) -> list[str]:
        seen = {check.url for check in self.checks}
        return [url for url in self.item.url_list if url not in seen]


@dataclass
class RegisterPage:
    organisation: Organisation
    fiscal_year: FiscalYear
    rows: list[RegisterRow]
    readiness: oit.Readiness
    previous_year_exists: bool = False
    last_checked: datetime.datetime | None = None
    sub_indicators: dict[str, str] = field(default_factory=dict)  # code → name

    @property
    def sub_scores(self) -> list[tuple[str, str, object]]:
        """(code, name, estimated score) of each sub-indicator."""
        return [
            (code, self.sub_indicators.get(code, ""), value)
            for code, value in self.readiness.sub_indicators.items()
        ]


def _rows(
    items: list[RegisterItem], published: set[str], organisation_id: int, year: int
) -> list[RegisterRow]:
    checks: dict[int, list[LinkCheck]] = {}
    for check in LinkCheck.objects.filter(item__in=[i.pk for i in items if i.pk], latest=True).order_by("pk"):
        checks.setdefault(check.item_id, []).append(check)
    rows = []
    for item in items:
        own = checks.get(item.pk, [])
        order = {url: i for i, url in enumerate(item.url_list)}
        own = sorted((c for c in own if c.url in order), key=lambda c: order[c.url])
        key = item.question.key
        is_published = PORTAL_DOCUMENTS.get(key) in published
        state, checked = item_state(item, own, is_published)
        rows.append(
            RegisterRow(
                item=item,
                checks=own,
                portal_url=portal_url(organisation_id, year, key),
                published=is_published,
                state=state,
                checked=checked,
            )
        )
    return rows


def _state(question: Question, state: str, checked: bool) -> oit.ItemState:
    sub = question.sub_indicator
    return oit.ItemState(
        code=question.code,
        indicator=question.indicator.number,
        sub_indicator=sub.code if sub else "",
        state=state,
        checked=checked,
        weight=question.weight,
        sub_weight=sub.weight if sub else None,
    )


def _states(rows: list[RegisterRow]) -> list[oit.ItemState]:
    return [_state(row.question, row.state, row.checked) for row in rows]


def register_items(organisation: Organisation, fiscal_year: FiscalYear):
    return (
        RegisterItem.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
        .select_related(
            "question__indicator", "question__sub_indicator", "question__fiscal_year", "updated_by"
        )
        .order_by("question__order")
    )


def register_page(organisation: Organisation, fiscal_year: FiscalYear) -> RegisterPage:
    """One organisation's register of one year, each row with its checks and state (six queries).
    Items without a row yet (a register nobody who may edit it has opened) are listed unsaved."""
    items = list(register_items(organisation, fiscal_year))
    have = {item.question_id for item in items}
    missing = (
        Question.objects.filter(fiscal_year=fiscal_year, kind=QuestionKind.OIT_ITEM)
        .exclude(pk__in=have)
        .select_related("indicator", "sub_indicator", "fiscal_year")
    )
    items += [RegisterItem(organisation=organisation, fiscal_year=fiscal_year, question=q) for q in missing]
    items.sort(key=lambda item: item.question.order)
    published = published_kinds([organisation.pk], fiscal_year.year).get(organisation.pk, set())
    rows = _rows(items, published, organisation.pk, fiscal_year.year)
    checked = [check.checked_at for row in rows for check in row.checks]
    return RegisterPage(
        organisation=organisation,
        fiscal_year=fiscal_year,
        rows=rows,
        readiness=oit.readiness(_states(rows), weights_confirmed=fiscal_year.oit_weights_confirmed),
        previous_year_exists=RegisterItem.objects.filter(
            organisation=organisation, fiscal_year__year=fiscal_year.year - 1
        )
        .exclude(urls="")
        .exists(),
        last_checked=max(checked) if checked else None,
        sub_indicators={
            row.question.sub_indicator.code: row.question.sub_indicator.name
            for row in rows
            if row.question.sub_indicator
        },
    )


def readiness_by_organisation(
    organisations: Iterable[Organisation], fiscal_year: FiscalYear
) -> dict[int, oit.Readiness]:
    """Each organisation's readiness for ``fiscal_year`` (those with a register only): one query
    when none has a register, three otherwise, whatever the number of organisations."""
    ids = [org.pk for org in organisations]
    items = list(
        RegisterItem.objects.filter(organisation_id__in=ids, fiscal_year=fiscal_year)
        .select_related("question__indicator", "question__sub_indicator", "question__fiscal_year")
        .order_by("organisation_id", "question__order")
    )
    if not items:
        return {}
    published = published_kinds(ids, fiscal_year.year)
    by_org: dict[int, list[RegisterItem]] = {}
    for item in items:
        by_org.setdefault(item.organisation_id, []).append(item)
    checks: dict[int, list[LinkCheck]] = {}
    for check in LinkCheck.objects.filter(item__in=items, latest=True):
        checks.setdefault(check.item_id, []).append(check)
    found = {}
    for org, own in by_org.items():
        states = []
        for item in own:
            state, checked = item_state(
                item,
                checks.get(item.pk, []),
                PORTAL_DOCUMENTS.get(item.question.key) in published.get(org, set()),
            )
            states.append(_state(item.question, state, checked))
        found[org] = oit.readiness(states, weights_confirmed=fiscal_year.oit_weights_confirmed)
    return found


@dataclass
class AnalysisReadiness:
    fiscal_year: FiscalYear
    readiness: oit.Readiness | None  # None: the organisation has not started that register
    actual: dict[int, object]  # the assessment's own OIT indicator scores, when it is the same year


def analysis_readiness(assessment) -> AnalysisReadiness | None:
    """For the analysis page: the register the working group acts on next — the following year's
    when its framework is loaded, else this year's beside the scores the assessors gave."""
    years = {
        fy.year: fy
        for fy in FiscalYear.objects.filter(
            year__in=(assessment.fiscal_year.year, assessment.fiscal_year.year + 1),
            questions__kind=QuestionKind.OIT_ITEM,
        ).distinct()
    }
    fiscal_year = years.get(assessment.fiscal_year.year + 1) or years.get(assessment.fiscal_year.year)
    if fiscal_year is None:
        return None
    actual = {}
    if fiscal_year.year == assessment.fiscal_year.year:
        numbers = set(
            Question.objects.filter(fiscal_year=fiscal_year, kind=QuestionKind.OIT_ITEM).values_list(
                "indicator__number", flat=True
            )
        )
        actual = {
            s.indicator.number: s.score
            for s in assessment.indicator_scores.all()
            if s.indicator.number in numbers
        }
    found = readiness_by_organisation([assessment.organisation], fiscal_year)
    return AnalysisReadiness(
        fiscal_year=fiscal_year, readiness=found.get(assessment.organisation_id), actual=actual
    )
