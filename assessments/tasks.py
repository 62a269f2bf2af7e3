"""Background work on results files (Django tasks; run by ``manage.py run_worker``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_tasks import task

from ita_portal import jobs
from ita_portal.responses import XLSX_TYPE

from . import exports, importing, selectors
from .models import FiscalYear, Organisation, ScoreImport
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


@task()
def export_year(job_id: int, year: int, user_id: int) -> None:
    """Every organisation the user sees with its scores of ``year`` and the computed results."""
    with jobs.running(job_id, "export_year"):
        fiscal_year = FiscalYear.objects.get(year=year)
        found = selectors.year_export(get_user_model().objects.get(pk=user_id), fiscal_year)
        jobs.progress(job_id, done=0, total=found.count)
        content = exports.year_scores_workbook(
            importing.catalogue_for(fiscal_year),
            found,
            on_progress=lambda rows: jobs.progress(job_id, done=rows),
        )
        jobs.progress(job_id, done=found.count)
        jobs.finish(
            job_id,
            message=f"ส่งออกคะแนนปี {year} ของ {found.count:,} หน่วยงานแล้ว",
            content=content,
            filename=f"ita-scores-{year}.xlsx",
            content_type=XLSX_TYPE,
        )


@task()
def export_template(job_id: int, year: int, user_id: int) -> None:
    """The import template of ``year`` with every organisation the user may import into."""
    from ita_portal.permissions import Action

    with jobs.running(job_id, "export_template"):
        user = get_user_model().objects.get(pk=user_id)
        fiscal_year = FiscalYear.objects.get(year=year)
        organisations = Organisation.objects.permitting(user, Action.SCORE_IMPORT).order_by(
            "province", "district", "name"
        )
        content = exports.import_template(importing.catalogue_for(fiscal_year), organisations)
        jobs.finish(
            job_id,
            message=f"แบบฟอร์มนำเข้าปี {year} พร้อมรายชื่อ {organisations.count():,} หน่วยงาน",
            content=content,
            filename=f"ita-import-template-{year}.xlsx",
            content_type=XLSX_TYPE,
        )
