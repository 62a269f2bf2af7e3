"""Logs an operator can follow: one line per event on stdout, each naming its request.

``RequestContextMiddleware`` gives every request an id (the proxy's ``X-Request-ID`` when it
sends a sane one, else a new one), returns it in the response header of the same name, and
keeps it with the user's id for the request's log lines; views add the organisation they
load (``bind``). ``LineFormatter`` writes one JSON object per line — time, level, logger,
message, request, user, organisation and, for errors, the traceback — so a 500 leaves its
traceback on stdout and ``grep``/``jq`` find every line of one request.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid

_context: contextvars.ContextVar[dict | None] = contextvars.ContextVar("ita_log_context", default=None)
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REQUEST_ID_HEADER = "X-Request-ID"


def bind(**values) -> None:
    """Add values (e.g. ``organisation=12``) to the current request's or task's log lines."""
    current = _context.get()
    if current is not None:
        current.update({k: v for k, v in values.items() if v is not None})


def bind_organisation(obj) -> None:
    """Name on the log lines the organisation an object belongs to (an organisation, an
    assessment, a plan, a measure…)."""
    for path in ("organisation_id", "assessment.organisation_id", "plan.assessment.organisation_id"):
        value = obj
        for name in path.split("."):
            value = getattr(value, name, None)
        if isinstance(value, int):
            bind(organisation=value)
            return
    if type(obj).__name__ == "Organisation":
        bind(organisation=obj.pk)


def context() -> dict:
    return dict(_context.get() or {})


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = offered if _SANE_ID.match(offered) else uuid.uuid4().hex
        token = _context.set({"request_id": request.request_id})
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                bind(user_id=user.pk)
            response[REQUEST_ID_HEADER] = request.request_id
            return response
        finally:
            _context.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            bind(user_id=user.pk)


class ContextFilter(logging.Filter):
    """Copies the request's (or task's) context onto the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in context().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class LineFormatter(logging.Formatter):
    FIELDS = ("request_id", "user_id", "organisation", "task", "job", "status_code")

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in self.FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value if isinstance(value, (int, str)) else str(value)
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class task_context:
    """``with task_context("render_document"):`` — a background task's log lines say which task."""

    def __init__(self, task: str, **values):
        self.values = {"task": task, **values}

    def __enter__(self):
        self.token = _context.set(dict(self.values))
        return self

    def __exit__(self, *exc):
        _context.reset(self.token)
        return False
