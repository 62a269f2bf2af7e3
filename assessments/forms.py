"""The score-entry form: built from the fiscal year's framework, so every year has its own."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from crispy_forms.layout import HTML, Div
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ita_portal.forms import PortalForm, card, columns, form_helper, literal
from ita_portal.numbers import format_score

from . import scoring
from .importing.spreadsheets import Sheet, SpreadsheetError, read_sheet
from .models import Assessment, FiscalYear, Indicator, Question, Tool
from .services.scores import EIT_PARTS_BOTH, ScoreSheet


class ScoreField(forms.Field):
    """A 0–100 score with at most two decimals; Thai digits (๙๔.๗๔) are accepted.

    A text input rather than a number input, so that browsers let Thai digits through.
    """

    default_error_messages = {"required": _("กรุณากรอกคะแนน")}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "class": "score-input", "maxlength": 20}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value) -> Decimal | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return scoring.parse_score(value)
        except scoring.ScoreError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_score(value)
        return value


def _recommendation_field() -> forms.CharField:
    return forms.CharField(
        label=_("ข้อเสนอแนะของผู้ตรวจประเมิน"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@dataclass
class IndicatorRow:
    indicator: Indicator
    score: forms.BoundField
    recommendation: forms.BoundField


@dataclass
class ToolGroup:
    tool: Tool
    rows: list[IndicatorRow]
    published: forms.BoundField


@dataclass
class QuestionRow:
    question: Question
    score: forms.BoundField
    recommendation: forms.BoundField


# The tooltip of an entry the year's framework marks unconfirmed, unless the entry has a note.
UNCONFIRMED_NOTE = "ถ้อยคำนี้ยังไม่ได้ตรวจกับคู่มือการประเมินของสำนักงาน ป.ป.ช. ฉบับปีนี้ หากคู่มือเขียนต่างไป ให้ยึดตามคู่มือ"


def _unconfirmed(question) -> str:
    """ " · ยังไม่ยืนยัน" with the users' note as its tooltip (never the entry's source), or ""."""
    if not question.unconfirmed:
        return ""
    note = literal(question.note or UNCONFIRMED_NOTE)
    return f' · <span class="unconfirmed" title="{note}">ยังไม่ยืนยัน</span>'


EIT_PARTS_NOTE = (
    "ตั้งแต่ปี 2567 ระดับผ่านดีเยี่ยมและผ่านดีพิจารณาคะแนน IIT, EIT ส่วนที่ 1 (ผู้รับบริการตอบเอง), "
    "EIT ส่วนที่ 2 (ผู้ประเมินจัดเก็บข้อมูล) และ OIT แต่ละส่วนต้องถึงเกณฑ์ หากยังไม่กรอก ระบบแสดงระดับเป็นระดับเบื้องต้น"
)


class AssessmentScoresForm(PortalForm, forms.Form):
    """The ten indicator scores, the published numbers, and the optional question scores."""

    # The assessment's version when the form was shown (0: a new one); an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    published_overall = ScoreField(label=_("คะแนนภาพรวมที่ ป.ป.ช. ประกาศ"), required=False)
    published_level = forms.ChoiceField(label=_("ระดับที่ ป.ป.ช. ประกาศ"), required=False)

    def __init__(self, *args, fiscal_year: FiscalYear, assessment: Assessment | None = None, **kwargs):
        self.fiscal_year = fiscal_year
        self.indicators = list(fiscal_year.indicators.select_related("tool").order_by("number"))
        self.tools = list(fiscal_year.tools.order_by("order"))
        self.questions = list(fiscal_year.questions.select_related("indicator").order_by("order"))
        if assessment is not None:
            kwargs["initial"] = {**self._initial(assessment), **(kwargs.get("initial") or {})}
        else:
            kwargs["initial"] = {"version": 0, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["published_level"].choices = [("", _("— ไม่ระบุ —"))] + [
            (level.code, level.label) for level in fiscal_year.levels.order_by("order")
        ]
        for tool in self.tools:
            self.fields[f"published_{tool.code}"] = ScoreField(
                label=_("คะแนน %(tool)s ที่ประกาศ") % {"tool": tool.code}, required=False
            )
        if fiscal_year.eit_parts:
            for part in scoring.PARTS:
                self.fields[f"eit_part{part}"] = ScoreField(
                    label=_("คะแนน EIT ส่วนที่ %(part)s") % {"part": part},
                    required=False,
                    help_text=_("ใช้ตัดสินระดับ: ทุกส่วนต้องถึงเกณฑ์ขั้นต่ำของระดับ"),
                )
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.number}"] = ScoreField(
                label=f"{indicator.number}. {indicator.name}", required=True
            )
            self.fields[f"indicator_{indicator.number}_recommendation"] = _recommendation_field()
        for question in self.questions:
            self.fields[f"question_{question.code}"] = ScoreField(
                label=_("คะแนนข้อ %(code)s") % {"code": question.code}, required=False
            )
            self.fields[f"question_{question.code}_recommendation"] = _recommendation_field()
        self.helper = form_helper(*self._layout())

    def _layout(self) -> list:
        """One card per tool (each indicator's score, its recommendation folded away unless typed),
        the published results, the EIT parts in years that have them, and the question scores."""
        layout = []
        for group in self.tool_groups():
            rows = []
            for row in group.rows:
                typed = row.recommendation.value()
                recommendation = Div(
                    HTML(
                        f"<details{' open' if typed else ''}>"
                        '<summary class="small text-muted">ข้อเสนอแนะของผู้ตรวจประเมิน (ถ้ามี)</summary>'
                    ),
                    row.recommendation.name,
                    HTML("</details>"),
                )
                rows.append(columns((row.score.name, "col-md-5"), (recommendation, "col-md-7")))
            layout.append(card(f"{group.tool.code} · {group.tool.name}", *rows, header_class="tool-heading"))
        layout.append(
            card(
                "ผลที่ ป.ป.ช. ประกาศ (ไม่บังคับ ใช้ตรวจสอบความถูกต้อง)",
                columns(
                    ("published_overall", "col-md-3"),
                    ("published_level", "col-md-3"),
                    *((f"published_{tool.code}", "col-md-2") for tool in self.tools),
                ),
            )
        )
        if self.fiscal_year.eit_parts:
            layout.append(
                card(
                    "คะแนน EIT รายส่วนที่ ป.ป.ช. ประกาศ",
                    HTML(f'<p class="small text-muted mb-2">{literal(EIT_PARTS_NOTE)}</p>'),
                    columns(*((f"eit_part{part}", "col-md-3") for part in scoring.PARTS)),
                    css_id="eit-parts",
                )
            )
        if self.questions:
            layout.append(self._question_card())
        return layout

    def _question_card(self) -> Div:
        rows = [
            columns(
                (
                    HTML(
                        f"<strong>{literal(q.code)}</strong> {literal(q.text)}"
                        f'<div class="small text-muted">ตัวชี้วัดที่ {q.indicator.number}{_unconfirmed(q)}</div>'
                    ),
                    "col-md-5",
                ),
                (f"question_{q.code}", "col-md-2"),
                (f"question_{q.code}_recommendation", "col-md-5"),
            )
            for q in self.questions
        ]
        toggle = HTML(
            '<div class="card-header"><button class="btn btn-link p-0 text-decoration-none" type="button" '
            'data-bs-toggle="collapse" data-bs-target="#questions" aria-controls="questions" '
            "aria-expanded=\"{{ form.question_errors|yesno:'true,false' }}\">"
            f"คะแนนรายข้อและข้อเสนอแนะ ({len(self.questions)} ข้อ, ไม่บังคับ)</button></div>"
            '<div id="questions" class="collapse{% if form.question_errors %} show{% endif %}">'
        )
        return Div(
            toggle,
            Div(*rows, css_class="card-body question-rows"),
            HTML("</div>"),
            css_class="card shadow-sm mb-3",
        )

    @staticmethod
    def _initial(assessment: Assessment) -> dict:
        initial = {
            "version": assessment.version,
            "published_overall": assessment.published_overall,
            "published_level": assessment.published_level,
            "eit_part1": assessment.eit_part1,
            "eit_part2": assessment.eit_part2,
        }
        for row in assessment.indicator_scores.select_related("indicator"):
            initial[f"indicator_{row.indicator.number}"] = row.score
            initial[f"indicator_{row.indicator.number}_recommendation"] = row.recommendation
        for row in assessment.question_scores.select_related("question"):
            initial[f"question_{row.question.code}"] = row.score
            initial[f"question_{row.question.code}_recommendation"] = row.recommendation
        for row in assessment.published_tool_scores.select_related("tool"):
            initial[f"published_{row.tool.code}"] = row.score
        return initial

    @property
    def eit_part_fields(self) -> list[forms.BoundField]:
        """The EIT part 1 and part 2 fields, in a year whose EIT has parts."""
        return [self[f"eit_part{part}"] for part in scoring.PARTS if f"eit_part{part}" in self.fields]

    def clean(self):
        data = super().clean()
        if self.fiscal_year.eit_parts:
            parts = {part: data.get(f"eit_part{part}") for part in scoring.PARTS}
            given = [part for part, value in parts.items() if value is not None]
            if given and len(given) < len(parts):
                for part, value in parts.items():
                    if value is None and f"eit_part{part}" not in self.errors:
                        self.add_error(f"eit_part{part}", EIT_PARTS_BOTH)
        return data

    def tool_groups(self) -> list[ToolGroup]:
        return [
            ToolGroup(
                tool=tool,
                rows=[
                    IndicatorRow(
                        indicator=ind,
                        score=self[f"indicator_{ind.number}"],
                        recommendation=self[f"indicator_{ind.number}_recommendation"],
                    )
                    for ind in self.indicators
                    if ind.tool_id == tool.pk
                ],
                published=self[f"published_{tool.code}"],
            )
            for tool in self.tools
        ]

    def question_rows(self) -> list[QuestionRow]:
        return [
            QuestionRow(
                question=q,
                score=self[f"question_{q.code}"],
                recommendation=self[f"question_{q.code}_recommendation"],
            )
            for q in self.questions
        ]

    def question_errors(self) -> bool:
        return any(
            self.errors.get(f"question_{q.code}") or self.errors.get(f"question_{q.code}_recommendation")
            for q in self.questions
        )

    def to_sheet(self) -> ScoreSheet:
        data = self.cleaned_data
        return ScoreSheet(
            indicators={ind.number: data[f"indicator_{ind.number}"] for ind in self.indicators},
            indicator_recommendations={
                ind.number: data[f"indicator_{ind.number}_recommendation"] for ind in self.indicators
            },
            questions={q.code: data[f"question_{q.code}"] for q in self.questions},
            question_recommendations={
                q.code: data[f"question_{q.code}_recommendation"] for q in self.questions
            },
            published_overall=data["published_overall"],
            published_level=data["published_level"],
            published_tools={tool.code: data[f"published_{tool.code}"] for tool in self.tools},
            eit_part1=data.get("eit_part1"),
            eit_part2=data.get("eit_part2"),
        )


class ScoreImportForm(forms.Form):
    """A results file for one fiscal year; the file is read and checked here, before anything is kept."""

    fiscal_year = forms.ModelChoiceField(
        queryset=FiscalYear.objects.order_by("-year"),
        to_field_name="year",
        label=_("ปีงบประมาณของผลการประเมิน"),
        empty_label=None,
    )
    file = forms.FileField(
        label=_("ไฟล์ผลการประเมิน (.xlsx หรือ .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    create_organisations = forms.BooleanField(
        label=_("สร้างหน่วยงานที่ยังไม่มีในระบบ (ผู้ดูแลเท่านั้น)"),
        required=False,
        help_text=_("หน่วยงานใหม่ต้องมีชื่อ อำเภอ และจังหวัด ท่านจะเป็นผู้ดูแลของหน่วยงานที่สร้าง"),
    )

    sheet: Sheet
    content: bytes

    def __init__(self, *args, allow_create: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_create:
            del self.fields["create_organisations"]
        self.helper = form_helper(
            columns(("fiscal_year", "col-md-3"), ("file", "col-md-9")),
            *(["create_organisations"] if allow_create else []),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("ไฟล์มีขนาด %(size).1f MB เกินขนาดสูงสุด %(limit)d MB")
                % {"size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024}
            )
        self.content = upload.read()
        try:
            self.sheet = read_sheet(self.content, max_rows=settings.IMPORT_MAX_ROWS)
        except SpreadsheetError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload
