"""The OIT register moved from assessments to oit without losing a row: a database at the last
migration before the move, with rows in every moved table (items, their history, link checks), a
content type with a permission and a queued link check, is migrated forward and read through the
new app."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE = [("assessments", "0012_organisation_garuda"), ("oit", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_register_moves_to_oit_with_every_row():
    from django.core.management import call_command

    call_command("load_framework", "2568", verbosity=0)
    old = migrate(BEFORE)
    Organisation = old.get_model("assessments", "Organisation")
    FiscalYear = old.get_model("assessments", "FiscalYear")
    Question = old.get_model("assessments", "Question")
    RegisterItem = old.get_model("assessments", "RegisterItem")
    HistoricalRegisterItem = old.get_model("assessments", "HistoricalRegisterItem")
    LinkCheck = old.get_model("assessments", "LinkCheck")
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    DBTaskResult = old.get_model("django_tasks_database", "DBTaskResult")

    organisation = Organisation.objects.create(
        name="อบต.ย้ายทะเบียน", org_type="sao", district="ก", province="ตาก"
    )
    year = FiscalYear.objects.get(year=2568)
    item = RegisterItem.objects.create(
        organisation=organisation,
        fiscal_year=year,
        question=Question.objects.get(fiscal_year=year, code="o1"),
        urls="https://www.example.go.th/structure",
        status="present",
        responsible="สำนักปลัด",
        version=3,
    )
    now = timezone.now()
    HistoricalRegisterItem.objects.create(
        id=item.pk,
        organisation=organisation,
        fiscal_year=year,
        question=item.question,
        urls="",
        status="missing",
        version=2,
        updated_at=now,
        history_date=now,
        history_type="~",
    )
    LinkCheck.objects.create(
        item=item,
        url=item.urls,
        checked_at=now,
        verdict="ok",
        code="ok",
        reason="เปิดได้",
        http_status=200,
    )
    # As before the move: the register's content types are assessments' (the test database, made
    # at the new layout, has oit's).
    ContentType.objects.filter(app_label="oit").delete()
    content_type, _ = ContentType.objects.get_or_create(app_label="assessments", model="registeritem")
    Permission.objects.get_or_create(
        content_type=content_type, codename="view_registeritem", defaults={"name": "Can view"}
    )
    queued = DBTaskResult.objects.create(
        task_path="assessments.tasks.check_register",
        args_kwargs={"args": [1, organisation.pk, 2568], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=-50,
        run_after=timezone.now() + datetime.timedelta(days=1),
    )

    new = migrate(latest())
    moved = new.get_model("oit", "RegisterItem").objects.get(pk=item.pk)
    assert (moved.urls, moved.status, moved.responsible, moved.version, moved.organisation_id) == (
        "https://www.example.go.th/structure",
        "present",
        "สำนักปลัด",
        3,
        organisation.pk,
    )
    assert new.get_model("oit", "HistoricalRegisterItem").objects.get(id=item.pk).version == 2
    check = new.get_model("oit", "LinkCheck").objects.get()
    assert (check.item_id, check.http_status, check.verdict) == (item.pk, 200, "ok")
    relabelled = new.get_model("contenttypes", "ContentType").objects.get(pk=content_type.pk)
    assert (relabelled.app_label, relabelled.model) == ("oit", "registeritem")
    assert new.get_model("auth", "Permission").objects.filter(content_type=relabelled).exists()
    task = new.get_model("django_tasks_database", "DBTaskResult").objects.get(pk=queued.pk)
    assert task.task_path == "oit.tasks.check_register"

    # And back: the move undone keeps the rows too.
    migrate(BEFORE)
    assert old.get_model("assessments", "RegisterItem").objects.get(pk=item.pk).version == 3
    migrate(latest())
