"""The analysis of one ITA result: which indicators to keep at standard and which to improve.

Pure Python on ``Decimal`` like ``scoring``: no Django import, so the rule is tested
table-driven without a database. The rule is data (one ``AnalysisRule`` row per
fiscal year, editable in the admin); ``assessments.selectors`` turns the records
into the plain values this module takes.

The rule, applied to each indicator:

1. a question below ``full_marks`` is a point to develop; a question at full
   marks is a strength; a question with an assessor's recommendation is a point
   to develop whatever its score;
2. an indicator is *to improve* when its score is below ``improve_below``, or
   (where the rule says so) when it has a question below full marks, or an
   assessor's recommendation on it or on one of its questions; otherwise it is
   *keep at standard*;
3. an indicator to improve is *urgent* when its score is below ``urgent_below``,
   or when it is among the ``urgent_lowest`` lowest-scored indicators to improve.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ita_portal.numbers import format_score

KEEP = "keep"
IMPROVE = "improve"


@dataclass(frozen=True)
class AnalysisRule:
    """How a year's indicators are classified (see the module docstring)."""

    improve_below: Decimal = Decimal("95")
    urgent_below: Decimal = Decimal("85")
    urgent_lowest: int = 2
    full_marks: Decimal = Decimal("100")
    question_below_full_marks_improves: bool = False
    recommendation_improves: bool = True

    def describe(self) -> list[str]:
        """The rule as Thai sentences, to print on the analysis page and in the report."""
        lines = [
            f"ตัวชี้วัดที่ได้คะแนนต่ำกว่า {format_score(self.improve_below)} คะแนน "
            "เป็นตัวชี้วัดที่ต้องปรับปรุง/พัฒนา ตัวชี้วัดที่ได้คะแนนตั้งแต่นั้นขึ้นไปเป็นตัวชี้วัดที่ต้องคงมาตรฐาน",
        ]
        if self.question_below_full_marks_improves:
            lines.append(
                f"ตัวชี้วัดที่มีข้อคำถามได้ต่ำกว่า {format_score(self.full_marks)} คะแนน ถือเป็นตัวชี้วัดที่ต้องปรับปรุง/พัฒนาด้วย"
            )
        if self.recommendation_improves:
            lines.append("ตัวชี้วัดที่ผู้ตรวจประเมินให้ข้อเสนอแนะไว้ ถือเป็นตัวชี้วัดที่ต้องปรับปรุง/พัฒนาด้วย")
        urgent = f"ตัวชี้วัดที่ต้องปรับปรุงซึ่งได้คะแนนต่ำกว่า {format_score(self.urgent_below)} คะแนน"
        if self.urgent_lowest:
            urgent += f" และตัวชี้วัดที่ต้องปรับปรุงซึ่งได้คะแนนต่ำสุด {self.urgent_lowest} ลำดับแรก"
        lines.append(urgent + " เป็นตัวชี้วัดที่ต้องปรับปรุง/พัฒนาเร่งด่วน")
        lines.append(
            f"ข้อคำถามที่ได้ต่ำกว่า {format_score(self.full_marks)} คะแนน หรือมีข้อเสนอแนะของผู้ตรวจประเมิน "
            "เป็นจุดที่ควรพัฒนา ข้อที่ได้คะแนนเต็มเป็นจุดเด่น"
        )
        return lines

    @property
    def prose(self) -> str:
        """The rule as one Thai paragraph (sentences separated by a space, as Thai prose is)."""
        return " ".join(self.describe())


@dataclass(frozen=True)
class QuestionFacts:
    """One question's (or OIT item's) record in an assessment."""

    code: str
    text: str
    score: Decimal | None = None
    recommendation: str = ""


@dataclass(frozen=True)
class IndicatorFacts:
    """One indicator's record in an assessment, with its questions in catalogue order."""

    number: int
    name: str
    tool: str
    score: Decimal
    recommendation: str = ""
    questions: tuple[QuestionFacts, ...] = ()


@dataclass(frozen=True)
class IndicatorAnalysis:
    """What the rule makes of one indicator."""

    indicator: IndicatorFacts
    status: str  # KEEP or IMPROVE
    urgent: bool
    reasons: tuple[str, ...]
    strengths: tuple[QuestionFacts, ...]
    weaknesses: tuple[QuestionFacts, ...]
    rank: int  # 1 = the lowest score of the assessment

    @property
    def to_improve(self) -> bool:
        return self.status == IMPROVE

    @property
    def has_details(self) -> bool:
        """Whether there is anything to say below the indicator's score: strengths, points to
        develop or an assessor's recommendation (a result without item scores has none)."""
        return bool(self.strengths or self.weaknesses or self.indicator.recommendation.strip())

    @property
    def status_label(self) -> str:
        if self.status == KEEP:
            return "ต้องคงมาตรฐาน"
        return "ต้องปรับปรุง/พัฒนาเร่งด่วน" if self.urgent else "ต้องปรับปรุง/พัฒนา"


def _is_weak(question: QuestionFacts, rule: AnalysisRule) -> bool:
    below = question.score is not None and question.score < rule.full_marks
    return below or bool(question.recommendation.strip())


def classify(rule: AnalysisRule, indicators: Iterable[IndicatorFacts]) -> list[IndicatorAnalysis]:
    """Classify every indicator of one assessment; returned in indicator-number order."""
    indicators = sorted(indicators, key=lambda ind: ind.number)
    ranks = {
        ind.number: rank
        for rank, ind in enumerate(sorted(indicators, key=lambda ind: (ind.score, ind.number)), start=1)
    }
    first_pass = []
    for ind in indicators:
        weaknesses = tuple(q for q in ind.questions if _is_weak(q, rule))
        strengths = tuple(
            q
            for q in ind.questions
            if q.score is not None and q.score >= rule.full_marks and q not in weaknesses
        )
        reasons = []
        if ind.score < rule.improve_below:
            reasons.append(f"คะแนน {format_score(ind.score)} ต่ำกว่า {format_score(rule.improve_below)}")
        if rule.question_below_full_marks_improves:
            below = [q.code for q in ind.questions if q.score is not None and q.score < rule.full_marks]
            if below:
                reasons.append("ข้อ " + ", ".join(below) + " ได้ต่ำกว่าคะแนนเต็ม")
        if rule.recommendation_improves:
            recommended = [q.code for q in ind.questions if q.recommendation.strip()]
            if ind.recommendation.strip():
                reasons.append("มีข้อเสนอแนะของผู้ตรวจประเมินต่อตัวชี้วัด")
            if recommended:
                reasons.append("มีข้อเสนอแนะของผู้ตรวจประเมินในข้อ " + ", ".join(recommended))
        first_pass.append((ind, tuple(reasons), strengths, weaknesses))

    to_improve = sorted(
        (ind for ind, reasons, _, _ in first_pass if reasons), key=lambda ind: (ind.score, ind.number)
    )
    lowest = {ind.number for ind in to_improve[: max(rule.urgent_lowest, 0)]}
    results = []
    for ind, reasons, strengths, weaknesses in first_pass:
        improve = bool(reasons)
        urgent = improve and (ind.score < rule.urgent_below or ind.number in lowest)
        results.append(
            IndicatorAnalysis(
                indicator=ind,
                status=IMPROVE if improve else KEEP,
                urgent=urgent,
                reasons=reasons,
                strengths=strengths,
                weaknesses=weaknesses,
                rank=ranks[ind.number],
            )
        )
    return results


# --- Change over the years --------------------------------------------------------------------


@dataclass(frozen=True)
class YearScores:
    """One year's scores of one organisation: indicators by number, tools by code, overall."""

    year: int
    indicators: dict[int, Decimal]
    tools: dict[str, Decimal]
    overall: Decimal | None


@dataclass(frozen=True)
class TrendRow:
    """One line of the trend table: a label and its score per year, oldest first."""

    label: str
    scores: tuple[Decimal | None, ...]
    changes: tuple[Decimal | None, ...] = field(default=())  # against the year before; None for the first

    @property
    def last_change(self) -> Decimal | None:
        return self.changes[-1] if self.changes else None


def _changes(scores: Sequence[Decimal | None]) -> tuple[Decimal | None, ...]:
    out: list[Decimal | None] = [None]
    for before, now in zip(scores, scores[1:], strict=False):
        out.append(None if before is None or now is None else now - before)
    return tuple(out)


def trend(
    years: Sequence[YearScores], indicator_names: dict[int, str], tool_codes: Sequence[str]
) -> list[TrendRow]:
    """Indicator, tool and overall rows over the years given (oldest first).

    Indicators are matched by number, which stays the same from year to year even
    where a name changes; the names shown are those of the latest year.
    """
    rows = []
    for number, name in sorted(indicator_names.items()):
        scores = tuple(y.indicators.get(number) for y in years)
        rows.append(TrendRow(label=f"ตัวชี้วัดที่ {number} {name}", scores=scores, changes=_changes(scores)))
    for code in tool_codes:
        scores = tuple(y.tools.get(code) for y in years)
        rows.append(TrendRow(label=code, scores=scores, changes=_changes(scores)))
    overall = tuple(y.overall for y in years)
    rows.append(TrendRow(label="คะแนนภาพรวม", scores=overall, changes=_changes(overall)))
    return rows


# --- Standing among peers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where one overall score stands among its peers' (the peers include it)."""

    rank: int  # 1 = best; ties share the better rank
    count: int
    mean: Decimal
    best: Decimal
    median: Decimal


def standing(score: Decimal, peers: Sequence[Decimal]) -> Standing | None:
    """The rank of ``score`` among ``peers`` (which include it); None without peers."""
    if not peers:
        return None
    ordered = sorted(peers, reverse=True)
    count = len(ordered)
    middle = count // 2
    median = ordered[middle] if count % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return Standing(
        rank=1 + sum(1 for other in ordered if other > score),
        count=count,
        mean=sum(ordered, Decimal(0)) / count,
        best=ordered[0],
        median=median,
    )
