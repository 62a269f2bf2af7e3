"""The OIT register as a ``@file_maker`` (``ita_portal.delivery``)."""

from __future__ import annotations

from assessments.models import FiscalYear, Organisation
from ita_portal.delivery import FileMade, file_maker

from . import exports, selectors


@file_maker
def register(user, organisation_id: int, year: int, base_url: str, *, on_progress=None) -> FileMade:
    """The register of an organisation the user sees, as the workbook it submits from."""
    organisation = Organisation.objects.visible_to(user).get(pk=organisation_id)
    page = selectors.register_page(organisation, FiscalYear.objects.get(year=year))
    content = exports.register_workbook(page, base_url=base_url)
    return FileMade(content, f"ita-oit-register-{year}-{organisation.pk}.xlsx")
