"""Writes of the assessments app: every one validates, checks the user's action
(``ita_portal.permissions``), writes in one transaction and records who in the history.

``scores``: an assessment typed on the form; ``imports``: a results file staged,
confirmed, discarded or applied; ``frameworks``: a year's framework loaded from its file.
"""

from .frameworks import FrameworkLoad, ItemChange, framework_load
from .imports import (
    StaleImport,
    score_import_apply,
    score_import_commit,
    score_import_discard,
    score_import_stage,
)
from .scores import ScoreSheet, assessment_save_scores

__all__ = [
    "FrameworkLoad",
    "ItemChange",
    "ScoreSheet",
    "StaleImport",
    "assessment_save_scores",
    "framework_load",
    "score_import_apply",
    "score_import_commit",
    "score_import_discard",
    "score_import_stage",
]
