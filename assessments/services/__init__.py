"""Writes of the assessments app: every one validates, checks the user's action
(``ita_portal.permissions``), writes in one transaction and records who in the history.

``scores``: an assessment typed on the form; ``imports``: a results file staged,
confirmed, discarded or applied; ``frameworks``: a year's framework loaded from its file;
``results``: each assessment's computed result, stored after any of these.
"""

from .frameworks import FrameworkLoad, ItemChange, framework_load
from .imports import (
    StaleImport,
    score_import_apply,
    score_import_commit,
    score_import_discard,
    score_import_stage,
)
from .results import results_drifted, results_refresh
from .scores import ScoreSheet, assessment_save_scores

__all__ = [
    "FrameworkLoad",
    "ItemChange",
    "ScoreSheet",
    "StaleImport",
    "assessment_save_scores",
    "framework_load",
    "results_drifted",
    "results_refresh",
    "score_import_apply",
    "score_import_commit",
    "score_import_discard",
    "score_import_stage",
]
