"""Checks a plan's texts against the assessment they come from (DOMAIN.md section 6).

Generated texts are right by construction; these checks catch what an edit made
wrong: an indicator number with another indicator's name, a score given for an
indicator that is not its score, a question code the year does not have.
Pure Python: it takes plain values and returns Thai messages.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ita_portal.numbers import format_score
from ita_portal.thai import thai_date, to_arabic_digits

_INDICATOR = re.compile(r"ตัวชี้วัดที่\s*(\d+)(?!\.\d)\s*")
_SCORE = re.compile(r"(\d{1,3}\.\d{2})\s*คะแนน")
_CODE = re.compile(r"(?<![A-Za-z0-9.])([ieoIEO]\d{1,2})(?![0-9])")
# What a template leaves behind when a fact was missing, or an edit left unfinished.
_UNFILLED = re.compile(r"\{[^{}\s]*\}|\[\[|\]\]")
_DASH_FOR_FIGURE = re.compile(r"(?:ได้|:)\s*[–—-]+(?=\s|$|[),])", re.M)
_NO_FIGURE = re.compile(r"ได้\s+คะแนน(?!เต็ม)|:\s*$", re.M)
_PLACEHOLDER_PHRASES = ("ยังไม่ได้บันทึกคะแนน",)


@dataclass(frozen=True)
class Facts:
    """The figures of one assessment that a plan's texts may quote."""

    indicator_names: Mapping[int, str]
    indicator_scores: Mapping[int, Decimal]
    question_codes: frozenset[str]
    other_scores: frozenset[Decimal]  # question, tool and overall scores, targets and thresholds
    # Codes written with their year, "O24 (ปี 2569)", are that year's: its codes when known.
    codes_by_year: Mapping[int, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class TextFinding:
    field: str
    message: str
    # Text that is not finished (a placeholder, a dash where a figure belongs): it can never
    # be published, whatever reason is given.
    placeholder: bool = False


def check_placeholders(text: str, field: str = "") -> list[TextFinding]:
    """Placeholder text that must not reach a document, each with a Thai message saying what is there."""
    findings = []
    for match in _UNFILLED.finditer(text):
        findings.append(TextFinding(field, f"มีช่องข้อมูลที่ยังไม่ได้เติม “{match.group()}”", placeholder=True))
    for match in _DASH_FOR_FIGURE.finditer(text):
        before = text[max(0, match.start() - 30) : match.end()].strip()
        findings.append(TextFinding(field, f"มีขีด “–” แทนตัวเลขหรือข้อมูลใน “…{before}”", placeholder=True))
    for match in _NO_FIGURE.finditer(text):
        before = text[max(0, match.start() - 30) : match.end()].strip()
        findings.append(TextFinding(field, f"ข้อความขาดตัวเลขหรือข้อมูลใน “…{before}”", placeholder=True))
    for phrase in _PLACEHOLDER_PHRASES:
        if phrase in text:
            findings.append(TextFinding(field, f"มีข้อความแทนข้อมูลที่ขาด “{phrase}…”", placeholder=True))
    return findings


def check_text(text: str, facts: Facts, field: str = "") -> list[TextFinding]:
    """Everything in ``text`` that contradicts ``facts``, and any placeholder left in it."""
    text = to_arabic_digits(text)
    findings = check_placeholders(text, field)
    names_by_length = sorted(facts.indicator_names.items(), key=lambda item: -len(item[1]))
    for match in _INDICATOR.finditer(text):
        number = int(match.group(1))
        if number not in facts.indicator_names:
            findings.append(TextFinding(field, f"ไม่มีตัวชี้วัดที่ {number} ในกรอบการประเมินของปีนี้"))
            continue
        following = text[match.end() :]
        named = next((n for n, name in names_by_length if following.startswith(name)), None)
        if named is not None and named != number:
            findings.append(
                TextFinding(
                    field,
                    f"ตัวชี้วัดที่ {number} คือ “{facts.indicator_names[number]}” "
                    f"ไม่ใช่ “{facts.indicator_names[named]}” (ชื่อนี้เป็นของตัวชี้วัดที่ {named})",
                )
            )
        # The first score after "ตัวชี้วัดที่ N", before any question code or other indicator, is N's.
        window = re.split(r"ตัวชี้วัดที่|" + _CODE.pattern, following, maxsplit=1)[0]
        score = _SCORE.search(window)
        if score and Decimal(score.group(1)) != facts.indicator_scores.get(number):
            findings.append(
                TextFinding(
                    field,
                    f"ตัวชี้วัดที่ {number} ได้ {format_score(facts.indicator_scores.get(number))} คะแนน "
                    f"ไม่ใช่ {score.group(1)} คะแนน",
                )
            )
    known_scores = set(facts.indicator_scores.values()) | facts.other_scores
    for match in _SCORE.finditer(text):
        if Decimal(match.group(1)) not in known_scores:
            findings.append(TextFinding(field, f"{match.group(1)} คะแนน ไม่ตรงกับคะแนนใดในผลการประเมินของปีนี้"))
    findings += _code_findings(text, facts, field)
    return _unique(findings)


_OF_YEAR = re.compile(r"\s*\(ปี\s*(\d{4})\)")


def _code_findings(text: str, facts: Facts, field: str) -> list[TextFinding]:
    """A code the year it is written for does not have: the assessment's year, or the year written
    after it ("O24 (ปี 2569)") when that year's codes are known."""
    by_year: dict[int | None, set[str]] = {}
    for match in _CODE.finditer(text):
        year = _OF_YEAR.match(text, match.end())
        by_year.setdefault(int(year.group(1)) if year else None, set()).add(match.group(1))
    findings = []
    for year, codes in by_year.items():
        known = facts.question_codes if year is None else facts.codes_by_year.get(year)
        if known is None:
            continue  # a year whose codes are not at hand
        if message := codes_not_in_year(sorted(codes), known, year):
            findings.append(TextFinding(field, message))
    return findings


def codes_not_in_year(codes: Iterable[str], known: Collection[str], year: int | None = None) -> str:
    """ "ปี 2568 ไม่มีข้อ o40, o41" for the codes not among the year's ``known`` ones ("" if none);
    "ปีที่ประเมิน…" when the year is not at hand."""
    missing = [code for code in codes if code not in known]
    if not missing:
        return ""
    where = f"ปี {year} " if year else "ปีที่ประเมิน"
    return f"{where}ไม่มีข้อ {', '.join(missing)}"


def check_texts(texts: Iterable[tuple[str, str]], facts: Facts) -> list[TextFinding]:
    """Check several (field label, text) pairs."""
    return _unique([f for label, text in texts for f in check_text(text, facts, label)])


def _unique(findings: list[TextFinding]) -> list[TextFinding]:
    return list(dict.fromkeys(findings))


def too_late_for_oit(
    *, items: Iterable[str], ends: datetime.date, check_date: datetime.date | None, plan_year: int
) -> str:
    """A measure answering the OIT ``items`` that ends after the last day they are checked: a
    Thai warning (the plan may keep it: work after the check still counts the next year), or ""."""
    items = list(items)
    if not items or check_date is None or ends <= check_date:
        return ""
    return (
        f"มาตรการนี้ตอบข้อ OIT {', '.join(items)} แต่สิ้นสุด {thai_date(ends, short=True)} "
        f"หลังวันสุดท้ายที่ตรวจ OIT ของปี {plan_year} ({thai_date(check_date, short=True)}) "
        "ข้อมูลที่เผยแพร่หลังจากนั้นจะไม่ทันการประเมินปีนี้"
    )
