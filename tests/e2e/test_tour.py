"""Every main page, for the roles that use it, on a desktop and a phone: each opens (200), fits
the phone's width, and — by the check every browser test ends with (conftest.accessibility_
violations) — meets WCAG 2.1 AA with no critical or serious violation."""

import pytest

from assessments.choices import Role
from assessments.models import Oversight
from reports import services
from tests.e2e.conftest import PASSWORD, log_in
from tests.factories import OrganisationFactory, make_approved_plan, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def pages_of(plan) -> dict[str, list[str]]:
    organisation, assessment, measure = plan.organisation, plan.assessment, plan.measures.first()
    member_pages = [
        "/",
        f"/assessments/{assessment.pk}/",
        f"/assessments/{assessment.pk}/analysis/",
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/progress/",
        f"/measures/{measure.pk}/progress/",
        f"/plans/{plan.pk}/documents/",
        f"/organisations/{organisation.pk}/oit/",
        f"/organisations/{organisation.pk}/history/",
        "/notifications/",
        "/account/",
        "/jobs/",
        "/help/",
    ]
    return {
        "admin": member_pages
        + [
            f"/organisations/{organisation.pk}/members/",
            f"/organisations/{organisation.pk}/members/bulk/",
            f"/plans/{plan.pk}/documents/memo/update/",
            f"/plans/{plan.pk}/documents/announcement/update/",
            "/imports/create/",
            "/documents/batch/",
            "/progress/",
        ],
        "overseer": ["/", "/dashboard/", "/dashboard/measures/", "/progress/", f"/plans/{plan.pk}/"],
        "public": [f"/public/organisations/{organisation.pk}/", "/login/", "/password/reset/", "/help/"],
    }


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_every_main_page_opens_fits_and_is_accessible(open_context, frameworks, viewport):
    from django.contrib.auth import get_user_model

    organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี", province="นครราชสีมา")
    plan, wg = make_approved_plan(organisation)
    admin = member(organisation, Role.ADMINISTRATOR, username="admin1", password=PASSWORD)
    services.announcement_save(
        plan=plan,
        user=admin,
        fields={"date": None, "signer_name": "นายสมชาย", "signer_position": "นายก"},
        expected_version=0,
    )
    overseer = get_user_model().objects.create_user("korat", password=PASSWORD)
    Oversight.objects.create(user=overseer, province="นครราชสีมา")
    size = VIEWPORTS[viewport]
    for who, urls in pages_of(plan).items():
        context = open_context(viewport=size, is_mobile=size["width"] < 500)
        page = context.new_page()
        if who != "public":
            log_in(page, {"admin": "admin1", "overseer": "korat"}[who])
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, (who, url, response.status)
            assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], url
        context.close()
