"""Background work on results files (Django tasks; run by ``manage.py run_worker``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_tasks import task

from ita_portal import jobs

from .models import ScoreImport
from .services import StaleImport, score_import_commit

STALE = "ข้อมูลในระบบเปลี่ยนไปหลังจากตรวจสอบไฟล์ จึงยังไม่ได้นำเข้า กรุณาตรวจสอบตัวอย่างใหม่แล้วยืนยันอีกครั้ง"


@task()
def commit_import(job_id: int, import_id: int, user_id: int) -> None:
    """Confirm a staged results file: all of it in one transaction, or nothing."""
    with jobs.running(job_id, "commit_import"):
        record = ScoreImport.objects.get(pk=import_id)
        detail = reverse("assessments:import-detail", kwargs={"pk": import_id})
        try:
            score_import_commit(score_import=record, user=get_user_model().objects.get(pk=user_id))
        except StaleImport:
            jobs.fail(job_id, STALE)
        except (ValidationError, PermissionDenied) as exc:
            jobs.fail(job_id, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            jobs.finish(job_id, message="นำเข้าผลการประเมินเรียบร้อยแล้ว", next_url=detail)
        jobs.Job.objects.filter(pk=job_id).update(next_url=detail)
