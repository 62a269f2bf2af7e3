from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    ANALYSIS = "analysis", _("รายงานผลการวิเคราะห์และมาตรการส่งเสริมคุณธรรมและความโปร่งใส")
    MEMO = "memo", _("บันทึกข้อความเสนอรายงาน")
    IMPLEMENTATION = "implementation", _("รายงานผลการดำเนินการตามมาตรการ")


SHORT_LABELS = {
    DocumentKind.ANALYSIS: _("รายงานวิเคราะห์และมาตรการ"),
    DocumentKind.MEMO: _("บันทึกข้อความ"),
    DocumentKind.IMPLEMENTATION: _("รายงานผลการดำเนินการ"),
}
