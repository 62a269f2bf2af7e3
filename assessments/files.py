"""The score workbooks as ``@file_maker``s (``ita_portal.delivery``): made in the request when
small, by the worker when not, under the same file name."""

from __future__ import annotations

from ita_portal.delivery import FileMade, file_maker
from ita_portal.permissions import Action

from . import exports, importing, selectors
from .models import FiscalYear, Organisation


def template_organisations(user):
    """The organisations an import template lists: those ``user`` may import into."""
    return Organisation.objects.permitting(user, Action.SCORE_IMPORT).order_by("province", "district", "name")


@file_maker
def import_template(user, year: int, *, on_progress=None) -> FileMade:
    """The import template of ``year`` with every organisation the user may import into."""
    organisations = template_organisations(user)
    content = exports.import_template(
        importing.catalogue_for(FiscalYear.objects.get(year=year)), organisations
    )
    return FileMade(
        content,
        f"ita-import-template-{year}.xlsx",
        f"แบบฟอร์มนำเข้าปี {year} พร้อมรายชื่อ {organisations.count():,} หน่วยงาน",
    )


@file_maker
def year_scores(user, year: int, *, on_progress=None) -> FileMade:
    """Every organisation the user sees with its scores of ``year`` and the computed results."""
    fiscal_year = FiscalYear.objects.get(year=year)
    found = selectors.year_export(user, fiscal_year)
    content = exports.year_scores_workbook(
        importing.catalogue_for(fiscal_year), found, on_progress=on_progress
    )
    message = f"ส่งออกคะแนนปี {year} ของ {found.count:,} หน่วยงานแล้ว"
    return FileMade(content, f"ita-scores-{year}.xlsx", message)


@file_maker
def organisation_scores(user, organisation_id: int, *, on_progress=None) -> FileMade:
    """One organisation the user sees, its scores over all years and a sheet of items per year."""
    organisation = Organisation.objects.visible_to(user).get(pk=organisation_id)
    found = selectors.organisation_export(organisation)
    content = exports.organisation_scores_workbook(
        organisation, found.results, found.indicator_names, found.level_labels, found.question_rows
    )
    return FileMade(content, f"ita-scores-{organisation.code or organisation.pk}.xlsx")
