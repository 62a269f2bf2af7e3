from django.db import models
from django.utils.translation import gettext_lazy as _

from ita_portal.thai import quarter_months


class MeasureKind(models.TextChoices):
    IMPROVE = "improve", _("ปรับปรุง/พัฒนา")
    KEEP = "keep", _("คงมาตรฐาน")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("ร่าง")
    SUBMITTED = "submitted", _("เสนอคณะทำงานพิจารณา")
    RETURNED = "returned", _("ส่งกลับให้แก้ไข")
    APPROVED = "approved", _("อนุมัติแล้ว")
    PUBLISHED = "published", _("เผยแพร่แล้ว")


class PlanAction(models.TextChoices):
    GENERATE = "generate", _("สร้างร่างแผนจากผลการประเมิน")
    REGENERATE = "regenerate", _("สร้างร่างใหม่จากผลการประเมิน")
    SUBMIT = "submit", _("เสนอคณะทำงานพิจารณา")
    APPROVE = "approve", _("อนุมัติ")
    RETURN = "return", _("ส่งกลับให้แก้ไข")
    PUBLISH = "publish", _("เผยแพร่")
    REOPEN = "reopen", _("เปิดให้แก้ไขอีกครั้ง")


# Statuses in which the plan and its measures may be changed; any other status locks them.
EDITABLE_STATUSES = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})


def _quarter_choice(quarter: int) -> tuple[int, str]:
    first, last = quarter_months(quarter, short=True)
    return quarter, f"ไตรมาส {quarter} ({first} – {last})"


QUARTER_CHOICES = [_quarter_choice(quarter) for quarter in (1, 2, 3, 4)]


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("ยังไม่เริ่ม")
    IN_PROGRESS = "in_progress", _("กำลังดำเนินการ")
    DONE = "done", _("ดำเนินการแล้วเสร็จ")
    CANCELLED = "cancelled", _("ยกเลิก")


# A measure in one of these is finished: it can no longer be late.
CLOSED_STATUSES = frozenset({MeasureStatus.DONE, MeasureStatus.CANCELLED})

# Approved plans: their measures are carried out and tracked, and their documents print as final.
TRACKED_STATUSES = frozenset({PlanStatus.APPROVED, PlanStatus.PUBLISHED})
