"""Writes: the OIT register — opened with a row per item, saved as one form, copied forward to the
next year by each item's natural key, and checked by the link checker."""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.choices import QuestionKind
from assessments.models import FiscalYear, Organisation, Question
from assessments.services.frameworks import same_text
from ita_portal.permissions import Action, require
from ita_portal.stale import StaleEdit, saved_by, stale_message

from . import linkcheck
from .choices import RegisterStatus
from .models import MAX_LINKS, LinkCheck, RegisterItem

logger = logging.getLogger(__name__)

MAX_URL_LENGTH = 2000  # as LinkCheck.url keeps it


def oit_items(fiscal_year: FiscalYear):
    return Question.objects.filter(fiscal_year=fiscal_year, kind=QuestionKind.OIT_ITEM).order_by("order")


@transaction.atomic
def register_open(*, organisation: Organisation, fiscal_year: FiscalYear) -> None:
    """Give the organisation's register of the year a row for every OIT item it lacks (the first
    time it is opened, and after the year's framework gained items)."""
    have = set(
        RegisterItem.objects.filter(organisation=organisation, fiscal_year=fiscal_year).values_list(
            "question_id", flat=True
        )
    )
    RegisterItem.objects.bulk_create(
        [
            RegisterItem(organisation=organisation, fiscal_year=fiscal_year, question=question)
            for question in oit_items(fiscal_year)
            if question.pk not in have
        ],
        ignore_conflicts=True,  # two first openings at once: one set of rows
    )


@dataclass(frozen=True)
class RowValues:
    urls: str
    responsible: str
    status: str
    note: str = ""


def clean_urls(text: str) -> str:
    """One link per line, each http(s) and at most ``MAX_LINKS``; a Thai error names the line."""
    from django.core.validators import URLValidator

    lines = [line.strip() for line in text.splitlines() if line.strip()]
    validate = URLValidator(schemes=["http", "https"])
    errors = []
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_URL_LENGTH:
            errors.append(f"บรรทัดที่ {number} ยาวเกิน {MAX_URL_LENGTH:,} ตัวอักษร")
            continue
        try:
            validate(line)
        except ValidationError:
            errors.append(f"บรรทัดที่ {number} ไม่ใช่ลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://")
            continue
        if problem := _link_problem(line):
            errors.append(f"บรรทัดที่ {number} {problem}")
    if len(lines) > MAX_LINKS:
        errors.append(f"ใส่ได้ไม่เกิน {MAX_LINKS} ลิงก์ต่อรายการ")
    if errors:
        raise ValidationError(errors)
    return "\n".join(lines)


def _link_problem(url: str) -> str:
    """What makes a well-formed link unfit for a public OIT register, in Thai, or ""."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None or parts.password is not None:
        return "มีชื่อผู้ใช้หรือรหัสผ่านอยู่ในลิงก์ ลิงก์ OIT เปิดเผยต่อสาธารณะ จึงห้ามใส่"
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port is not None and not 1 <= port <= 65535:
        return "มีหมายเลขพอร์ตที่ใช้ไม่ได้ (ต้องอยู่ระหว่าง 1 ถึง 65535)"
    return ""


@transaction.atomic
def register_save(
    *,
    organisation: Organisation,
    fiscal_year: FiscalYear,
    rows: Mapping[int, RowValues],
    versions: Mapping[int, int],
    user,
) -> int:
    """Save the rows that changed (item pk → values), all or none. A row someone else saved after
    the form was opened (its version is not the one the form showed) refuses the whole save with
    ``StaleEdit`` naming the items. A status of มีแล้ว or ตรวจแล้ว needs a link. Returns how many
    rows changed."""
    require(user, organisation, Action.REGISTER_EDIT)
    items = {
        item.pk: item
        for item in RegisterItem.objects.select_for_update(of=("self",))
        .filter(organisation=organisation, fiscal_year=fiscal_year, pk__in=list(rows))
        .select_related("question", "updated_by")
    }
    stale = [item for pk, item in items.items() if item.version != versions.get(pk)]
    if stale:
        newest = max(stale, key=lambda item: item.updated_at)
        raise StaleEdit(
            stale_message("ทะเบียน OIT ", saved_by(newest.updated_by, newest.updated_at)),
            [
                (f"รายการ {item.question.code}", "", item.url_list[0] if item.url_list else "–")
                for item in stale
            ],
        )
    errors = {}
    changed = 0
    for pk, values in rows.items():
        item = items.get(pk)
        if item is None:
            continue  # not a row of this register: ignored, never written
        urls = values.urls
        if values.status != RegisterStatus.MISSING and not urls:
            errors[pk] = "ใส่ลิงก์ก่อนจึงจะเลือกสถานะ “มีแล้ว” หรือ “ตรวจแล้ว” ได้"
            continue
        new = (urls, values.responsible.strip(), values.status, values.note.strip())
        if new == (item.urls, item.responsible, item.status, item.note):
            continue
        item.urls, item.responsible, item.status, item.note = new
        item.updated_by = user
        item.version += 1  # the row is locked (select_for_update) until the transaction ends
        item.full_clean()
        item.save()
        changed += 1
    if errors:
        raise ValidationError(errors)
    return changed


@dataclass(frozen=True)
class CopyResult:
    copied: int  # rows given last year's links
    reworded: int  # of those, items whose wording changed: warned
    new: int  # items of this year with no item of last year to match


@transaction.atomic
def register_copy_forward(*, organisation: Organisation, fiscal_year: FiscalYear, user) -> CopyResult:
    """Fill this year's empty rows from last year's register, item by item matched by the item's
    natural key (``Question.key``), never by its code (o10 of one year is not o10 of the next).
    Links and the person responsible are copied, the status falls back to มีแล้ว (to be checked
    again), and a row whose item changed wording, or that has no item last year, is warned."""
    require(user, organisation, Action.REGISTER_EDIT)
    register_open(organisation=organisation, fiscal_year=fiscal_year)
    previous = {
        item.question.key: item
        for item in RegisterItem.objects.filter(
            organisation=organisation, fiscal_year__year=fiscal_year.year - 1
        ).select_related("question")
        if item.question.key
    }
    copied = reworded = new = 0
    rows = RegisterItem.objects.select_for_update(of=("self",)).filter(
        organisation=organisation, fiscal_year=fiscal_year
    )
    for item in rows.select_related("question"):
        if item.url_list:
            continue  # never overwrite what was typed this year
        before = previous.get(item.question.key) if item.question.key else None
        if before is None:
            item.carried_warning = (
                f"รายการใหม่ของปี {fiscal_year.year}: ไม่มีรายการเดียวกันในปี {fiscal_year.year - 1}"
            )
            new += 1
        elif not before.url_list:
            continue  # the same item had no link last year either: nothing to copy, nothing to warn
        else:
            item.urls, item.responsible = before.urls, before.responsible
            item.status = RegisterStatus.PRESENT
            copied += 1
            if same_text(before.question.text, item.question.text):
                item.carried_warning = f"คัดลอกจากข้อ {before.question.code} ปี {fiscal_year.year - 1}"
            else:
                item.carried_warning = (
                    f"คัดลอกจากข้อ {before.question.code} ปี {fiscal_year.year - 1} “{before.question.text}” "
                    "แต่ถ้อยคำของรายการเปลี่ยนไป ตรวจว่าเอกสารยังตรงกับที่ขอ"
                )
                reworded += 1
        item.updated_by = user
        item.version += 1
        item.save()
    return CopyResult(copied=copied, reworded=reworded, new=new)


@dataclass(frozen=True)
class CheckSummary:
    links: int  # distinct links fetched
    verdicts: dict[str, int]  # per item and link: a link two items name is judged for each


def register_check(
    *,
    items: Sequence[RegisterItem],
    policy: linkcheck.Policy,
    on_progress: Callable[[int], None] | None = None,
) -> CheckSummary:
    """Check every link of ``items`` (the links asked of each host paced as the policy says) and
    keep each result; the previous result of a link stops being the latest. The rows' statuses
    are the people's to set: the checker writes only its results."""
    by_url: dict[str, list[RegisterItem]] = {}
    for item in items:
        for url in item.url_list:
            by_url.setdefault(url, []).append(item)
    verdicts: dict[str, int] = {}
    for done, url in enumerate(linkcheck.paced(list(by_url), policy), start=1):
        try:
            _check_link(url, by_url[url], policy, verdicts)
        except Exception:  # one link's failure is that link's: the rest of the register is checked
            logger.exception("checking the link %s failed", url[:200])
        if on_progress:
            on_progress(done)
    return CheckSummary(links=len(by_url), verdicts=verdicts)


def _check_link(url: str, items: Sequence[RegisterItem], policy: linkcheck.Policy, verdicts: dict) -> None:
    """Fetch ``url`` once and keep its verdict for each item that names it."""
    fetched = linkcheck.fetch(url, policy)
    for item in items:
        verdict = linkcheck.judge(fetched, item.question.accepted_years, policy)
        with transaction.atomic():
            LinkCheck.objects.filter(item=item, url=url, latest=True).update(latest=False)
            LinkCheck.objects.create(
                item=item,
                url=url,
                checked_at=timezone.now(),
                verdict=verdict.level,
                code=verdict.code,
                reason=verdict.reason[:255],
                http_status=fetched.status,
                final_url=fetched.final_url[:2000],
                content_type=fetched.content_type[:100],
                size=fetched.size,
                last_modified=fetched.last_modified[:64],
                title=verdict.title[:255],
                years=" ".join(str(y) for y in verdict.years)[:64],
                elapsed_ms=int(fetched.elapsed * 1000),
            )
        verdicts[verdict.level] = verdicts.get(verdict.level, 0) + 1
