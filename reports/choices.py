from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    ANALYSIS = "analysis", _("รายงานผลการวิเคราะห์และมาตรการส่งเสริมคุณธรรมและความโปร่งใส")
    MEMO = "memo", _("บันทึกข้อความเสนอรายงาน")
    ANNOUNCEMENT = "announcement", _("ประกาศ เรื่อง มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน")
    IMPLEMENTATION = "implementation", _("รายงานผลการดำเนินการตามมาตรการ")


SHORT_LABELS = {
    DocumentKind.ANALYSIS: _("รายงานวิเคราะห์และมาตรการ"),
    DocumentKind.MEMO: _("บันทึกข้อความ"),
    DocumentKind.ANNOUNCEMENT: _("ประกาศมาตรการ"),
    DocumentKind.IMPLEMENTATION: _("รายงานผลการดำเนินการ"),
}

# The documents the executive signs: what is published is the signed scan, never the draft.
SIGNED_KINDS = frozenset({DocumentKind.MEMO, DocumentKind.ANNOUNCEMENT})
