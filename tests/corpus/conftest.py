"""The corpus's world, made fresh for every case."""

from __future__ import annotations

import pytest
from django.test import Client

from assessments.choices import Role
from tests.corpus.inputs import World
from tests.factories import OrganisationFactory, make_assessment, member, plan_with_measures


@pytest.fixture
def world():
    """(Each test's files are in folders of its own: tests/conftest.py.)"""
    organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี", province="นครราชสีมา")
    plan, wg_user = plan_with_measures(organisation)
    clients = {}
    admin = member(organisation, Role.ADMINISTRATOR)
    for role, user in (("staff", member(organisation, Role.STAFF)), ("wg", wg_user), ("admin", admin)):
        clients[role] = Client()
        clients[role].force_login(user)
    other = make_assessment(OrganisationFactory(name="หน่วยงานอื่น"))
    return World(
        organisation=organisation,
        assessment=plan.assessment,
        staff=clients["staff"],
        wg=clients["wg"],
        admin=clients["admin"],
        admin_user=admin,
        plan=plan,
        measure=plan.measures.order_by("pk").first(),
        other_assessment=other,
    )
