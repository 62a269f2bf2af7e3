"""python manage.py run_worker — the background worker: runs queued tasks (PDFs, batches, large
imports, exports) in a child process that is replaced after --max-tasks tasks, so the memory a
render leaves behind in WeasyPrint/Pango is given back.

Stop it with Ctrl+C or SIGTERM: the child finishes its current task first (as db_worker does).

While its child runs, it renews the heartbeat of the child's jobs; when the child dies (killed,
out of memory), it recovers them at once, and from time to time any job whose worker is gone
(ita_portal.recovery). At the same beat it queues the portal's scheduled tasks whose time has
come (ita_portal.schedule: the nightly link checks and housekeeping, the morning's reminders and
digests), so no system cron is needed; several workers queue each time once. ``--batch`` (the
tests) and ``--no-schedule`` (a worker meant only for queued work) do not.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, close_old_connections

from ita_portal import recovery, schedule
from ita_portal.commands import ThaiCommand

logger = logging.getLogger(__name__)

MANAGE = Path(__file__).resolve().parents[3] / "manage.py"


class Command(ThaiCommand):
    help = "รันงานเบื้องหลัง (PDF, เอกสารหลายหน่วยงาน, นำเข้าและส่งออกไฟล์ใหญ่) ในโปรเซสลูกที่เริ่มใหม่ทุก --max-tasks งาน"

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=settings.WORKER_MAX_TASKS,
            help="จำนวนงานที่โปรเซสลูกหนึ่งตัวทำก่อนถูกแทนด้วยตัวใหม่ (ค่าเริ่มต้นจาก WORKER_MAX_TASKS)",
        )
        parser.add_argument("--interval", type=float, default=1.0, help="วินาทีที่รอระหว่างตรวจคิว")
        parser.add_argument(
            "--nice",
            type=int,
            default=settings.WORKER_NICE,
            help="ลำดับความสำคัญของโปรเซสลูก (0–19 ยิ่งมากยิ่งหลีกทางให้หน้าเว็บ ค่าเริ่มต้นจาก WORKER_NICE)",
        )
        parser.add_argument("--batch", action="store_true", help="ทำงานที่ค้างอยู่ในคิวให้หมดแล้วจบ (ใช้ในการทดสอบ)")
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="ไม่ส่งงานตามกำหนดเวลาเข้าคิว (เช่น ผู้ทำงานเบื้องหลังชุดที่สองที่ทำเฉพาะงานในคิว)",
        )

    def handle(
        self, *args, max_tasks: int, interval: float, nice: int, batch: bool, no_schedule: bool, **options
    ):
        if max_tasks < 1:
            self.stderr.write("--max-tasks ต้องมากกว่า 0")
            sys.exit(2)
        self.stopping = False
        self.child: subprocess.Popen | None = None
        self.worker = recovery.this_worker()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._stop)
        # Renders yield the processor to web requests on the same machine (no page waits for a PDF).
        command = ["nice", "-n", str(max(0, min(19, nice)))] if nice and shutil.which("nice") else []
        command += [
            sys.executable,
            str(MANAGE),
            "db_worker",
            "--max-tasks",
            str(max_tasks),
            "--interval",
            str(interval),
            "--no-startup-delay",
            "--no-reload",
            "--queue-name",
            "*",
            "--worker-id",
            self.worker,
        ] + (["--batch"] if batch else [])
        children = 0
        self.scheduling = not (batch or no_schedule)
        self._look_after(recovery.recover_stale)
        self._look_after(self._scheduled)
        while not self.stopping:
            started = time.monotonic()
            env = {**os.environ, "ITA_WORKER": self.worker}
            self.child = subprocess.Popen(command, env=env)  # noqa: S603 (this interpreter, manage.py, fixed arguments)
            children += 1
            code = self._watch(self.child)
            self._look_after(self._child_gone)
            if batch and code == 0:
                # --batch with --max-tasks stops either when the queue is empty or at the limit:
                # start another child only if tasks are still waiting.
                if not self._queue_waiting():
                    break
                continue
            if code != 0 and not self.stopping:
                self.stderr.write(f"โปรเซสลูกของงานเบื้องหลังจบด้วยรหัส {code} จะเริ่มใหม่")
                time.sleep(max(0.0, 2.0 - (time.monotonic() - started)))  # no tight restart loop
        self.stdout.write(f"หยุดงานเบื้องหลังแล้ว (ใช้โปรเซสลูก {children} ตัว)")

    def _watch(self, child: subprocess.Popen) -> int:
        """Wait for the child, renewing its jobs' heartbeat and recovering lost jobs meanwhile."""
        while True:
            try:
                return child.wait(timeout=settings.JOB_HEARTBEAT_SECONDS)
            except subprocess.TimeoutExpired:
                self._look_after(lambda: (recovery.heartbeat(self.worker), recovery.recover_stale()))
                self._look_after(self._scheduled)

    def _scheduled(self) -> None:
        if self.scheduling:
            schedule.tick(worker=self.worker)

    def _child_gone(self) -> None:
        """The child's jobs and task rows, whatever state it left them in."""
        recovery.recover_worker(self.worker)
        recovery.recover_rows_of(self.worker)

    @staticmethod
    def _look_after(work) -> None:
        """Bookkeeping that must never stop the worker: a locked or restarting database is retried
        at the next heartbeat."""
        try:
            close_old_connections()
            work()
        except DatabaseError:
            logger.warning("job bookkeeping postponed: the database did not answer", exc_info=True)

    def _stop(self, signum, frame):
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signum)

    @staticmethod
    def _queue_waiting() -> bool:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.ready().exists()
