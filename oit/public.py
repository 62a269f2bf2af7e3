"""The public OIT page of an organisation's year (no login): every item in NACC's order with its
sub-indicator, the agency's links and the day each was last found working, the portal's own
published documents filled in; and the links in the same order as a workbook to paste into ITAS.

Only what the agency publishes anyway: never who is responsible, its notes, or why a check failed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from assessments.choices import QuestionKind
from assessments.models import FiscalYear, Organisation, Question
from ita_portal.responses import style_header, workbook_bytes

from .choices import LinkVerdict, RegisterStatus
from .models import LinkCheck, RegisterItem
from .selectors import PORTAL_DOCUMENTS, portal_url, published_kinds


@dataclass(frozen=True)
class PublicLink:
    url: str
    working_on: datetime.date | None  # the last day a check found it working


@dataclass(frozen=True)
class PublicItem:
    code: str
    text: str
    sub_indicator: str  # "9.1 ข้อมูลพื้นฐาน"
    links: list[PublicLink]
    portal: bool  # the first link is the portal's own published document

    @property
    def published(self) -> bool:
        return bool(self.links)


@dataclass(frozen=True)
class PublicRegister:
    organisation: Organisation
    year: int
    items: list[PublicItem]

    @property
    def published_count(self) -> int:
        return sum(item.published for item in self.items)


def public_register(organisation: Organisation, fiscal_year: FiscalYear, site: str) -> PublicRegister:
    """The year's items (none: an empty list) with what the organisation publishes (four queries);
    ``site`` ("https://ita.example.go.th") makes the portal's own links whole."""
    questions = list(
        Question.objects.filter(fiscal_year=fiscal_year, kind=QuestionKind.OIT_ITEM)
        .select_related("sub_indicator")
        .order_by("order")
    )
    rows = {
        row.question_id: row
        for row in RegisterItem.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
    }
    working = dict(
        LinkCheck.objects.filter(item__in=[row.pk for row in rows.values()], verdict=LinkVerdict.OK)
        .values_list("url")
        .annotate(last=Max("checked_at"))
        .values_list("url", "last")
    )
    published = published_kinds([organisation.pk], fiscal_year.year).get(organisation.pk, set())
    items = []
    for question in questions:
        row = rows.get(question.pk)
        links = []
        own = PORTAL_DOCUMENTS.get(question.key) in published
        if own:
            links.append(PublicLink(site + portal_url(organisation.pk, fiscal_year.year, question.key), None))
        if row is not None and row.status != RegisterStatus.MISSING:
            links += [
                PublicLink(url, working[url].date() if url in working else None)
                for url in row.url_list
                if not own or url != links[0].url
            ]
        sub = question.sub_indicator
        items.append(
            PublicItem(
                code=question.code,
                text=question.text,
                sub_indicator=f"{sub.code} {sub.name}" if sub else "",
                links=links,
                portal=own,
            )
        )
    return PublicRegister(organisation=organisation, year=fiscal_year.year, items=items)


def public_workbook(register: PublicRegister) -> bytes:
    """The links in ITAS's order, one row per item and one column per link, to paste from."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"OIT {register.year}"
    sheet.append([f"รายการข้อมูล OIT ปี {register.year} · {register.organisation.name}"])
    sheet.append([])
    width = max((len(item.links) for item in register.items), default=1) or 1
    sheet.append(["ข้อ", "รายการ", *(f"ลิงก์ที่ {n}" for n in range(1, width + 1))])
    style_header(sheet[sheet.max_row])
    for item in register.items:
        sheet.append([item.code, item.text, *(link.url for link in item.links)])
    sheet.column_dimensions["B"].width = 60
    for column in range(3, 3 + width):
        sheet.column_dimensions[get_column_letter(column)].width = 60
    return workbook_bytes(book)
