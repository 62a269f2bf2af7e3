"""python manage.py run_worker — the background worker: runs queued tasks (PDFs, batches, large
imports, exports) in --processes child processes at once (by default one per core, so a province
asking for PDFs together is served by every core), each replaced after --max-tasks tasks, so the
memory a render leaves behind in WeasyPrint/Pango is given back.

Stop it with Ctrl+C or SIGTERM: each child finishes its current task first (as db_worker does).

While its children run, it renews the heartbeat of each child's jobs; when a child dies (killed,
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
        parser.add_argument(
            "--processes",
            type=int,
            default=settings.WORKER_PROCESSES,
            help="จำนวนโปรเซสลูกที่ทำงานพร้อมกัน (ค่าเริ่มต้นจาก WORKER_PROCESSES: เท่ากับจำนวนแกนประมวลผล)",
        )
        parser.add_argument("--batch", action="store_true", help="ทำงานที่ค้างอยู่ในคิวให้หมดแล้วจบ (ใช้ในการทดสอบ)")
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="ไม่ส่งงานตามกำหนดเวลาเข้าคิว (เช่น ผู้ทำงานเบื้องหลังชุดที่สองที่ทำเฉพาะงานในคิว)",
        )

    def handle(
        self,
        *args,
        max_tasks: int,
        interval: float,
        nice: int,
        processes: int,
        batch: bool,
        no_schedule: bool,
        **options,
    ):
        if max_tasks < 1 or processes < 1:
            self.stderr.write("--max-tasks และ --processes ต้องมากกว่า 0")
            sys.exit(2)
        self.stopping = False
        self.children: dict[str, subprocess.Popen] = {}  # worker id of each slot → its child
        self.worker = recovery.this_worker()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._stop)
        self.command = self._child_command(max_tasks=max_tasks, interval=interval, nice=nice)
        self.batch = batch
        self.scheduling = not (batch or no_schedule)
        self._look_after(recovery.recover_stale)
        self._look_after(self._scheduled)
        # One child per slot, each with a worker id of its own (its jobs' heartbeat and recovery).
        slots = (
            [self.worker] if processes == 1 else [f"{self.worker[:58]}/{n}" for n in range(1, processes + 1)]
        )
        self.started = {slot: self._start(slot) for slot in slots}
        beat = time.monotonic()
        while self.children:
            time.sleep(0.2)
            for slot, child in list(self.children.items()):
                if (code := child.poll()) is not None:
                    self._replace(slot, code)
            if time.monotonic() - beat >= settings.JOB_HEARTBEAT_SECONDS:
                beat = time.monotonic()
                for slot in list(self.children):
                    self._look_after(lambda slot=slot: recovery.heartbeat(slot))
                self._look_after(recovery.recover_stale)
                self._look_after(self._scheduled)
        self.stdout.write(f"หยุดงานเบื้องหลังแล้ว (ใช้โปรเซสลูก {self.children_started} ตัว)")

    @staticmethod
    def _child_command(*, max_tasks: int, interval: float, nice: int) -> list[str]:
        # Renders yield the processor to web requests on the same machine (no page waits for a PDF).
        command = ["nice", "-n", str(max(0, min(19, nice)))] if nice and shutil.which("nice") else []
        command += [sys.executable, str(MANAGE), "db_worker", "--max-tasks", str(max_tasks)]
        return command + [
            "--interval",
            str(interval),
            "--no-startup-delay",
            "--no-reload",
            "--queue-name",
            "*",
        ]

    def _replace(self, slot: str, code: int) -> None:
        """A child has exited: its jobs recovered, and another started in its slot unless stopping
        (or, with --batch, unless the queue is empty)."""
        del self.children[slot]
        self._look_after(lambda: self._child_gone(slot))
        if self.stopping or (self.batch and code == 0 and not self._queue_waiting()):
            return
        if code != 0:
            self.stderr.write(f"โปรเซสลูกของงานเบื้องหลังจบด้วยรหัส {code} จะเริ่มใหม่")
            time.sleep(max(0.0, 2.0 - (time.monotonic() - self.started[slot])))  # no tight restart loop
        self.started[slot] = self._start(slot)

    def _start(self, slot: str) -> float:
        command = [*self.command, "--worker-id", slot] + (["--batch"] if self.batch else [])
        env = {**os.environ, "ITA_WORKER": slot}
        self.children[slot] = subprocess.Popen(command, env=env)  # noqa: S603 (this interpreter, manage.py, fixed arguments)
        self.children_started = getattr(self, "children_started", 0) + 1
        return time.monotonic()

    def _scheduled(self) -> None:
        if self.scheduling:
            schedule.tick(worker=self.worker)

    @staticmethod
    def _child_gone(slot: str) -> None:
        """The child's jobs, claims and task rows, whatever state it left them in."""
        recovery.recover_worker(slot)
        recovery.recover_rows_of(slot)

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
        for child in list(self.children.values()):
            if child.poll() is None:
                child.send_signal(signum)

    @staticmethod
    def _queue_waiting() -> bool:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.ready().exists()
