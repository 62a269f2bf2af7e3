"""Organisations and a user shared by the import tests (the two reference agencies of 2568)."""

import pytest

from assessments.choices import Role
from assessments.models import FiscalYear, Membership
from tests.factories import OrganisationFactory, member


@pytest.fixture
def fiscal_year():
    return FiscalYear.objects.get(year=2568)


@pytest.fixture
def khokmon():
    return OrganisationFactory(
        code="6701", name="องค์การบริหารส่วนตำบลโคกมน", district="น้ำหนาว", province="เพชรบูรณ์"
    )


@pytest.fixture
def wangmee():
    return OrganisationFactory(
        code="3001", name="องค์การบริหารส่วนตำบลวังหมี", district="วังน้ำเขียว", province="นครราชสีมา"
    )


@pytest.fixture
def staff(khokmon, wangmee):
    user = member(khokmon, Role.STAFF)
    Membership.objects.create(user=user, organisation=wangmee, role=Role.STAFF)
    return user
