"""The portal's own pages: a background job's progress and result, and the health check."""

from __future__ import annotations

import logging

from django.db import connections
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.views import View
from django.views.generic import DetailView, ListView, RedirectView, TemplateView

from . import recovery
from .jobs import work_storage
from .mixins import OrganisationScopedMixin
from .models import Job, JobStatus

logger = logging.getLogger(__name__)


class JobListView(OrganisationScopedMixin, ListView):
    """The person's own background jobs, newest first, to come back to one they left."""

    model = Job
    template_name = "ita_portal/job_list.html"
    context_object_name = "jobs"
    paginate_by = 20

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-pk")


class JobDetailView(OrganisationScopedMixin, DetailView):
    """A job's progress (the page reloads itself while it runs) and, when done, its result."""

    model = Job  # anyone else's job is a 404
    template_name = "ita_portal/job_detail.html"
    context_object_name = "job"
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_object(self, queryset=None):
        # A job whose worker is gone says so (or starts again) instead of "running" forever.
        return recovery.recover_if_stale(super().get_object(queryset))


class JobStateView(JobDetailView):
    """Where a job stands, in a few bytes: what its page's script asks between readings of the
    page (``static/js/portal.js``), which it reads again only when this changes."""

    def render_to_response(self, context, **response_kwargs):
        response = JsonResponse({"state": self.object.state, "finished": self.object.finished})
        response["Cache-Control"] = "no-store"
        return response


class JobResultView(OrganisationScopedMixin, View):
    """The result file of a finished job, for the person who started it."""

    def load(self, request, public_id):
        self.job = get_object_or_404(
            Job.objects.visible_to(request.user).filter(status=JobStatus.DONE).exclude(result_name=""),
            public_id=public_id,
        )

    def get(self, request, public_id):
        job = self.job
        storage = work_storage()
        if not storage.exists(job.result_name):
            raise Http404("ไฟล์นี้ถูกลบไปแล้ว")
        return FileResponse(
            storage.open(job.result_name, "rb"),
            as_attachment=True,
            filename=job.result_filename,
            content_type=job.result_type or "application/octet-stream",
        )


def server_error(request):
    """The Thai 500 page, with the request's id for the person to quote to the administrator; the
    Thai 503 page when what failed was the database connection (a restart, not a bug)."""
    import sys

    from django.http import HttpResponseServerError
    from django.template import loader

    from .middleware import database_lost, forget_connections, unavailable

    if database_lost(sys.exc_info()[1]):
        forget_connections()
        return unavailable(request)

    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": getattr(request, "request_id", "")}))


class HealthView(View):
    """For the load balancer and the operator: 200 when the database answers, else 503."""

    def get(self, request):
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:  # any database failure means "not healthy", and is logged
            logger.exception("health check: the database does not answer")
            return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
        return JsonResponse({"status": "ok", "database": "ok"})


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page links: send them to the portal's icon
    (its static URL is resolved per request, so the manifest of ``make serve`` is read then)."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")


class HelpView(TemplateView):
    """The Thai user guide (``/help/``), open without logging in: it shows no one's data."""

    template_name = "ita_portal/help.html"
    PHONE_SHOTS = (
        ("help/phone-home.png", "หน้าหลัก: ขั้นตอนต่อไปและปุ่มเดียว"),
        ("help/phone-plan.png", "แผนมาตรการ: แก้ไข เลื่อน ลบ"),
        ("help/phone-progress.png", "ความก้าวหน้า: รายงานรายมาตรการ"),
        ("help/phone-documents.png", "เอกสาร: เผยแพร่"),
    )

    def get_context_data(self, **kwargs):
        from django.conf import settings

        return super().get_context_data(
            phone_shots=self.PHONE_SHOTS, min_group=settings.ANALYTICS_MIN_GROUP, **kwargs
        )
