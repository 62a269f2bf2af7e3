import datetime
import logging

import pytest

from assessments.choices import Role
from reports import services
from tests.factories import OrganisationFactory, make_approved_plan, member


@pytest.fixture
def approved(db):
    """An approved plan for document 001's result; returns (plan, working-group user, administrator)."""
    organisation = OrganisationFactory(
        name="องค์การบริหารส่วนตำบลวังหมี", district="วังน้ำเขียว", province="นครราชสีมา"
    )
    plan, wg = make_approved_plan(organisation)
    return plan, wg, member(organisation, Role.ADMINISTRATOR)


@pytest.fixture
def with_memo(approved):
    plan, wg, admin = approved
    services.memo_save(
        plan=plan,
        user=wg,
        fields={
            "department": "สำนักปลัด องค์การบริหารส่วนตำบลวังหมี",
            "number": "นม 72201/245",
            "date": datetime.date(2025, 11, 20),
            "subject": "",
            "addressee": "นายกองค์การบริหารส่วนตำบลวังหมี",
            "author_name": "นางสาวสมใจ ใจดี",
            "author_position": "นักวิเคราะห์นโยบายและแผน",
            "decision_name": "นายสมชาย รักษ์ถิ่น",
            "decision_position": "นายกองค์การบริหารส่วนตำบลวังหมี",
        },
        signers=[
            services.Signer("ปลัดองค์การบริหารส่วนตำบลวังหมี", "ทราบ/เพื่อโปรดพิจารณา", "นางมาลี ศรีสุข", "หัวหน้าสำนักปลัด"),
        ],
    )
    return approved


@pytest.fixture
def weasy_problems(caplog):
    """WeasyPrint's warnings and errors (missing glyphs, failed loads) while a test renders."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    return lambda: [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
