"""A database that restarts under load is not a 500.

A request that meets a lost or refused database connection gets the Thai 503 page with
``Retry-After``; a read (GET, HEAD) is first tried once more on a fresh connection. A write is
never retried: its transaction was rolled back by the database, so nothing was half saved, and the
person is told to try again. Exceptions raised in other middleware (the session, the user) reach
Django's 500 handler instead, which gives the same 503 (``ita_portal.views.server_error``).
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
SAFE_METHODS = ("GET", "HEAD")


def database_lost(exc: BaseException | None) -> bool:
    """A lost, refused or busy database connection (not a constraint or a programming error)."""
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable(request) -> HttpResponse:
    """The Thai 503 page, saying when to try again."""
    body = loader.get_template("503.html").render({"request_id": getattr(request, "request_id", "")})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def forget_connections() -> None:
    """Drop every connection of this thread, so the next query opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:  # noqa: BLE001 — a broken connection may fail to close: it is gone anyway
            logger.debug("closing a lost database connection failed", exc_info=True)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_lost(exception):
            return None
        logger.warning("the database did not answer: %s", exception)
        forget_connections()
        if request.method in SAFE_METHODS and not getattr(request, "database_retried", False):
            request.database_retried = True
            return self.get_response(request)
        return unavailable(request)
