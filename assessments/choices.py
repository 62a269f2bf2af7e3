from django.db import models
from django.utils.translation import gettext_lazy as _

from ita_portal.permissions import Role  # noqa: F401 (a membership's role; who may do what is there)


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
