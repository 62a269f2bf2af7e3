from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    SAO = "sao", _("องค์การบริหารส่วนตำบล (อบต.)")
    SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", _("เทศบาลตำบล")
    TOWN_MUNICIPALITY = "town_municipality", _("เทศบาลเมือง")
    CITY_MUNICIPALITY = "city_municipality", _("เทศบาลนคร")
    PAO = "pao", _("องค์การบริหารส่วนจังหวัด (อบจ.)")
    OTHER = "other", _("อื่น ๆ")


class SizeClass(models.TextChoices):
    SMALL = "S", _("ขนาดเล็ก (S)")
    MEDIUM = "M", _("ขนาดกลาง (M)")
    LARGE = "L", _("ขนาดใหญ่ (L)")


class Role(models.TextChoices):
    STAFF = "staff", _("เจ้าหน้าที่")
    WORKING_GROUP = "working_group", _("คณะทำงาน ITA")
    ADMINISTRATOR = "administrator", _("ผู้ดูแล/ผู้เผยแพร่")


# Who may type or correct an assessment's scores.
SCORE_EDITOR_ROLES = frozenset({Role.STAFF, Role.WORKING_GROUP})
# Who may import a results file into an organisation: its score editors and its administrators
# (a provincial office administers many organisations and holds their results in one table).
SCORE_IMPORT_ROLES = SCORE_EDITOR_ROLES | {Role.ADMINISTRATOR}


class QuestionKind(models.TextChoices):
    SCALE_4 = "scale4", _("ระดับความคิดเห็น 4 ระดับ (0/33/67/100)")
    YES_NO = "yes_no", _("มี/ไม่มี (0/100)")
    OIT_ITEM = "oit_item", _("ข้อมูลที่เปิดเผย (ผู้ตรวจประเมินให้คะแนน)")


class FrameworkStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("ใช้จริง")
    DRAFT = "draft", _("ร่าง")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("รอยืนยัน")
    COMMITTED = "committed", _("นำเข้าแล้ว")
