"""The corpus's world: its rows made once per module, every case starting from them as made."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from assessments.choices import Role
from assessments.models import Assessment, Organisation
from measures.models import MeasurePlan
from tests.conftest import rows_for_the_module
from tests.corpus.inputs import World
from tests.factories import OrganisationFactory, make_assessment, member, plan_with_measures


@pytest.fixture(scope="module")
def world_rows(django_db_setup, django_db_blocker):
    """The rows (``rows_for_the_module``; each test's files are in folders of its own)."""
    with rows_for_the_module(django_db_blocker):
        organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี", province="นครราชสีมา")
        plan, wg_user = plan_with_measures(organisation)
        users = {
            "staff": member(organisation, Role.STAFF).pk,
            "wg": wg_user.pk,
            "admin": member(organisation, Role.ADMINISTRATOR).pk,
        }
        other = make_assessment(OrganisationFactory(name="หน่วยงานอื่น"))
        yield {"organisation": organisation.pk, "plan": plan.pk, "users": users, "other": other.pk}


@pytest.fixture
def world(world_rows, db):
    """The world's objects read afresh for the case, and a signed-in client for each role."""
    users = get_user_model().objects.in_bulk(world_rows["users"].values())
    clients = {}
    for role, pk in world_rows["users"].items():
        clients[role] = Client()
        clients[role].force_login(users[pk])
    plan = MeasurePlan.objects.select_related("assessment").get(pk=world_rows["plan"])
    return World(
        organisation=Organisation.objects.get(pk=world_rows["organisation"]),
        assessment=plan.assessment,
        staff=clients["staff"],
        wg=clients["wg"],
        admin=clients["admin"],
        admin_user=users[world_rows["users"]["admin"]],
        plan=plan,
        measure=plan.measures.order_by("pk").first(),
        other_assessment=Assessment.objects.get(pk=world_rows["other"]),
    )
