"""Writes: each assessment's result stored beside its scores (``Assessment.overall``, ``level``…).

The scores are the record; the result is what ``scoring`` makes of them under the year's
framework. It is stored so that national lists filter and sort by level and overall in the
database instead of recomputing thousands of results per page. Every write that changes an
assessment's scores or a year's framework calls ``results_refresh`` in its own transaction
(the score form, the import, the framework loader, the admin, the data generator);
``manage.py refresh_results`` recomputes every row, or with ``--check`` reports any that drifted.

The work is done on plain values (a handful of queries per 2,000 assessments, no model
instances), and ``refresh_with`` takes the model classes, so the data migration that added the
columns fills them with the same code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from .. import consistency, revisions
from ..importing import bulk
from ..selectors import framework_from, result_of

CHUNK = 2000


@dataclass(frozen=True)
class Models:
    """The model classes the refresh reads and writes (the app's, or a migration's)."""

    Assessment: Any
    IndicatorScore: Any
    PublishedToolScore: Any
    FiscalYear: Any
    RatingLevel: Any
    Tool: Any

    @classmethod
    def of_app(cls) -> Models:
        from .. import models

        return cls(
            models.Assessment,
            models.IndicatorScore,
            models.PublishedToolScore,
            models.FiscalYear,
            models.RatingLevel,
            models.Tool,
        )


FIELDS = ("overall", "level", "level_provisional", "targets_met", "mismatches")


def results_refresh(assessments) -> int:
    """Recompute and store the result of each assessment of the queryset; how many were written.
    What was cached from their years is out of date from this transaction's commit on."""
    revisions.results_changed(assessments)
    return refresh_with(Models.of_app(), assessments.order_by().values_list("pk", flat=True))


def results_drifted(assessments) -> list[int]:
    """The pks of the assessments whose stored result is not what their scores give today."""
    app = Models.of_app()
    drifted = []
    for chunk in _chunks(list(assessments.order_by().values_list("pk", flat=True))):
        computed = {row["id"]: row for row in computed_rows(app, chunk)}
        stored = app.Assessment.objects.filter(pk__in=chunk).values("id", *(_attname(app, f) for f in FIELDS))
        drifted += [row["id"] for row in stored if row != computed[row["id"]]]
    return sorted(drifted)


def refresh_with(models: Models, pks: Iterable[int]) -> int:
    written = 0
    for chunk in _chunks(list(pks)):
        rows = computed_rows(models, chunk)
        bulk.update_rows(models.Assessment, FIELDS, rows)
        written += len(rows)
    return written


def computed_rows(models: Models, pks: Sequence[int]) -> list[dict[str, Any]]:
    """The stored-result values (by attname, with ``id``) of the assessments ``pks``."""
    assessments = list(
        models.Assessment.objects.filter(pk__in=pks).values(
            "id", "fiscal_year_id", "published_overall", "published_level", "eit_part1", "eit_part2"
        )
    )
    year_ids = {row["fiscal_year_id"] for row in assessments}
    frameworks = {
        year.pk: framework_from(year)
        for year in models.FiscalYear.objects.filter(pk__in=year_ids).prefetch_related(
            Prefetch("tools", queryset=models.Tool.objects.prefetch_related("indicators")), "levels"
        )
    }
    level_pks = {
        (year_id, code): pk
        for pk, year_id, code in models.RatingLevel.objects.filter(fiscal_year__in=year_ids).values_list(
            "pk", "fiscal_year_id", "code"
        )
    }
    indicator_scores: dict[int, dict[int, Any]] = defaultdict(dict)
    for assessment_id, number, score in models.IndicatorScore.objects.filter(assessment__in=pks).values_list(
        "assessment_id", "indicator__number", "score"
    ):
        indicator_scores[assessment_id][number] = score
    tool_scores: dict[int, dict[str, Any]] = defaultdict(dict)
    for assessment_id, code, score in models.PublishedToolScore.objects.filter(
        assessment__in=pks
    ).values_list("assessment_id", "tool__code", "score"):
        tool_scores[assessment_id][code] = score

    rows = []
    for row in assessments:
        framework = frameworks[row["fiscal_year_id"]]
        published = consistency.Published(
            overall=row["published_overall"], level=row["published_level"], tool_scores=tool_scores[row["id"]]
        )
        values = {"id": row["id"], "overall": None, "level_id": None, "level_provisional": False}
        values.update(targets_met=None, mismatches=None)
        result, findings, _ = result_of(
            framework, indicator_scores[row["id"]], (row["eit_part1"], row["eit_part2"]), published
        )
        if result is None:
            rows.append(values)  # scores incomplete: no result yet
            continue
        values.update(
            overall=result.overall,
            level_id=level_pks.get((row["fiscal_year_id"], result.level.code)) if result.level else None,
            level_provisional=bool(result.level_provisional),
            targets_met=result.targets_met,
        )
        if published.entered:
            values["mismatches"] = len(findings)
        rows.append(values)
    return rows


def _attname(models: Models, name: str) -> str:
    return models.Assessment._meta.get_field(name).attname


def _chunks(pks: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(pks), CHUNK):
        yield pks[start : start + CHUNK]
