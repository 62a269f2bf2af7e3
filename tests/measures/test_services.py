"""Plan generation, regeneration after edits, the review workflow, locking and history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import selectors as assessment_selectors
from assessments.choices import Role
from assessments.models import AnalysisRule, Assessment, QuestionScore
from ita_portal.numbers import format_score
from measures import services
from measures.choices import MeasureKind, PlanAction, PlanStatus
from measures.models import Measure, MeasureTemplate, PlanEvent
from measures.selectors import plan_changes, plan_findings
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    load_reference_demo,
    make_plan,
    make_wangmee,
    member,
)

pytestmark = pytest.mark.django_db


def measures_of(plan):
    return list(plan.measures.select_related("indicator").order_by("order"))


# --- Generation -------------------------------------------------------------------------------


def test_every_seed_plan_covers_each_indicator_below_target_with_its_weak_questions_and_real_scores():
    load_reference_demo()
    admin = UserFactory(username="root", is_superuser=True)
    for assessment in Assessment.objects.with_scores():
        plan = services.plan_generate(assessment=assessment, user=admin).plan
        found = assessment_selectors.assessment_analysis(assessment)
        measures = measures_of(plan)
        assert plan.plan_year == assessment.fiscal_year.year + 1
        assert plan_findings(plan) == [], assessment
        target = assessment.fiscal_year.target_overall
        for item in found.all:
            ind = item.indicator
            mine = [m for m in measures if m.indicator.number == ind.number]
            assert mine, (assessment, ind.number)
            # Number and name come from the assessment's own framework year.
            assert all(
                m.indicator.name == ind.name and m.indicator.fiscal_year_id == assessment.fiscal_year_id
                for m in mine
            )
            if ind.score < target:
                assert all(m.kind == MeasureKind.IMPROVE and m.urgent for m in mine)
                named = {code for m in mine for code in m.question_code_list}
                assert named == {q.code for q in item.weaknesses}
                text = " ".join(m.analysis for m in mine)
                assert f"{format_score(ind.score)} คะแนน" in text
                for weak in item.weaknesses:
                    assert f"{weak.code} " in text and f"{format_score(weak.score)} คะแนน" in text


def test_wangmee_plan_ties_measures_to_weak_questions_and_keeps_the_strong_indicators():
    organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี")
    plan, _ = make_plan(organisation)
    measures = measures_of(plan)
    by_indicator = {}
    for m in measures:
        by_indicator.setdefault(m.indicator.number, []).append(m)
    # Indicator 4 (83.87): one measure per weak question, each with its own score.
    four = by_indicator[4]
    assert [m.question_codes for m in four] == ["i10", "i11", "i12"]
    assert "ข้อ i10" in four[0].analysis and "77.74 คะแนน" in four[0].analysis
    assert "ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ ได้ 83.87 คะแนน" in four[0].analysis
    assert all(m.urgent for m in four)
    # Indicator 10 (85.00) has no question scores: the fallback leaves the question sentence out
    # rather than print a placeholder.
    [ten] = by_indicator[10]
    assert ten.template.key == "indicator-10-improve"
    assert ten.analysis == "ตัวชี้วัดที่ 10 การป้องกันการทุจริต ได้ 85.00 คะแนน เป็นตัวชี้วัดที่ต้องปรับปรุง/พัฒนา"
    # Indicators 2, 3 (above 95) are kept at standard.
    assert [m.kind for m in by_indicator[3]] == [MeasureKind.KEEP]
    # OIT references are the assessment year's codes: i10's template relies on 2568's o8 (staff manual).
    assert four[0].relies_on == "o8"
    # Measures come grouped by tool, then indicator.
    assert [m.indicator.number for m in measures] == sorted(m.indicator.number for m in measures)
    assert PlanEvent.objects.get(plan=plan).action == PlanAction.GENERATE


def test_the_years_rule_changes_the_plan():
    organisation = OrganisationFactory()
    user = member(organisation, Role.WORKING_GROUP)
    assessment = make_wangmee(organisation, user=user)
    rule = AnalysisRule.objects.get(fiscal_year=assessment.fiscal_year)
    rule.improve_below = Decimal("97")
    rule.save()
    plan = services.plan_generate(assessment=assessment, user=user).plan
    kinds = {m.indicator.number: m.kind for m in plan.measures.select_related("indicator")}
    assert kinds[2] == MeasureKind.IMPROVE  # 96.13 is below the raised threshold
    assert kinds[3] == MeasureKind.KEEP


def test_recommendation_is_quoted_in_the_measure():
    organisation = OrganisationFactory()
    user = member(organisation, Role.STAFF)
    assessment = make_wangmee(organisation, user=user, question_recommendations={"i10": "ควรกำหนดขั้นตอนการยืม"})
    plan = services.plan_generate(assessment=assessment, user=user).plan
    measure = plan.measures.get(question_codes="i10")
    assert "ผู้ตรวจประเมินเสนอแนะในข้อ i10 ว่า “ควรกำหนดขั้นตอนการยืม”" in measure.analysis


def test_administrators_and_strangers_cannot_generate():
    organisation = OrganisationFactory()
    assessment = make_wangmee(organisation)
    for user in (member(organisation, Role.ADMINISTRATOR), UserFactory()):
        with pytest.raises(PermissionDenied):
            services.plan_generate(assessment=assessment, user=user)


# --- Regeneration -----------------------------------------------------------------------------


def test_regeneration_updates_untouched_measures_and_never_overwrites_edited_ones():
    plan, user = make_plan()
    assessment = plan.assessment
    i10 = plan.measures.get(question_codes="i10")
    i12 = plan.measures.get(question_codes="i12")
    manual = services.measure_create(
        plan=plan,
        user=user,
        values={
            "indicator": i10.indicator,
            "title": "มาตรการที่คณะทำงานเพิ่มเอง",
            "analysis": "ข้อความ",
            "steps": "ขั้นที่หนึ่ง",
            "period_start": 1,
            "period_end": 2,
            "responsible_unit": "กองช่าง",
            "question_codes": "",
            "relies_on": "",
            "urgent": False,
        },
    )
    services.measure_update(measure=i10, user=user, values={"title": "ชื่อที่คณะทำงานแก้", "steps": "ขั้นใหม่"})

    # The staff correct the scores: i10 and i12 rise, i11 reaches full marks.
    for code, score in (("i10", "80.00"), ("i12", "80.00"), ("i11", "100")):
        QuestionScore.objects.filter(assessment=assessment, question__code=code).update(score=Decimal(score))
    report = services.plan_generate(assessment=assessment, user=user)

    i10.refresh_from_db()
    assert i10.title == "ชื่อที่คณะทำงานแก้" and i10.steps == "ขั้นใหม่"  # kept
    assert i10.outdated  # and flagged: its figures moved on
    assert i10 in report.kept_edited
    i12.refresh_from_db()
    assert "80.00 คะแนน" in i12.analysis and not i12.outdated  # untouched: updated
    assert not plan.measures.filter(question_codes="i11").exists()  # no longer weak: removed
    assert Measure.objects.filter(pk=manual.pk).exists()  # added by hand: left alone
    assert len(report.removed) == 1
    event = PlanEvent.objects.filter(plan=plan).first()
    assert event.action == PlanAction.REGENERATE and "นำออก 1" in event.comment


def test_regenerating_unchanged_scores_changes_nothing():
    plan, user = make_plan()
    before = {m.pk: (m.title, m.analysis, m.order) for m in plan.measures.all()}
    history = Measure.history.filter(plan_id=plan.pk).count()
    report = services.plan_generate(assessment=plan.assessment, user=user)
    assert not report.added and not report.updated and not report.removed
    assert {m.pk: (m.title, m.analysis, m.order) for m in plan.measures.all()} == before
    assert Measure.history.filter(plan_id=plan.pk).count() == history


def test_editing_an_outdated_measure_clears_the_flag():
    plan, user = make_plan()
    measure = plan.measures.get(question_codes="i10")
    services.measure_update(measure=measure, user=user, values={"title": "แก้ครั้งแรก"})
    QuestionScore.objects.filter(assessment=plan.assessment, question__code="i10").update(
        score=Decimal("70.00")
    )
    services.plan_generate(assessment=plan.assessment, user=user)
    measure.refresh_from_db()
    assert measure.outdated
    services.measure_update(measure=measure, user=user, values={"analysis": "ข้อ i10 ได้ 70.00 คะแนน"})
    measure.refresh_from_db()
    assert not measure.outdated


# --- Workflow ---------------------------------------------------------------------------------


def users_by_role(organisation):
    return {role: member(organisation, role) for role in Role.values}


ALLOWED = {
    PlanAction.SUBMIT: {Role.STAFF, Role.WORKING_GROUP},
    PlanAction.APPROVE: {Role.WORKING_GROUP},
    PlanAction.RETURN: {Role.WORKING_GROUP},
    PlanAction.PUBLISH: {Role.ADMINISTRATOR},
    PlanAction.REOPEN: {Role.WORKING_GROUP},
}
STARTS = {
    PlanAction.SUBMIT: [],
    PlanAction.APPROVE: [PlanAction.SUBMIT],
    PlanAction.RETURN: [PlanAction.SUBMIT],
    PlanAction.PUBLISH: [PlanAction.SUBMIT, PlanAction.APPROVE],
    PlanAction.REOPEN: [PlanAction.SUBMIT, PlanAction.APPROVE],
}
TARGETS = {
    PlanAction.SUBMIT: PlanStatus.SUBMITTED,
    PlanAction.APPROVE: PlanStatus.APPROVED,
    PlanAction.RETURN: PlanStatus.RETURNED,
    PlanAction.PUBLISH: PlanStatus.PUBLISHED,
    PlanAction.REOPEN: PlanStatus.DRAFT,
}


def run(plan, user, action):
    kwargs = {"comment": "เหตุผล"}
    return services.PLAN_ACTIONS[action](plan=plan, user=user, **kwargs)


@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("role", Role.values)
def test_each_transition_and_who_may_make_it(action, role):
    plan, _ = make_plan()
    users = users_by_role(plan.organisation)
    wg = users[Role.WORKING_GROUP]
    for step in STARTS[action]:
        plan = run(plan, wg if step != PlanAction.PUBLISH else users[Role.ADMINISTRATOR], step)
    before = plan.status
    if role in ALLOWED[action]:
        plan = run(plan, users[role], action)
        assert plan.status == TARGETS[action]
        event = plan.events.first()
        assert (event.action, event.from_status, event.to_status, event.user) == (
            action,
            before,
            TARGETS[action],
            users[role],
        )
    else:
        with pytest.raises(PermissionDenied):
            run(plan, users[role], action)
        plan.refresh_from_db()
        assert plan.status == before


def test_a_user_of_another_organisation_can_do_nothing():
    plan, _ = make_plan()
    stranger = member(OrganisationFactory(), Role.WORKING_GROUP)
    with pytest.raises(PermissionDenied):
        services.plan_submit(plan=plan, user=stranger)


def test_transitions_only_from_their_statuses():
    plan, wg = make_plan()
    with pytest.raises(services.PlanLocked):
        services.plan_approve(plan=plan, user=wg)  # a draft cannot be approved
    admin = member(plan.organisation, Role.ADMINISTRATOR)
    with pytest.raises(services.PlanLocked):
        services.plan_publish(plan=plan, user=admin)  # nor published


def test_approval_records_the_meeting_and_locks_the_plan():
    plan, wg = make_plan()
    staff = member(plan.organisation, Role.STAFF)
    services.plan_submit(plan=plan, user=staff)
    plan = services.plan_approve(
        plan=plan, user=wg, meeting_number="2/2568", meeting_date=datetime.date(2025, 10, 15)
    )
    assert (plan.meeting_number, plan.meeting_date) == ("2/2568", datetime.date(2025, 10, 15))
    assert plan.events.first().meeting_number == "2/2568"
    measure = plan.measures.first()
    for attempt in (
        lambda: services.measure_update(measure=measure, user=wg, values={"title": "แก้หลังอนุมัติ"}),
        lambda: services.measure_delete(measure=measure, user=wg),
        lambda: services.measure_move(measure=measure, user=wg, up=False),
        lambda: services.plan_generate(assessment=plan.assessment, user=wg),
    ):
        with pytest.raises(services.PlanLocked):
            attempt()
    measure.refresh_from_db()
    assert measure.title != "แก้หลังอนุมัติ"
    assert plan.measures.filter(pk=measure.pk).exists()


def test_reopening_needs_a_reason_and_is_recorded():
    plan, wg = make_plan()
    services.plan_submit(plan=plan, user=wg)
    services.plan_approve(plan=plan, user=wg)
    with pytest.raises(ValidationError):
        services.plan_reopen(plan=plan, user=wg, comment="  ")
    plan = services.plan_reopen(plan=plan, user=wg, comment="ผู้บริหารให้เพิ่มมาตรการ")
    assert plan.status == PlanStatus.DRAFT and plan.is_editable
    event = plan.events.first()
    assert (event.action, event.from_status, event.comment) == (
        PlanAction.REOPEN,
        PlanStatus.APPROVED,
        "ผู้บริหารให้เพิ่มมาตรการ",
    )
    services.measure_update(measure=plan.measures.first(), user=wg, values={"title": "แก้ได้อีกครั้ง"})


def test_returning_needs_comments_and_the_draft_can_be_submitted_again():
    plan, wg = make_plan()
    services.plan_submit(plan=plan, user=wg)
    with pytest.raises(ValidationError):
        services.plan_return(plan=plan, user=wg, comment="")
    plan = services.plan_return(plan=plan, user=wg, comment="ขอให้เพิ่มผู้รับผิดชอบ")
    assert plan.status == PlanStatus.RETURNED and plan.is_editable
    plan = services.plan_submit(plan=plan, user=wg)
    assert plan.status == PlanStatus.SUBMITTED


def test_a_plan_whose_texts_contradict_the_scores_cannot_be_submitted():
    plan, wg = make_plan()
    measure = plan.measures.get(question_codes="i10")
    services.measure_update(
        measure=measure, user=wg, values={"analysis": "ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ ได้ 70.00 คะแนน"}
    )
    with pytest.raises(ValidationError, match="ไม่ตรงกับผลการประเมิน"):
        services.plan_submit(plan=plan, user=wg)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


# --- Editing and history ----------------------------------------------------------------------


def test_every_change_is_in_the_history_with_who_old_and_new():
    plan, wg = make_plan()
    measure = plan.measures.get(question_codes="i10")
    old_title = measure.title
    services.measure_update(measure=measure, user=wg, values={"title": "ชื่อใหม่", "period_end": 4})
    services.measure_delete(measure=plan.measures.get(question_codes="i12"), user=wg)
    services.plan_submit(plan=plan, user=wg)
    changes = plan_changes(plan)
    title = next(c for c in changes if c.field == "มาตรการ")
    assert (title.old, title.new, title.user) == (old_title, "ชื่อใหม่", wg)
    assert any(c.field == "ลบ" and c.subject.startswith("มาตรการ") for c in changes)
    status = next(c for c in changes if c.field == "สถานะ" and c.new == "เสนอคณะทำงานพิจารณา")
    assert status.old == "ร่าง"


def test_moving_swaps_within_the_tool_only():
    plan, wg = make_plan()
    iit = list(plan.measures.filter(indicator__tool__code="IIT").order_by("order"))
    eit_first = plan.measures.filter(indicator__tool__code="EIT").order_by("order").first()
    assert services.measure_move(measure=iit[1], user=wg, up=True)
    assert list(plan.measures.filter(indicator__tool__code="IIT").order_by("order"))[:2] == [iit[1], iit[0]]
    assert not services.measure_move(measure=eit_first, user=wg, up=True)  # first of its tool


def test_a_measure_must_stay_in_the_assessment_year():
    plan, wg = make_plan()
    measure = plan.measures.get(question_codes="i10")
    with pytest.raises(ValidationError):
        services.measure_update(
            measure=measure, user=wg, values={"question_codes": "e1"}
        )  # e1 is indicator 6's
    with pytest.raises(ValidationError):
        services.measure_update(measure=measure, user=wg, values={"period_start": 3, "period_end": 2})


# --- Template library -------------------------------------------------------------------------


def test_templates_cover_every_question_of_2567_to_2569_and_every_indicator():
    from assessments.models import Question

    covered = set(
        MeasureTemplate.objects.filter(question__isnull=False).values_list("question_id", flat=True)
    )
    questions = Question.objects.filter(fiscal_year__year__in=[2567, 2568, 2569])
    assert questions.count() == 59 + 51 + 50  # 2569: 24 IIT/EIT questions and 26 OIT items
    assert set(questions.values_list("pk", flat=True)) <= covered
    for kind in (MeasureKind.IMPROVE, MeasureKind.KEEP):
        numbers = MeasureTemplate.objects.filter(fiscal_year__isnull=True, kind=kind).values_list(
            "indicator_number", flat=True
        )
        assert sorted(numbers) == list(range(1, 11))


def test_a_bad_template_file_writes_nothing():
    count = MeasureTemplate.objects.count()
    data = {
        "templates": [
            {
                "key": "new-ok",
                "year": None,
                "indicator": 1,
                "kind": "keep",
                "title": "ก",
                "analysis": "ข",
                "steps": ["ค"],
            },
            {
                "key": "bad",
                "year": None,
                "indicator": 1,
                "title": "{no_such_field}",
                "analysis": "ข",
                "steps": ["ค"],
            },
        ]
    }
    with pytest.raises(ValidationError, match="no_such_field"):
        services.measure_templates_load(data=data)
    assert MeasureTemplate.objects.count() == count
