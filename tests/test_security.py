"""The security baseline: every URL closed to strangers unless it is meant to be public, no organisation's
object served to another's members, login lockout, the CSP header, deploy checks, private uploads."""

import datetime
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.choices import Role
from assessments.models import FiscalYear
from measures.choices import MeasureStatus
from measures.services import Upload, progress_report
from tests.assessments.importing import xlsx
from tests.factories import (
    KHOKMON_2568,
    OrganisationFactory,
    PublishedDocumentFactory,
    PublishedEvidenceFactory,
    member,
    plan_with_measures,
    scan_pdf,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]

# Views anyone may open without logging in. Anything else must send a stranger to the login page.
PUBLIC = {
    "login",
    "oidc-start",  # 404 unless a provider is configured; then off to it
    "oidc-callback",
    "logout",  # POST only: logging out needs no account
    "reports:public-organisation",
    "reports:public-latest",
    "reports:public-file",
    "reports:public-evidence",  # only files an administrator chose to publish with a report
    "oit:public",  # an organisation's OIT links, which it publishes on its website anyway
    "oit:public-workbook",
    "oit:public-current",  # a redirect to this year's public OIT page
    "members:accept",  # an invitation's signed link: refused without a valid one
    "password_reset",  # a forgotten password: the same answer whether the address has an account
    "password_reset_done",
    "password_reset_confirm",  # refused without a valid token
    "password_reset_complete",
    "healthz",  # for the load balancer: says only whether the database answers
    "favicon",  # a redirect to the portal's icon
    "help",  # the user guide: no one's data
}
# Views that take no organisation's object: they show each user only their own (tested in their apps).
NOT_OBJECT = {
    "home",
    "assessments:import-create",
    "assessments:import-template",
    "assessments:year-scores-export",
    "measures:progress-overview",
    "measures:progress-overview-export",
    "insights:dashboard",  # the organisations the user follows (tests/assessments/test_dashboard.py)
    "insights:dashboard-table",
    "insights:measure-effect",
    "insights:measure-effect-export",
    "reports:document-batch",
    "job-list",  # a person's own jobs only
    "account",  # the person's own name, e-mail and roles
    "oversights",  # superusers only (403 for everyone else)
    "oversight-revoke",
    "password_change",
    "two-factor",  # the person's own second factor
    "notifications:list",  # the person's own notifications
    "notifications:read-all",
}


def url_names(patterns=None, namespace=None):
    """Every named URL pattern of the project, but the admin site (it has its own login)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


@pytest.fixture
def world():
    """One organisation with a result, an approved plan, a measure with evidence, and a staged import."""
    plan, wg = plan_with_measures()
    organisation = plan.assessment.organisation
    measure = plan.measures.order_by("pk").first()
    update = progress_report(
        measure=measure,
        user=wg,
        reported_on=datetime.date(2026, 1, 10),
        status=MeasureStatus.IN_PROGRESS,
        percent=50,
        result="เริ่มดำเนินการ",
        recommendation="",
        files=[Upload("หลักฐาน.pdf", scan_pdf("evidence"))],
    )
    from assessments import importing
    from assessments.importing.spreadsheets import read_sheet
    from assessments.services import score_import_stage

    staff = member(organisation, Role.STAFF)
    content = xlsx([[organisation.code or "", organisation.name, "", organisation.province] + KHOKMON_2568])
    sheet = read_sheet(content, max_rows=10)
    plan_2568 = importing.plan_import(sheet, fiscal_year=FiscalYear.objects.get(year=2568), user=staff)
    score_import = score_import_stage(
        sheet=sheet, plan=plan_2568, user=staff, file_name="a.xlsx", content=content
    )
    from ita_portal import jobs

    job = jobs.start(kind="export", title="คะแนนปี 2568", user=staff)
    jobs.finish(job.pk, content=b"xlsx", filename="a.xlsx", content_type="application/octet-stream")
    memo_version = PublishedDocumentFactory(plan=plan, kind="memo")  # frozen for signing: not public
    report = PublishedDocumentFactory(plan=plan, kind="implementation")  # public, with a file
    published_evidence = PublishedEvidenceFactory(organisation=organisation)
    report.evidence_files.add(published_evidence)
    from django.utils import timezone

    from assessments.models import Membership
    from members.models import Invitation

    invitation = Invitation.objects.create(
        organisation=organisation, email="invitee@example.go.th", role="staff", sent_at=timezone.now()
    )
    from members.models import BulkInvitation

    bulk = BulkInvitation.objects.create(
        organisation=organisation, file_name="a.csv", rows=[], created_by=staff
    )
    from notifications.models import Notification

    note = Notification.objects.create(user=staff, kind="plan_submitted", text="แผน", url="/", key="k")
    return {
        "notification": note,  # a person's own: anyone else's is a 404
        "bulk": bulk,
        "membership": Membership.objects.filter(organisation=organisation).order_by("pk").first(),
        "invitation": invitation,
        "organisation": organisation,
        "assessment": plan.assessment,
        "plan": plan,
        "measure": measure,
        "evidence": update.evidence.get(),
        "score_import": score_import,
        "job": job,
        "memo_version": memo_version,
        "report": report,
        "published_evidence": published_evidence,
    }


def kwargs_for(name, world):
    """The arguments of each URL, from the objects of ``world``."""
    plan, assessment = world["plan"], world["assessment"]
    by_name = {
        "assessments:assessment-detail": {"pk": assessment.pk},
        "assessment-analysis": {"pk": assessment.pk},
        "assessments:assessment-update": {"pk": assessment.pk},
        "assessments:assessment-create": {"organisation_pk": world["organisation"].pk},
        "assessments:import-detail": {"pk": world["score_import"].pk},
        "assessments:import-commit": {"pk": world["score_import"].pk},
        "assessments:import-delete": {"pk": world["score_import"].pk},
        "assessments:import-template": {"year": 2568},
        "assessments:year-scores-export": {"year": 2568},
        "assessments:organisation-scores-export": {"pk": world["organisation"].pk},
        "reports:plan-documents": {"pk": plan.pk},
        "reports:memo-update": {"pk": plan.pk},
        "reports:announcement-update": {"pk": plan.pk},
        "reports:document-version": {"pk": plan.pk, "kind": "memo", "version": world["memo_version"].version},
        "reports:signed-copy-upload": {
            "pk": plan.pk,
            "kind": "memo",
            "version": world["memo_version"].version,
        },
        "reports:signed-copy-publish": {
            "pk": plan.pk,
            "kind": "memo",
            "version": world["memo_version"].version,
        },
        "reports:garuda-update": {"pk": plan.pk},
        "reports:document-withdraw": {
            "pk": plan.pk,
            "kind": "implementation",
            "version": world["report"].version,
        },
        "reports:evidence-withdraw": {"pk": plan.pk, "public_id": world["published_evidence"].public_id},
        "reports:document-html": {"pk": plan.pk, "kind": "analysis"},
        "reports:document-pdf": {"pk": plan.pk, "kind": "analysis"},
        "reports:document-options": {"pk": plan.pk, "kind": "analysis"},
        "reports:document-publish": {"pk": plan.pk, "kind": "analysis"},
        "reports:public-organisation": {"org": world["organisation"].pk},
        "reports:public-latest": {
            "org": world["organisation"].pk,
            "year": plan.plan_year,
            "kind": "analysis",
        },
        "reports:public-file": {"public_id": uuid.uuid4()},
        "oit:public": {"org": world["organisation"].pk, "year": 2569},
        "oit:public-workbook": {"org": world["organisation"].pk, "year": 2569},
        "oit:public-current": {"org": world["organisation"].pk},
        "reports:public-evidence": {"public_id": uuid.uuid4()},
        "measures:plan-generate": {"pk": assessment.pk},
        "measures:plan-detail": {"pk": plan.pk},
        "measures:plan-progress": {"pk": plan.pk},
        "measures:plan-progress-export": {"pk": plan.pk},
        "measures:measure-progress": {"pk": world["measure"].pk},
        "measures:evidence-download": {"pk": world["evidence"].pk},
        "measures:measure-create": {"pk": plan.pk},
        "measures:plan-transition": {"pk": plan.pk, "action": "reopen"},
        "measures:measure-update": {"pk": world["measure"].pk},
        "measures:measure-delete": {"pk": world["measure"].pk},
        "measures:measure-move": {"pk": world["measure"].pk},
        "measures:organisation-history": {"pk": world["organisation"].pk},
        "members:list": {"pk": world["organisation"].pk},
        "members:role": {"pk": world["organisation"].pk, "member": world["membership"].pk},
        "members:remove": {"pk": world["organisation"].pk, "member": world["membership"].pk},
        "members:invitation": {
            "pk": world["organisation"].pk,
            "invitation": world["invitation"].pk,
            "step": "cancel",
        },
        "members:accept": {"token": "not-a-signed-link"},
        "members:bulk": {"pk": world["organisation"].pk},
        "members:bulk-confirm": {"pk": world["organisation"].pk, "bulk": world["bulk"].pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "not-a-token"},
        "account": {},
        "oversights": {},
        "oversight-revoke": {"pk": 1},
        "password_change": {},
        "two-factor": {},
        "password_reset": {},
        "password_reset_done": {},
        "password_reset_complete": {},
        "notifications:list": {},
        "notifications:read-all": {},
        "notifications:open": {"pk": world["notification"].pk},
        "notifications:read": {"pk": world["notification"].pk},
        "oidc-start": {},
        "reports:document-docx": {"pk": world["plan"].pk, "kind": "analysis"},
        "oidc-callback": {},
        "job-detail": {"public_id": world["job"].public_id},  # a job is its starter's alone
        "job-result": {"public_id": world["job"].public_id},
        "job-state": {"public_id": world["job"].public_id},
        "insights:dashboard-table": {"slug": "heat"},
        "oit:register-current": {"pk": world["organisation"].pk},
        "oit:register": {"pk": world["organisation"].pk, "year": 2568},
        "oit:register-copy": {"pk": world["organisation"].pk, "year": 2568},
        "oit:register-check": {"pk": world["organisation"].pk, "year": 2568},
        "oit:register-export": {"pk": world["organisation"].pk, "year": 2568},
    }
    if name in by_name:
        return by_name[name]
    if name in (
        "home",
        "login",
        "logout",
        "healthz",
        "favicon",
        "help",
        "job-list",
        "assessments:import-create",
        "insights:dashboard",
        "reports:document-batch",
    ) or name.startswith(("measures:progress-overview", "insights:measure-effect")):
        return {}
    pytest.fail(f"the URL {name} is not in this test: add its arguments and decide who may open it")


def test_every_view_is_closed_to_anonymous_visitors_unless_public(client, world):
    checked = 0
    for name in url_names():
        url = reverse(name, kwargs=kwargs_for(name, world))
        if name in PUBLIC:
            continue
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 405), (name, method.__name__, response.status_code)
            if response.status_code == 302:
                assert response.url.startswith(reverse("login")), (name, response.url)
        checked += 1
    assert checked >= 30


def test_no_view_serves_an_organisations_object_to_another_organisations_member(client, world):
    outsider_org = OrganisationFactory()
    before = (world["plan"].status, world["measure"].title)
    for role in (Role.STAFF, Role.WORKING_GROUP, Role.ADMINISTRATOR):
        client.force_login(member(outsider_org, role))
        for name in url_names():
            if name in PUBLIC | NOT_OBJECT:
                continue
            url = reverse(name, kwargs=kwargs_for(name, world))
            for method in (client.get, client.post):
                response = method(url + ("?year=2568" if name == "assessments:assessment-create" else ""))
                assert response.status_code in (404, 405), (role, name, method.__name__, response.status_code)
    world["plan"].refresh_from_db()
    world["measure"].refresh_from_db()
    assert (world["plan"].status, world["measure"].title) == before


def test_the_public_pages_open_without_login(client, world):
    response = client.get(reverse("reports:public-organisation", kwargs={"org": world["organisation"].pk}))
    assert response.status_code == 200


def test_login_is_locked_after_five_wrong_passwords(client, settings):
    settings.AXES_ENABLED = True
    user = member(OrganisationFactory(), Role.STAFF, password="right-password-1")
    warnings = []
    for attempt in range(1, 6):
        response = client.post(reverse("login"), {"username": user.username, "password": "wrong"})
        assert (
            response.status_code == (429 if attempt == 5 else 200) and "_auth_user_id" not in client.session
        )
        warnings.append("เหลืออีก 1 ครั้ง" in response.content.decode())
    assert warnings == [False, False, False, True, False]  # warned before the last try
    response = client.post(reverse("login"), {"username": user.username, "password": "right-password-1"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in page and 'href="/login/">กลับไปหน้าเข้าสู่ระบบ' in page
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not locked out by someone else's mistakes.
    other = member(OrganisationFactory(), Role.STAFF, password="right-password-2")
    response = client.post(reverse("login"), {"username": other.username, "password": "right-password-2"})
    assert response.status_code == 302


def test_pages_send_a_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_login_page_has_no_inline_script(client):
    page = client.get(reverse("login")).content.decode()
    assert "<script>" not in page and "onclick=" not in page


@pytest.mark.slow  # a manage.py process
def test_deploy_check_reports_nothing_with_production_settings(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "ita.example.go.th",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_uploaded_and_published_files_are_outside_every_public_path():
    public = [Path(settings.STATIC_ROOT or ROOT / "staticfiles"), *map(Path, settings.STATICFILES_DIRS)]
    for private in (settings.EVIDENCE_ROOT, settings.PUBLISHED_ROOT):
        for folder in public:
            assert not Path(private).resolve().is_relative_to(folder.resolve())
    assert not getattr(settings, "MEDIA_URL", "").strip("/")  # nothing served from a media folder


def test_the_audit_history_shows_administrators_every_change_and_no_one_else(client, world):
    organisation = world["organisation"]
    admin = member(organisation, Role.ADMINISTRATOR)
    url = reverse("measures:organisation-history", kwargs={"pk": organisation.pk})
    client.force_login(admin)
    page = client.get(url).content.decode()
    year = world["assessment"].fiscal_year.year
    assert f"ผลการประเมินปี {year} · ตัวชี้วัดที่ 1" in page  # scores
    assert f"แผนมาตรการปี {world['plan'].plan_year} · แผน" in page  # the plan's approval
    assert "รายงานความก้าวหน้า" in page and "เริ่มดำเนินการ" in page  # progress
    for role in (Role.STAFF, Role.WORKING_GROUP):  # members: refused with the Thai 403 page
        client.force_login(member(organisation, role))
        assert client.get(url).status_code == 403
