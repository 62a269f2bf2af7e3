"""Writes of the measures app. Every function is keyword-only, runs in one transaction,
checks the user's action (``ita_portal.permissions``), validates with ``full_clean()`` and
records the user in the history.

``plans``: generation (proposals from the pure ``measures.generation``) and the review
workflow; ``editing``: a plan's measures; ``templates``: the template library;
``progress``: carrying an approved plan out; ``counters``: each plan's counts for the overview,
refreshed by every write of a measure.
"""

from ita_portal.stale import StaleEdit

from ._common import PlanLocked
from .counters import plan_counters_refresh
from .editing import measure_create, measure_delete, measure_move, measure_update
from .plans import (
    PLAN_ACTIONS,
    GenerationReport,
    plan_approve,
    plan_generate,
    plan_proposals,
    plan_publish,
    plan_reopen,
    plan_return,
    plan_submit,
)
from .progress import TRACKING_FIELDS, Upload, measure_track, progress_report
from .templates import measure_templates_flag_changed, measure_templates_load

__all__ = [
    "PLAN_ACTIONS",
    "TRACKING_FIELDS",
    "GenerationReport",
    "PlanLocked",
    "StaleEdit",
    "Upload",
    "measure_create",
    "measure_delete",
    "measure_move",
    "measure_templates_flag_changed",
    "measure_templates_load",
    "measure_track",
    "measure_update",
    "plan_approve",
    "plan_counters_refresh",
    "plan_generate",
    "plan_proposals",
    "plan_publish",
    "plan_reopen",
    "plan_return",
    "plan_submit",
    "progress_report",
]
