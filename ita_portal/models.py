"""Background jobs as the people who started them see them: what, how far, and the result."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    DOCUMENT = "document", _("สร้างไฟล์ PDF")
    BATCH = "batch", _("เอกสารของหลายหน่วยงาน")
    IMPORT = "import", _("นำเข้าผลการประเมิน")
    EXPORT = "export", _("ส่งออกคะแนน")
    LINKCHECK = "linkcheck", _("ตรวจลิงก์ OIT")
    INVITATIONS = "invitations", _("ส่งคำเชิญสมาชิก")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("รอคิว")
    RUNNING = "running", _("กำลังดำเนินการ")
    DONE = "done", _("เสร็จแล้ว")
    FAILED = "failed", _("ไม่สำเร็จ")


FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED})


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The person's own jobs: anyone else's is a 404."""
        return self.filter(created_by=user) if user.is_authenticated else self.none()


class Job(models.Model):
    """One piece of background work (a Django task) with its progress and result file.

    Only the person who started it sees it (a 404 for anyone else); its result is read from
    settings.STORAGES["work"] through the portal.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("งาน"), max_length=16, choices=JobKind.choices)
    title = models.CharField(_("รายการ"), max_length=255)
    status = models.CharField(_("สถานะ"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # What the job produces, so that asking twice for the same thing joins the running job.
    key = models.CharField(max_length=128, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    # Per item results of a batch: [{"label", "status", "message", "url"}].
    items = models.JSONField(default=list, blank=True)
    result_name = models.CharField(max_length=255, blank=True)  # in STORAGES["work"]
    result_filename = models.CharField(max_length=255, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    next_url = models.CharField(max_length=500, blank=True)  # where the result is used, when done
    task_id = models.CharField(max_length=64, blank=True)
    # Who runs it ("host:pid" of the run_worker, or of the process itself) and when it last said it
    # was alive; how many times it has been started (ita_portal.recovery).
    worker = models.CharField(max_length=100, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("งานเบื้องหลัง")
        verbose_name_plural = _("งานเบื้องหลัง")
        indexes = [
            models.Index(fields=["created_by", "kind", "key"], name="job_owner_kind_key"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("job-detail", kwargs={"public_id": self.public_id})

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    @property
    def state(self) -> str:
        """What its page shows changes when this does (status, progress, results, message)."""
        return f"{self.status}-{self.done}-{self.total}-{len(self.items)}-{len(self.message)}"


class ScheduledRun(models.Model):
    """One run of a scheduled task at one of its times (``ita_portal.schedule``): the row is the
    claim. Whichever worker inserts it first queues the task; the unique pair makes every other
    worker's attempt fail, so two workers never run one time of one task twice."""

    name = models.CharField(max_length=64)
    slot = models.DateTimeField()
    worker = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("งานตามกำหนดเวลา")
        verbose_name_plural = _("งานตามกำหนดเวลา")
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="scheduledrun_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"


class Claim(models.Model):
    """Work that one process does at a time across every worker (``ita_portal.locks.claimed``): the
    row is the claim, its unique name the lock. A holder that died leaves a row that its worker's
    recovery removes, or that a waiter takes over once older than the lease."""

    name = models.CharField(max_length=200, unique=True)
    holder = models.CharField(max_length=100)
    claimed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("งานที่กำลังทำ")
        verbose_name_plural = _("งานที่กำลังทำ")

    def __str__(self) -> str:
        return self.name
