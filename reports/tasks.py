"""Background work of the documents (Django tasks; run by ``manage.py run_worker``)."""

from __future__ import annotations

import datetime
import io
import zipfile

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_tasks import task

from ita_portal import jobs, locks, permissions
from measures.models import MeasurePlan

from . import context, fingerprint, pdf, rendering, services
from .choices import DocumentKind


@task()
def render_document(job_id: int, plan_id: int, kind: str, today: str, site: str, name: str) -> None:
    """Render one document as its records are now and keep it in the cache under ``name`` — unless
    it is there already: ten people of one organisation opening its report cost one render, and
    two worker processes given the same document render it once (the second waits for the first's
    claim, then finds the file)."""
    with jobs.running(job_id, "render_document"):
        with locks.claimed(name, wait=settings.JOB_LEASE_SECONDS, lease=settings.JOB_LEASE_SECONDS):
            if not rendering.storage().exists(name):
                plan = context.plans_for_documents().get(pk=plan_id)
                day = datetime.date.fromisoformat(today)
                rendered = services.document_render(plan=plan, kind=kind, today=day, extra={"base_url": site})
                rendering.store(name, pdf.render_pdf(rendered.html))
        jobs.finish(job_id, message="สร้างไฟล์ PDF เสร็จแล้ว")


@task()
def document_batch(
    job_id: int, plan_ids: list[int], kind: str, publish: bool, user_id: int, today: str, base_url: str
) -> None:
    """Render (or publish) one kind of document for many plans; each plan's result is an item of
    the job, and the rendered PDFs together are its result (a .zip)."""
    with jobs.running(job_id, "document_batch"):
        user = get_user_model().objects.get(pk=user_id)
        day = datetime.date.fromisoformat(today)
        plans = {p.pk: p for p in context.plans_for_documents().filter(pk__in=plan_ids)}
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for plan_id in plan_ids:
                plan = plans.get(plan_id)
                if plan is None:
                    jobs.add_item(job_id, {"label": f"แผนเลขที่ {plan_id}", "ok": False, "message": "ไม่พบแผนนี้"})
                    continue
                label = plan.assessment.organisation.name
                try:
                    item = _batch_item(plan, kind, publish, user, day, base_url, bundle)
                except (services.PublishRefused, context.DocumentUnavailable) as exc:
                    item = {"ok": False, "message": " ".join(getattr(exc, "messages", [str(exc)]))}
                except PermissionDenied as exc:
                    item = {"ok": False, "message": str(exc)}
                jobs.add_item(job_id, {"label": label, **item})
        done = sum(1 for item in jobs.Job.objects.get(pk=job_id).items if item["ok"])
        jobs.finish(
            job_id,
            message=f"{'เผยแพร่' if publish else 'สร้าง'}สำเร็จ {done} จาก {len(plan_ids)} หน่วยงาน",
            content=archive.getvalue() if done and not publish else None,
            filename=f"ita-{kind}-{len(plan_ids)}.zip",
            content_type="application/zip",
        )


def _batch_item(plan: MeasurePlan, kind: str, publish: bool, user, day, base_url: str, bundle) -> dict:
    organisation = plan.assessment.organisation
    filename = f"{organisation.code or organisation.pk}-{kind}-{plan.plan_year}.pdf"
    if publish:
        published = services.document_publish(
            plan=plan, kind=kind, user=user, today=day, override_reason="", evidence_ids=[], base_url=base_url
        )
        if not published.is_public:  # a memo or an announcement: signed, then published, one by one
            url = reverse("reports:plan-documents", kwargs={"pk": plan.pk})
            return {"ok": True, "message": f"สร้างฉบับที่ {published.version} สำหรับลงนามแล้ว", "url": url}
        url = reverse("reports:public-file", kwargs={"public_id": published.public_id})
        return {"ok": True, "message": f"เผยแพร่ฉบับที่ {published.version}", "url": url}
    permissions.require(user, plan.organisation, permissions.Action.DOCUMENT_EDIT)
    name = rendering.cache_name(plan.pk, kind, fingerprint.document_key(plan, kind, today=day, site=base_url))
    with locks.claimed(name, wait=settings.JOB_LEASE_SECONDS, lease=settings.JOB_LEASE_SECONDS):
        data = rendering.cached(name)
        if data is None:
            rendered = services.document_render(plan=plan, kind=kind, today=day, extra={"base_url": base_url})
            data = pdf.render_pdf(rendered.html)
            rendering.store(name, data)
    bundle.writestr(filename, data)
    url = reverse("reports:document-pdf", kwargs={"pk": plan.pk, "kind": kind})
    return {"ok": True, "message": f"{DocumentKind(kind).label} ({len(data) // 1024} KB)", "url": url}


@task()
def prune_renders() -> None:
    """Every night (ita_portal.schedule): cached PDFs of removed plans, or not renewed in
    ``JOBS_KEEP_DAYS``."""
    from django.utils import timezone

    older_than = timezone.now() - datetime.timedelta(days=settings.JOBS_KEEP_DAYS)
    rendering.prune(older_than=older_than, plan_ids=set(MeasurePlan.objects.values_list("pk", flat=True)))


@task()
def sweep_files() -> None:
    """Every night (ita_portal.schedule): ``manage.py sweep_files`` (files no row names)."""
    from django.core.management import call_command

    call_command("sweep_files", stdout=io.StringIO())
