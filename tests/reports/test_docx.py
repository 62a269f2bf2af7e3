"""Word working copies: each document downloaded as .docx and opened with python-docx holds its
title, the organisation's name and every measure title, in TH Sarabun New, marked as a copy to
edit; another organisation's plan is a 404."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from reports import services
from reports.choices import DocumentKind
from reports.docx import FONT, WORKING_COPY
from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


def all_text(word) -> str:
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_each_document_as_word_holds_its_title_the_organisation_and_every_measure(client, with_memo, kind):
    plan, wg, _admin = with_memo
    fields = {"date": None, "signer_name": "นายสมชาย รักษ์ถิ่น", "signer_position": "นายกองค์การบริหารส่วนตำบลวังหมี"}
    services.announcement_save(plan=plan, user=wg, fields=fields, expected_version=0)
    client.force_login(wg)
    response = client.get(reverse("reports:document-docx", args=[plan.pk, kind]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="ita-{kind}-{plan.plan_year}-working-copy.docx"'
    )
    word = Document(io.BytesIO(response.content))
    text = " ".join(all_text(word).split())
    assert word.paragraphs[0].text == WORKING_COPY
    assert plan.organisation.name in text
    title_words = {
        DocumentKind.ANALYSIS: "รายงานผลการวิเคราะห์",
        DocumentKind.MEMO: "บันทึกข้อความ",
        DocumentKind.ANNOUNCEMENT: "ประกาศ",
        DocumentKind.IMPLEMENTATION: "รายงานผลการดำเนินการ",
    }
    assert title_words[kind] in text
    for title in plan.measures.values_list("title", flat=True):
        if kind != DocumentKind.MEMO:  # the memo counts the measures; it does not list them
            assert " ".join(title.split()) in text, title
    normal = word.styles["Normal"].element.rPr.rFonts
    assert normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cs") == FONT


def test_another_organisations_plan_is_a_404(client, approved):
    plan, _wg, _admin = approved
    client.force_login(member(OrganisationFactory(name="อื่น")))
    assert client.get(reverse("reports:document-docx", args=[plan.pk, "analysis"])).status_code == 404
