"""Score entry on the web: permissions on every view, validation, saving, result page, query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.choices import Role
from assessments.models import Assessment, IndicatorScore, QuestionScore
from tests.factories import KHOKMON_2568, UserFactory, make_assessment, member

pytestmark = pytest.mark.django_db


def form_data(indicators=KHOKMON_2568, version=0, **extra):
    """What the score form posts: the scores and the version of the assessment it showed (0: new)."""
    data = {f"indicator_{n}": v for n, v in enumerate(indicators, start=1)}
    data.update(version=str(version), **extra)
    return data


def urls_for(org, assessment):
    return {
        "home": reverse("home"),
        "detail": reverse("assessments:assessment-detail", args=[assessment.pk]),
        "update": reverse("assessments:assessment-update", args=[assessment.pk]),
        "create": reverse("assessments:assessment-create", args=[org.pk]) + "?year=2567",
    }


# --- Permissions on every view -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "detail", "update", "create"])
def test_anonymous_is_sent_to_login(client, org, assessment, name):
    url = urls_for(org, assessment)[name]
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["detail", "update", "create"])
def test_member_of_another_organisation_gets_404(client, org, other_org, assessment, name):
    client.force_login(member(other_org, Role.WORKING_GROUP))
    assert client.get(urls_for(org, assessment)[name]).status_code == 404
    if name != "detail":
        assert client.post(urls_for(org, assessment)[name], form_data()).status_code == 404


@pytest.mark.parametrize("name", ["update", "create"])
def test_administrator_role_cannot_edit_scores(client, org, assessment, name):
    # A member sees the organisation, so a refused action is a 403 with who may, not a 404.
    client.force_login(member(org, Role.ADMINISTRATOR))
    response = client.get(urls_for(org, assessment)[name])
    assert response.status_code == 403
    assert "เฉพาะเจ้าหน้าที่และคณะทำงาน ITA" in response.content.decode()


@pytest.mark.parametrize("role", [Role.STAFF, Role.WORKING_GROUP, Role.ADMINISTRATOR])
def test_every_member_sees_home_and_result(client, org, assessment, role):
    client.force_login(member(org, role))
    urls = urls_for(org, assessment)
    assert client.get(urls["home"]).status_code == 200
    response = client.get(urls["detail"])
    assert response.status_code == 200
    assert (reverse("assessments:assessment-update", args=[assessment.pk]) in response.content.decode()) is (
        role != Role.ADMINISTRATOR
    )


@pytest.mark.parametrize("role", [Role.STAFF, Role.WORKING_GROUP])
def test_staff_and_working_group_may_edit(client, org, assessment, role):
    client.force_login(member(org, role))
    urls = urls_for(org, assessment)
    assert client.get(urls["update"]).status_code == 200
    assert client.get(urls["create"]).status_code == 200


def test_superuser_sees_everything(client, org, assessment):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for url in urls_for(org, assessment).values():
        assert client.get(url).status_code == 200


def test_create_for_a_year_that_exists_goes_to_update(client, org, assessment):
    client.force_login(member(org))
    url = reverse("assessments:assessment-create", args=[org.pk]) + "?year=2568"
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("assessments:assessment-update", args=[assessment.pk])


def test_create_without_a_known_year_is_404(client, org):
    client.force_login(member(org))
    base = reverse("assessments:assessment-create", args=[org.pk])
    assert client.get(base).status_code == 404
    assert client.get(base + "?year=2400").status_code == 404


# --- The form ----------------------------------------------------------------------------------


def test_form_shows_the_years_indicator_names_grouped_by_tool(client, org):
    client.force_login(member(org))
    page = client.get(reverse("assessments:assessment-create", args=[org.pk]) + "?year=2564")
    html = page.content.decode()
    assert "8. การปรับปรุงระบบการทำงาน" in html  # 2564's name for indicator 8
    assert html.index("IIT ·") < html.index("1. การปฏิบัติหน้าที่") < html.index("EIT ·")
    assert html.index("EIT ·") < html.index("6. คุณภาพการดำเนินงาน") < html.index("OIT ·")
    page = client.get(reverse("assessments:assessment-create", args=[org.pk]) + "?year=2568")
    assert "8. การปรับปรุงการทำงาน" in page.content.decode()
    assert 'name="question_o27"' in page.content.decode()


@pytest.mark.parametrize(
    "value,message",
    [
        ("101", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("-1", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("abc", "คะแนนต้องเป็นตัวเลข เช่น 94.74 หรือ ๙๔.๗๔"),
        ("94.745", "คะแนนมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
        ("", "กรุณากรอกคะแนน"),
    ],
)
def test_bad_score_is_refused_beside_the_field_and_nothing_is_saved(client, org, value, message):
    client.force_login(member(org))
    url = reverse("assessments:assessment-create", args=[org.pk]) + "?year=2568"
    values = list(KHOKMON_2568)
    values[6] = value  # indicator 7
    response = client.post(url, form_data(values, question_i1="90"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"indicator_7": [message]}
    html = response.content.decode()
    # The message is rendered right under the indicator 7 input, not only at the top.
    field_at = html.index('name="indicator_7"')
    assert html.index(message, field_at) < html.index('name="indicator_8"')
    assert not Assessment.objects.filter(organisation=org).exists()
    assert not QuestionScore.objects.exists()


def test_update_form_shows_the_saved_values(client, org):
    assessment = make_assessment(
        org,
        published_overall=Decimal("94.74"),
        published_level="good",
        questions={"e2": Decimal("88.5")},
        question_recommendations={"e2": "ควรให้บริการอย่างเท่าเทียม"},
    )
    client.force_login(member(org))
    html = client.get(reverse("assessments:assessment-update", args=[assessment.pk])).content.decode()
    assert 'name="indicator_3" value="99.75"' in html
    assert 'name="indicator_10" value="85.00"' in html
    assert 'name="published_overall" value="94.74"' in html
    assert '<option value="good" selected>' in html
    assert 'name="question_e2" value="88.50"' in html
    assert "ควรให้บริการอย่างเท่าเทียม</textarea>" in html


def test_bad_question_score_saves_nothing_and_opens_the_section(client, org, assessment):
    client.force_login(member(org))
    url = reverse("assessments:assessment-update", args=[assessment.pk])
    values = list(KHOKMON_2568)
    values[0] = "90"
    response = client.post(url, form_data(values, version=assessment.version, question_e1="150"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"question_e1": ["คะแนนต้องอยู่ระหว่าง 0 ถึง 100"]}
    assert 'id="questions" class="collapse show"' in response.content.decode()
    assert IndicatorScore.objects.get(assessment=assessment, indicator__number=1).score == Decimal("100")


def test_thai_digits_are_accepted_and_the_result_is_shown(client, org):
    user = member(org)
    client.force_login(user)
    url = reverse("assessments:assessment-create", args=[org.pk]) + "?year=2568"
    thai = ["๑๐๐", "๑๐๐", "๙๙.๗๕", "๑๐๐", "๑๐๐", "๙๙", "๙๗.๓๓", "๙๘.๖๗", "๙๑.๒๕", "๘๕"]
    response = client.post(
        url,
        form_data(
            thai,
            published_overall="๙๔.๗๔",
            published_level="good",
            question_i9="๘๙.๕",
            question_i9_recommendation="ควรกำหนดแนวทางป้องกันการสั่งการโดยมิชอบ",
        ),
    )
    assessment = Assessment.objects.get(organisation=org, fiscal_year__year=2568)
    assert response.status_code == 302
    assert response.url == reverse("assessments:assessment-detail", args=[assessment.pk])
    assert assessment.published_overall == Decimal("94.74")
    assert assessment.indicator_scores.get(indicator__number=3).score == Decimal("99.75")
    assert assessment.question_scores.get(question__code="i9").score == Decimal("89.50")
    assert assessment.updated_by == user

    page = client.get(response.url).content.decode()
    assert 'id="overall">94.74<' in page
    assert 'id="level">ผ่านดี<' in page
    assert "ผลที่ประกาศตรงกับค่าที่คำนวณได้" in page
    for tool_score in ("99.95", "98.33", "88.13"):
        assert tool_score in page


def test_update_changes_scores_and_records_who_changed_what(client, org, assessment):
    user = member(org, Role.WORKING_GROUP, first_name="ประเสริฐ", last_name="โปร่งใส")
    client.force_login(user)
    values = list(KHOKMON_2568)
    values[9] = "70"
    url = reverse("assessments:assessment-update", args=[assessment.pk])
    response = client.post(url, form_data(values, version=assessment.version))
    assert response.status_code == 302
    row = IndicatorScore.objects.get(assessment=assessment, indicator__number=10)
    assert row.score == Decimal("70")
    latest = row.history.first()
    assert latest.history_user == user
    assert latest.prev_record.score == Decimal("85.00")
    page = client.get(response.url).content.decode()
    assert "ประเสริฐ โปร่งใส" in page
    assert "ตัวชี้วัดที่ 10 การป้องกันการทุจริต · คะแนน" in page
    assert "<td>85.00</td><td>70.00</td>" in page


def test_history_names_levels_by_their_label(client, org, assessment):
    client.force_login(member(org))
    client.post(
        reverse("assessments:assessment-update", args=[assessment.pk]),
        form_data(published_level="good", version=assessment.version),
    )
    page = client.get(reverse("assessments:assessment-detail", args=[assessment.pk])).content.decode()
    assert "ผลที่ประกาศ · ระดับ</td><td>–</td><td>ผ่านดี</td>" in page


def test_unchanged_save_writes_no_history(client, org, assessment):
    client.force_login(member(org))
    before = IndicatorScore.history.count()
    url = reverse("assessments:assessment-update", args=[assessment.pk])
    assert client.post(url, form_data(version=assessment.version)).status_code == 302
    assert IndicatorScore.history.count() == before


def test_result_page_points_out_document_004(client, org):
    krasang = make_assessment(
        org,
        year=2564,
        indicators=["93.66", "90.53", "91.59", "90.77", "93.23", "93.14", "94.12", "90.76", "92.42", "75.00"],
        published_overall=Decimal("95"),
        published_level="AA",
    )
    client.force_login(member(org))
    page = client.get(reverse("assessments:assessment-detail", args=[krasang.pk])).content.decode()
    assert 'id="overall">88.87<' in page and 'id="level">A<' in page
    assert "พบความไม่ตรงกัน 2 รายการ" in page
    assert "คะแนนภาพรวมที่ประกาศ (95.00) ไม่ตรงกับค่าที่คำนวณจากคะแนนตัวชี้วัด (88.87)" in page


def test_result_page_shows_targets(client, org):
    wangmee = make_assessment(
        org,
        indicators=["93.33", "96.13", "98.06", "83.87", "93.33", "97.13", "97.47", "95.74", "82.50", "85.00"],
    )
    client.force_login(member(org))
    page = client.get(reverse("assessments:assessment-detail", args=[wangmee.pk])).content.decode()
    assert "คะแนน OIT 83.75 (เป้าหมาย 85.00 ขึ้นไป) ไม่บรรลุ" in page
    assert "คะแนนภาพรวม 90.42 (เป้าหมาย 85.00 ขึ้นไป) บรรลุ" in page


# --- Login -------------------------------------------------------------------------------------


def test_login_page_is_thai_and_wrong_password_is_refused_in_thai(client):
    UserFactory(username="somsri")
    page = client.get(reverse("login")).content.decode()
    assert "เข้าสู่ระบบ ITA Portal" in page and 'lang="th"' in page
    response = client.post(reverse("login"), {"username": "somsri", "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้" in response.content.decode() and "รหัสผ่าน" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_demo_login_works(client):
    from django.core.management import call_command

    call_command("load_demo", force=True, verbosity=0)
    response = client.post(reverse("login"), {"username": "staff", "password": "ItaDemo!2568"})
    assert response.status_code == 302 and response.url == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert "องค์การบริหารส่วนตำบลโคกมน" in home and "องค์การบริหารส่วนตำบลวังหมี" in home
    assert "องค์การบริหารส่วนจังหวัดตาก" not in home


# --- EIT part scores (2567 onwards) -------------------------------------------------------------

# Every indicator high and the EIT at 88: ผ่านดี by the three tools.
EIT_88 = ["99", "99", "99", "99", "99", "88", "88", "88", "99", "99"]


def test_part_scores_decide_the_level_and_show_on_the_result_page(client, org):
    user = member(org)
    client.force_login(user)
    url = reverse("assessments:assessment-create", args=[org.pk]) + "?year=2568"
    response = client.post(url, form_data(EIT_88, eit_part1="๙๖", eit_part2="๘๐", published_level="good"))
    assert response.status_code == 302
    assessment = Assessment.objects.get(organisation=org)
    assert (assessment.eit_part1, assessment.eit_part2) == (Decimal("96.00"), Decimal("80.00"))
    page = client.get(response.url).content.decode()
    assert 'id="level">ผ่าน<' in page  # part 2 at 80 is below the floor of ผ่านดี
    assert "ระดับเบื้องต้น" not in page
    assert "EIT ส่วนที่ 2" in page and "80.00" in page
    assert "คะแนน EIT ส่วนที่ 2 80.00 (เป้าหมาย 85.00 ขึ้นไป) ไม่บรรลุ" in page
    # The published ผ่านดี is contradicted by the part scores.
    assert "ระดับที่ประกาศ (ผ่านดี) ไม่ตรงกับระดับตามเกณฑ์ของปี 2568 ที่คำนวณได้ (ผ่าน)" in page
    # The history names the part scores.
    assert "ผลที่ประกาศ · คะแนน EIT ส่วนที่ 2</td><td>–</td><td>80.00</td>" in page


def test_without_part_scores_the_level_is_provisional_on_every_page(client, org):
    assessment = make_assessment(org, indicators=EIT_88)
    client.force_login(member(org))
    note = "ระดับเบื้องต้น: ยังไม่ได้กรอกคะแนน EIT รายส่วน"
    detail = client.get(reverse("assessments:assessment-detail", args=[assessment.pk])).content.decode()
    assert 'id="level">ผ่านดี<' in detail and note in detail
    assert note in client.get(reverse("home")).content.decode()
    analysis = client.get(reverse("assessment-analysis", args=[assessment.pk])).content.decode()
    assert note in analysis


def test_one_part_score_alone_is_refused_beside_the_other_and_kept_as_typed(client, org):
    client.force_login(member(org))
    url = reverse("assessments:assessment-create", args=[org.pk]) + "?year=2568"
    response = client.post(url, form_data(EIT_88, eit_part1="๙๖.๕"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "eit_part2": ["กรุณากรอกคะแนน EIT ทั้งส่วนที่ 1 และส่วนที่ 2 หรือเว้นว่างทั้งคู่"]
    }
    html = response.content.decode()
    assert 'name="eit_part1" value="๙๖.๕"' in html  # what the user typed is kept
    assert html.index("ทั้งส่วนที่ 1 และส่วนที่ 2", html.index('name="eit_part2"')) > 0
    assert not Assessment.objects.filter(organisation=org).exists()


@pytest.mark.parametrize("value,message", [("101", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"), ("x", "คะแนนต้องเป็นตัวเลข")])
def test_bad_part_score_is_refused_beside_the_field(client, org, value, message):
    client.force_login(member(org))
    url = reverse("assessments:assessment-create", args=[org.pk]) + "?year=2567"
    response = client.post(url, form_data(EIT_88, eit_part1="90", eit_part2=value))
    assert response.status_code == 200
    assert message in response.context["form"].errors["eit_part2"][0]
    assert not Assessment.objects.exists()


def test_a_year_without_parts_has_no_part_fields(client, org):
    client.force_login(member(org))
    url = reverse("assessments:assessment-create", args=[org.pk]) + "?year=2566"
    html = client.get(url).content.decode()
    assert 'name="eit_part1"' not in html
    response = client.post(url, form_data(EIT_88, eit_part1="90", eit_part2="90"))
    assert response.status_code == 302
    assert Assessment.objects.get(organisation=org).eit_part1 is None
    html = client.get(reverse("assessments:assessment-create", args=[org.pk]) + "?year=2568").content.decode()
    assert 'name="eit_part1"' in html and 'name="eit_part2"' in html


def test_the_service_refuses_parts_in_a_year_without_them(org):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="ปี 2566 EIT ไม่ได้แยกคะแนนเป็นสองส่วน"):
        make_assessment(org, year=2566, eit_part1=Decimal("90"), eit_part2=Decimal("90"))
    with pytest.raises(ValidationError, match="ทั้งส่วนที่ 1 และส่วนที่ 2"):
        make_assessment(org, year=2568, eit_part1=Decimal("90"))
    assert not Assessment.objects.exists()


def test_eit_part_scores_alone_are_not_published_numbers_on_any_page_or_export(client, org):
    """One rule for "checked against the published result": the result page, home and the year
    export say nothing was entered when only the EIT part scores were (they are inputs)."""
    from tests.assessments.test_import_views import sheet_of

    assessment = make_assessment(org, eit_part1=Decimal("99.50"), eit_part2=Decimal("97.25"))
    client.force_login(member(org, Role.STAFF))
    detail = client.get(reverse("assessments:assessment-detail", args=[assessment.pk])).content.decode()
    assert "ยังไม่ได้กรอกผลที่ประกาศ จึงยังไม่ได้ตรวจสอบ" in detail
    assert "ผลที่ประกาศตรงกับค่าที่คำนวณได้" not in detail
    assert "ไม่ได้กรอกผลที่ประกาศ" in client.get(reverse("home")).content.decode()
    export = sheet_of(client.get(reverse("assessments:year-scores-export", args=[2568]))).worksheets[0]
    assert [row[-1] for row in export.iter_rows(min_row=2, values_only=True)] == ["ไม่ได้กรอกผลที่ประกาศ"]
