"""Background work: sending the invitations of a confirmed sheet."""

from __future__ import annotations

from django_tasks import task

from ita_portal import jobs

from .services import invitations_send


@task()
def send_invitations(job_id: int, invitation_ids: list[int]) -> None:
    with jobs.running(job_id, "send_invitations"):
        sent, failed = invitations_send(
            invitation_ids, on_progress=lambda done: jobs.progress(job_id, done=done)
        )
        message = f"ส่งคำเชิญแล้ว {sent:,} ฉบับ"
        if failed:
            message += f" ส่งไม่สำเร็จ {failed:,} ฉบับ (กด “ส่งอีกครั้ง” ในหน้าสมาชิก)"
        jobs.finish(job_id, message=message)
