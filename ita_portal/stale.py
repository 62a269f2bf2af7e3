"""Refusing a stale save: every form that edits a shared record carries the version it showed."""

from __future__ import annotations

from django.utils import timezone

from .thai import thai_date


class StaleEdit(Exception):
    """Someone else saved the record after this form was opened; ``changes`` says what they changed
    as (what, then, now); ``current_version`` is the record's version now (0: not saved yet), which
    the form takes so that the next save goes through. Not a ValidationError: a view's
    ``except ValidationError`` lets it pass to ``ita_portal.mixins``, which puts it on the form."""

    def __init__(self, message: str, changes: list[tuple[str, str, str]], current_version: int = 0):
        super().__init__(message)
        self.messages = [message]
        self.changes = changes
        self.current_version = current_version


def person_name(user, nobody: str = "ระบบ") -> str:
    """A user's full name, else the username; ``nobody`` for changes made without a user (imports)."""
    if user is None:
        return nobody
    return user.get_full_name() or user.username


def saved_by(user, moment) -> str:
    """Who saved and when, as a refusal names them: "สมศรี ตั้งใจ เมื่อ 30 พ.ย. 2569 10:49 น."."""
    local = timezone.localtime(moment)
    return f"{person_name(user)} เมื่อ {thai_date(local.date())} {local:%H:%M} น."


def stale_message(what: str, who: str) -> str:
    """The Thai sentence a refused save opens with; ``who`` names the person and the time, if known."""
    return (
        f"มีผู้อื่นบันทึก{what}ไปก่อนท่าน"
        + (f" ({who})" if who else "")
        + " ระบบจึงยังไม่บันทึกของท่าน ข้อมูลที่ท่านกรอกยังอยู่ในแบบฟอร์ม "
        "กรุณาตรวจสอบสิ่งที่เปลี่ยนไปด้านล่างแล้วบันทึกอีกครั้ง"
    )


def refuse_stale(form, exc: StaleEdit, current_version: int) -> None:
    """Keep what the user typed, show what the other person changed, and let the next save go through."""
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = str(current_version)
    form.add_error(None, exc.messages[0])
    for field, old, new in exc.changes:
        form.add_error(None, f"{field}: {old} → {new}")
