"""Counters of change, kept on each fiscal year, under which what is computed from the records is
cached (a document's PDF, the overseers' dashboards): a cache entry names the counters it was made
at, so a write — once committed — makes every entry made before it unreachable.

- ``revision``: any framework changed (a save or deletion of any piece of any year's framework, or
  ``framework_load``). One counter for all years: frameworks change a few times a year.
- ``results_revision``: a result, a score or an organisation of the year changed
  (``results_refresh``, which every score write calls in its transaction; an organisation saved).
- ``plans_revision``: a plan made from the year's assessment, or its measures, changed
  (``measures.services.plan_counters_refresh``, which every measure write calls; a plan saved).

Each is an UPDATE of the counter in the writer's transaction: a reader sees the new number exactly
when it sees the new rows (a timestamp or a highest id would not: a transaction that began first
may commit last). Years are counted in order, so two writers never wait for each other crosswise.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

FIELDS = ("revision", "results_revision", "plans_revision")


def count(field: str, fiscal_year_ids: Iterable[int] | None = None) -> None:
    """One more change of ``field`` on the given fiscal years (every year with None)."""
    from .models import FiscalYear

    assert field in FIELDS
    years = FiscalYear.objects.all()
    if fiscal_year_ids is not None:
        ids = sorted(set(fiscal_year_ids))
        if not ids:
            return
        years = years.filter(pk__in=ids)
    for pk in years.order_by("pk").values_list("pk", flat=True):
        FiscalYear.objects.filter(pk=pk).update(**{field: F(field) + 1})


def framework_changed(**_kwargs) -> None:
    count("revision")


def results_changed(assessments) -> None:
    """The results of the assessments of the queryset changed."""
    count("results_revision", assessments.order_by().values_list("fiscal_year_id", flat=True).distinct())


def organisations_changed(**_kwargs) -> None:
    count("results_revision")


def now() -> dict[int, tuple[int, int, int]]:
    """Every year's counters: year → (revision, results_revision, plans_revision). One query."""
    from .models import FiscalYear

    return {year: tuple(rest) for year, *rest in FiscalYear.objects.values_list("year", *FIELDS)}
