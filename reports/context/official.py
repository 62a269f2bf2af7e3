"""The documents of งานสารบรรณ the executive signs: the memo forwarding the analysis report, and
the announcement of the plan's measures (ประกาศ). Both carry the ครุฑ."""

from __future__ import annotations

from dataclasses import dataclass, field

from measures.models import MeasurePlan

from ..choices import DocumentKind
from .base import (
    Document,
    DocumentUnavailable,
    Header,
    ToolSection,
    _analysis_of,
    _header,
    _sections,
    garuda_data_url,
)


@dataclass(frozen=True)
class MemoSigner:
    addressed_to: str
    opinion: str
    name: str
    position: str


@dataclass(frozen=True)
class MemoDocument(Document):
    memo: object = None  # reports.models.Memo
    subject: str = ""
    signatories: list[MemoSigner] = field(default_factory=list)
    garuda: str = ""  # a data: URL, or "" when the organisation has none
    measure_count: int = 0


def default_memo_subject(header: Header) -> str:
    return (
        "รายงานผลการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
        f"ประจำปีงบประมาณ พ.ศ. {header.assessment_year} และมาตรการส่งเสริมคุณธรรมและความโปร่งใส "
        f"ประจำปีงบประมาณ พ.ศ. {header.plan_year}"
    )


def memo_document(plan: MeasurePlan, found=None) -> MemoDocument:
    """The memo forwarding the analysis report; its details must have been entered."""
    memo = getattr(plan, "memo", None)
    if memo is None:
        raise DocumentUnavailable("ยังไม่ได้กรอกรายละเอียดบันทึกข้อความ (ที่ วันที่ เรียน และผู้ลงนาม)")
    found, findings = _analysis_of(plan, found)
    header = _header(plan, found)
    return MemoDocument(
        kind=DocumentKind.MEMO,
        header=header,
        plan=plan,
        found=found,
        findings=findings,
        memo=memo,
        subject=memo.subject.strip() or default_memo_subject(header),
        signatories=[
            MemoSigner(s.addressed_to, s.opinion, s.name, s.position) for s in memo.signatories.all()
        ],
        garuda=garuda_data_url(header.organisation),
        measure_count=len(plan.measures.all()),
    )


@dataclass(frozen=True)
class AnnouncementDocument(Document):
    announcement: object = None  # reports.models.Announcement
    sections: list[ToolSection] = field(default_factory=list)
    garuda: str = ""

    @property
    def measure_count(self) -> int:
        return sum(section.measure_count for section in self.sections)

    @property
    def subject(self) -> str:
        return f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {self.header.plan_year}"


def announcement_document(plan: MeasurePlan, found=None) -> AnnouncementDocument:
    """The executive's announcement of the plan's measures; its date and signer must have been entered."""
    announcement = getattr(plan, "announcement", None)
    if announcement is None:
        raise DocumentUnavailable("ยังไม่ได้กรอกรายละเอียดประกาศ (วันที่ประกาศและผู้ลงนาม)")
    found, findings = _analysis_of(plan, found)
    header = _header(plan, found)
    return AnnouncementDocument(
        kind=DocumentKind.ANNOUNCEMENT,
        header=header,
        plan=plan,
        found=found,
        findings=findings,
        announcement=announcement,
        sections=_sections(plan, found, with_progress=False),
        garuda=garuda_data_url(header.organisation),
    )
