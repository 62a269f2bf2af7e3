"""benchmarks/score_import.py makes its files from the template's own columns (the EIT parts of a
year that has them included): every generated row imports without an error, in .xlsx and .csv."""

import importlib.util
from pathlib import Path

import pytest

from assessments import importing
from assessments.choices import OrganisationType
from assessments.importing.spreadsheets import read_sheet
from assessments.models import FiscalYear, Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "score_import.py"


def benchmark():
    spec = importlib.util.spec_from_file_location("score_import_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize("year", [2566, 2568])  # without and with the EIT parts
def test_the_benchmarks_file_imports_without_errors(year, file_format):
    script = benchmark()
    fiscal_year = FiscalYear.objects.get(year=year)
    catalogue = importing.catalogue_for(fiscal_year)
    Organisation.objects.bulk_create(
        Organisation(
            code=f"BENCH-{n:05d}",
            name=f"อบต.ทดสอบ{n:05d}",
            org_type=OrganisationType.SAO,
            district="ก",
            province="ข",
        )
        for n in range(20)
    )
    content = script.generate(20, catalogue, questions=True, seed=1, file_format=file_format)
    sheet = read_sheet(content, max_rows=100)
    plan = importing.plan_import(sheet, fiscal_year=fiscal_year, user=UserFactory(is_superuser=True))
    assert not plan.errors and plan.count("error") == 0
    assert plan.count("create") == 20
