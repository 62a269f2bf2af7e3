"""factory_boy factories for the tests."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from assessments.choices import OrganisationType, Role
from assessments.models import FiscalYear, Membership, Organisation
from assessments.services import ScoreSheet, assessment_save_scores

# Document 000 (อบต.โคกมน, 2568): 94.74, ผ่านดี.
KHOKMON_2568 = ["100", "100", "99.75", "100", "100", "99.00", "97.33", "98.67", "91.25", "85.00"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-123")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"องค์การบริหารส่วนตำบลทดสอบ {n}")
    org_type = OrganisationType.SAO
    district = "เมือง"
    province = "เพชรบูรณ์"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.STAFF


def member(organisation, role=Role.STAFF, **user_kwargs):
    """A user who belongs to ``organisation`` with ``role``."""
    return MembershipFactory(organisation=organisation, role=role, user=UserFactory(**user_kwargs)).user


def make_assessment(organisation, year=2568, indicators=KHOKMON_2568, user=None, **sheet_kwargs):
    """An assessment saved through the service, as the web form would save it."""
    fiscal_year = FiscalYear.objects.get(year=year)
    numbers = sorted(fiscal_year.indicators.values_list("number", flat=True))
    sheet = ScoreSheet(
        indicators={n: Decimal(v) for n, v in zip(numbers, indicators, strict=True)}, **sheet_kwargs
    )
    return assessment_save_scores(organisation=organisation, fiscal_year=fiscal_year, sheet=sheet, user=user)


# Document 001 (อบต.วังหมี, 2568): 90.42, ผ่าน; question scores consistent with its indicators.
WANGMEE_2568 = ["93.33", "96.13", "98.06", "83.87", "93.33", "97.13", "97.47", "95.74", "82.50", "85.00"]
WANGMEE_2568_QUESTIONS = {
    "i1": "90.00",
    "i2": "90.00",
    "i3": "100",
    "i4": "94.19",
    "i5": "100",
    "i6": "94.20",
    "i10": "77.74",
    "i11": "96.13",
    "i12": "77.74",
    "e1": "91.39",
    "e2": "100",
    "e3": "100",
}


def make_wangmee(organisation, user=None, **sheet_kwargs):
    """Document 001's result, with question scores, saved through the service."""
    questions = {code: Decimal(v) for code, v in WANGMEE_2568_QUESTIONS.items()}
    return make_assessment(
        organisation, indicators=WANGMEE_2568, user=user, questions=questions, **sheet_kwargs
    )


def make_plan(organisation=None, user=None):
    """A generated draft plan for document 001's result; returns (plan, a working-group user)."""
    from measures.services import plan_generate

    organisation = organisation or OrganisationFactory()
    user = user or member(organisation, Role.WORKING_GROUP)
    assessment = make_wangmee(organisation, user=user)
    return plan_generate(assessment=assessment, user=user).plan, user


def make_approved_plan(organisation=None):
    """A generated plan taken through submission and approval; returns (plan, a working-group user)."""
    from measures.services import plan_approve, plan_submit

    plan, user = make_plan(organisation)
    plan_submit(plan=plan, user=user)
    return plan_approve(plan=plan, user=user), user
