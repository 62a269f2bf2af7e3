"""Thai wherever a user looks: form messages, empty choices, length limits, history values, dates,
the favicon (no English 404 in the log)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from measures.choices import MeasureStatus
from measures.models import Measure
from measures.services import progress_report
from tests.factories import OrganisationFactory, make_plan, plan_with_measures

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = [
    path
    for folder in ("templates", "assessments", "measures", "reports", "ita_portal")
    for path in (ROOT / folder).rglob("*.html")
]


def test_templates_print_dates_only_through_the_thai_filter():
    """Django's ``date``/``time`` filters and ``{% now %}`` print Christian-era years and English
    months; every date goes through ``thai_date`` (Buddhist era, Thai months)."""
    assert len(TEMPLATES) > 40
    offending = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in TEMPLATES
        for match in re.finditer(r"\|\s*(date|time)\b|\{%\s*now\b", path.read_text(encoding="utf-8"))
    ]
    assert offending == []


@pytest.mark.django_db
def test_a_title_too_long_is_refused_in_thai_and_kept_whole(client):
    plan, working_group = make_plan(OrganisationFactory())
    client.force_login(working_group)
    url = reverse("measures:measure-create", args=[plan.pk])
    form_page = client.get(url).content.decode()
    title_input = re.search(r"<input[^>]*name=\"title\"[^>]*>", form_page).group(0)
    assert 'data-max-chars="255"' in title_input and "maxlength" not in title_input
    assert "---------" not in form_page and "— เลือก —" in form_page

    title = "มาตรการเผยแพร่ข้อมูลสาธารณะบนเว็บไซต์ของหน่วยงาน " * 12  # 564 characters
    assert len(title.strip()) > 255
    response = client.post(
        url,
        {
            "indicator": plan.assessment.fiscal_year.indicators.get(number=9).pk,
            "title": title.strip(),
            "analysis": "-",
            "steps": "-",
            "period_start": "1",
            "period_end": "4",
            "responsible_unit": "สำนักปลัด",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"ข้อความนี้ยาวได้ไม่เกิน 255 ตัวอักษร (พิมพ์มา {len(title.strip())} ตัวอักษร)" in page
    assert "Ensure this value" not in page
    assert title.strip() in page  # nothing the user typed is lost
    assert not Measure.objects.filter(title__startswith="มาตรการเผยแพร่ข้อมูลสาธารณะบนเว็บไซต์ของหน่วยงาน").exists()


@pytest.mark.django_db
def test_history_shows_statuses_by_their_thai_labels(client):
    plan, working_group = plan_with_measures(numbers=[1])
    measure = plan.measures.get()
    progress_report(
        measure=measure,
        user=working_group,
        reported_on=plan.assessment.fiscal_year.end_date,
        status=MeasureStatus.DONE,
        percent=100,
        result="เผยแพร่แล้ว",
    )
    client.force_login(working_group)
    page = client.get(reverse("measures:plan-detail", args=[plan.pk])).content.decode()
    changes = page[page.find("ประวัติ") :]
    assert "ดำเนินการแล้วเสร็จ" in changes
    assert not re.search(r"\b(not_started|in_progress|done)\b", changes)


@pytest.mark.django_db
def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response.url.endswith("img/favicon.svg")
    assert 'rel="icon"' in client.get(reverse("login")).content.decode()


def _po_entries(text: str) -> dict:
    """msgid → (msgid_plural or None, msgstr) of a .po file (a plural entry's first form)."""
    entries = {}
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            if not line.startswith('"'):
                key, _, line = line.partition(" ")
                fields[key] = ""
            fields[key] += line.strip()[1:-1]
        if fields.get("msgid"):
            entries[fields["msgid"]] = (
                fields.get("msgid_plural"),
                fields.get("msgstr") or fields.get("msgstr[0]"),
            )
    return entries


def test_the_compiled_thai_catalogue_is_its_source():
    """``locale/th/LC_MESSAGES/django.mo`` was compiled from the ``.po`` beside it (msgfmt)."""
    import gettext

    folder = ROOT / "locale" / "th" / "LC_MESSAGES"
    source = _po_entries((folder / "django.po").read_text(encoding="utf-8"))
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert len(source) >= 30
    for msgid, (plural, msgstr) in source.items():
        compiled_text = catalogue.ngettext(msgid, plural, 2) if plural else catalogue.gettext(msgid)
        assert compiled_text == msgstr, msgid


@pytest.mark.django_db
def test_the_guide_covers_each_role_with_the_tests_screenshots(client):
    page = client.get(reverse("help")).content.decode()  # no login needed
    for section in ("เจ้าหน้าที่", "คณะทำงาน ITA", "ผู้ดูแล/ผู้เผยแพร่", "ผู้กำกับติดตาม", "โทรศัพท์มือถือ"):
        assert section in page
    pictures = re.findall(r'src="/static/(help/[^"]+\.png)"', page)
    assert len(pictures) == 15
    for taken in ("1-staff-eit-parts", "2-review-changes", "3-memo-form", "5-link-check-job"):
        assert f"help/{taken}.png" in pictures
    for picture in pictures:
        assert (ROOT / "static" / picture).is_file(), picture  # taken by tests/e2e (guide=True)
    assert reverse("help") in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_the_analysis_page_sends_only_staff_to_the_admin_site(client):
    from assessments.choices import Role
    from tests.factories import UserFactory, make_wangmee, member

    organisation = OrganisationFactory()
    assessment = make_wangmee(organisation)
    url = reverse("assessment-analysis", args=[assessment.pk])
    client.force_login(member(organisation, Role.ADMINISTRATOR))
    page = client.get(url).content.decode()
    assert "ตั้งโดยผู้ดูแลระบบ ITA Portal" in page and "/admin/" not in page
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert reverse("admin:assessments_analysisrule_changelist") in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_guide_speaks_to_users_not_installers(client):
    page = client.get("/help/").content.decode()
    for word in ("superuser", "ANALYTICS_MIN_GROUP", "manage.py", "DEBUG", "settings"):
        assert word not in page, word
    assert "อย่างน้อย 20 แห่ง" in page and "สมาชิก" in page
