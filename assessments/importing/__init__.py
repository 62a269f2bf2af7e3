"""Importing a results file: read it (``spreadsheets``), find its columns (``columns``) and
organisations (``organisations``), plan what it would change (``planning`` → ``plan``), and write
a plan in bulk (``bulk``, called by ``assessments.services``). Nothing here writes but ``bulk``."""

from .columns import Catalogue, HeaderError, catalogue_for, column_label
from .organisations import may_create_organisations, membership_for_new
from .plan import Action, Change, ImportPlan, RowPlan
from .planning import plan_import
from .spreadsheets import Sheet, SpreadsheetError, read_sheet

__all__ = [
    "Action",
    "Catalogue",
    "Change",
    "HeaderError",
    "ImportPlan",
    "RowPlan",
    "Sheet",
    "SpreadsheetError",
    "catalogue_for",
    "column_label",
    "may_create_organisations",
    "membership_for_new",
    "plan_import",
    "read_sheet",
]
