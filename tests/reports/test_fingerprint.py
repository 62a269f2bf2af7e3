"""A cached PDF's key (reports.fingerprint): it changes when a record the document prints changes —
however the change was written — and not otherwise; a repeat download is served without building
the document."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse

from assessments.choices import OrganisationType
from assessments.models import Assessment, Indicator, IndicatorScore, Organisation
from measures.models import Measure
from reports import context, documents, fingerprint, services
from reports.models import DocumentOptions
from tests.factories import OrganisationFactory, make_approved_plan

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)
SITE = "https://ita.example.go.th"
KINDS = ("analysis", "memo", "announcement", "implementation")


def keys(plan, day=DAY, site=SITE) -> dict[str, str]:
    plan.refresh_from_db()
    return {kind: fingerprint.document_key(plan, kind, today=day, site=site) for kind in KINDS}


@pytest.fixture
def two(approved):
    """The plan of document 001's result, and another organisation's approved plan (another
    province and type, so not its peer)."""
    plan, wg, _admin = approved
    other = OrganisationFactory(
        name="เทศบาลตำบลอื่น", province="เชียงใหม่", org_type=OrganisationType.SUBDISTRICT_MUNICIPALITY
    )
    other_plan, _ = make_approved_plan(other)
    return plan, wg, other_plan


def test_the_same_records_give_the_same_key_and_another_organisations_changes_do_not_count(two):
    plan, _wg, other_plan = two
    before = keys(plan)
    assert keys(plan) == before
    assert len(set(before.values())) == 4  # one per document
    Measure.objects.filter(plan=other_plan).update(title="แก้ไขในหน่วยงานอื่น")
    IndicatorScore.objects.filter(assessment__organisation=other_plan.organisation).update(score=50)
    Organisation.objects.filter(pk=other_plan.organisation.pk).update(name="ชื่อใหม่ของหน่วยงานอื่น")
    assert keys(plan) == before
    assert keys(other_plan) != keys(other_plan, site="https://other.example")


@pytest.mark.parametrize(
    "change",
    [
        "a measure saved",
        "measures updated in bulk",
        "an indicator score updated in bulk",
        "the organisation renamed",
        "a framework's indicator renamed in the admin",
        "the digits option",
    ],
)
def test_a_change_to_a_printed_record_changes_every_documents_key(two, change):
    plan, _wg, _other = two
    before = keys(plan)
    measure = plan.measures.order_by("pk").first()
    if change == "a measure saved":
        measure.title += " (แก้ไข)"
        measure.save()
    elif change == "measures updated in bulk":
        Measure.objects.filter(pk=measure.pk).update(order=F("order") + 1)
    elif change == "an indicator score updated in bulk":
        IndicatorScore.objects.filter(assessment=plan.assessment).update(score=F("score") - 1)
    elif change == "the organisation renamed":
        Organisation.objects.filter(pk=plan.organisation.pk).update(name="องค์การบริหารส่วนตำบลวังหมีใหม่")
    elif change == "a framework's indicator renamed in the admin":
        indicator = Indicator.objects.filter(fiscal_year=plan.assessment.fiscal_year).first()
        indicator.name += " (ถ้อยคำใหม่)"
        indicator.save()
    else:
        DocumentOptions.objects.create(plan=plan, kind="analysis", thai_digits=False)
    after = keys(plan)
    changed = {kind for kind in KINDS if after[kind] != before[kind]}
    assert changed == ({"analysis"} if change == "the digits option" else set(KINDS))


def test_what_only_one_document_prints_changes_only_its_key(two):
    plan, _wg, _other = two
    before = keys(plan)
    # A peer (same type, same province) with a result moves the analysis report's rank only.
    peer = OrganisationFactory(
        name="อบต. เพื่อนบ้าน", province=plan.organisation.province, org_type=plan.organisation.org_type
    )
    make_approved_plan(peer)
    assert {k for k, v in keys(plan).items() if v != before[k]} == {"analysis"}
    # Another day changes only the implementation report ("ข้อมูล ณ วันที่").
    later = keys(plan, day=DAY + datetime.timedelta(days=1))
    now = keys(plan)
    assert {k for k in KINDS if later[k] != now[k]} == {"implementation"}
    # The assessment's stored result (as an import's refresh writes it).
    Assessment.objects.filter(pk=plan.assessment_id).update(overall=F("overall") - 1)
    assert all(v != now[k] for k, v in keys(plan).items())


@pytest.mark.slow  # a real render
def test_a_repeat_download_is_served_without_building_the_document(client, approved, monkeypatch):
    plan, wg, _admin = approved
    client.force_login(wg)
    url = reverse("reports:document-pdf", kwargs={"pk": plan.pk, "kind": "implementation"})
    first = client.get(url)  # rendered by the task (immediate backend), then kept
    assert first.status_code == 302

    def built(*args, **kwargs):
        raise AssertionError("the document was built")

    monkeypatch.setattr(context, "build", built)
    monkeypatch.setattr(documents, "render_html", built)
    monkeypatch.setattr(services, "document_render", built)
    again = client.get(url)
    assert again.status_code == 200 and again.content.startswith(b"%PDF")
