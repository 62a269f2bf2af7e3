"""The overseers' statistics computed once per change of the records, and kept (Django's cache:
files shared by every web process, ``settings.CACHES``).

An entry's key names who it is for — the organisations the person follows, as the database is
asked for them (their oversight areas and memberships) — the page's year and filters, and the
counters of change of the years it was computed from (``assessments.revisions``): a score, a
result, an organisation, a framework or a plan written after it was kept makes a new key once
committed, so a kept entry is never served after a write. National overseers share their
entries; so do the overseers of one province (with the same memberships).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings

from assessments import revisions
from assessments.models import Membership
from ita_portal.caching import remember
from ita_portal.permissions import Action

from . import dashboard


def scope_key(user, filters: dashboard.DashboardFilter) -> str:
    """Whose organisations and which of them: the scope's SQL (its areas and filters as literals)
    and the person's memberships, which that SQL reads by the person's id."""
    scope = dashboard.organisations_in_scope(user, filters)
    memberships = Membership.objects.filter(user=user).order_by("organisation_id", "role")
    members = ",".join(f"{o}:{r}" for o, r in memberships.values_list("organisation_id", "role"))
    # The settings the statistics are computed with (the smallest group shown, how many movers
    # and items are listed) are part of what was asked.
    asked = (settings.ANALYTICS_MIN_GROUP, settings.DASHBOARD_MOVERS, settings.DASHBOARD_ITEMS)
    text = f"{scope.query}|{members}|{dataclasses.astuple(filters)}|{Action.OVERVIEW_VIEW}|{asked}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def counters(years: Iterable[int] | None, fields: tuple[str, ...]) -> str:
    """The counters of change of ``years`` (every year with None), as part of a key."""
    now = revisions.now()
    chosen = sorted(now) if years is None else sorted(y for y in set(years) if y in now)
    index = [revisions.FIELDS.index(f) for f in fields]
    return ";".join(f"{y}:" + ".".join(str(now[y][i]) for i in index) for y in chosen)


RESULTS = ("revision", "results_revision")
RESULTS_AND_PLANS = ("revision", "results_revision", "plans_revision")


def dashboard_page(user, year: int, filters: dashboard.DashboardFilter, compute: Callable[[], Any]) -> Any:
    """The dashboard of ``year`` (its frames, tables and charts, as ``compute`` makes them), kept
    under every year's counters: its trend spans the years."""
    scope = scope_key(user, filters)
    key = f"insights:dashboard:{scope}:{year}:{counters(None, RESULTS)}"
    return remember(key, compute)


def by_year(user, filters: dashboard.DashboardFilter) -> Callable[[str, int, Callable], Any]:
    """How the dashboard keeps what it reads of one year (its frames, its column of the indicator
    trend) under that year's counters: a change to this year leaves the others as they are, so the
    first view after a change reads one year, not eight."""
    who = scope_key(user, filters)

    def kept_year(part: str, year: int, compute: Callable[[], Any]) -> Any:
        return remember(f"insights:{part}:{who}:{year}:{counters([year], RESULTS)}", compute)

    return kept_year


def measure_effect(user, year: int, filters: dashboard.DashboardFilter, compute: Callable[[], Any]) -> Any:
    """ "Did the measures work?" of ``year``: the results of the year and the one before, and the
    plans made from the one before."""
    key = f"insights:effect:{scope_key(user, filters)}:{year}:{counters((year - 1, year), RESULTS_AND_PLANS)}"
    return remember(key, compute)


def dashboard_statistics(user, year: int, filters: dashboard.DashboardFilter) -> dict:
    """The dashboard's frames, tables and charts, computed once per change of the records
    (``insights.kept``): the page and each table's .xlsx read the same entry."""

    def compute() -> dict:
        from reports import charts

        from .charts import dashboard_charts
        from .tables import dashboard_tables

        found = dashboard.dashboard(user, year, filters, kept_year=by_year(user, filters))
        return {"board": found, "tables": dashboard_tables(found), "charts": dashboard_charts(found, charts)}

    return dashboard_page(user, year, filters, compute)
