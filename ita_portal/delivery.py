"""One way to hand a person a file the portal makes: the file is one function (a *maker*), and
``deliver`` runs it in the request when it is small, or as a job in the worker when it is not,
under one file name either way.

A maker takes the user and plain arguments (they go through the task queue as JSON) and an
``on_progress(done)`` callback, and returns a ``FileMade``; it is marked ``@file_maker`` so that
the worker runs nothing else by name::

    @file_maker
    def year_scores(user, year: int, *, on_progress=None) -> FileMade: ...

    return deliver(request, year_scores, year, rows=count, title=f"คะแนนปี {year}")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.utils.module_loading import import_string
from django_tasks import task

from . import jobs
from .models import Job, JobKind
from .responses import XLSX_TYPE, file_response


@dataclass(frozen=True)
class FileMade:
    content: bytes
    filename: str
    message: str = ""  # what the job's page says once the file is ready
    content_type: str = XLSX_TYPE


def file_maker(function: Callable[..., FileMade]) -> Callable[..., FileMade]:
    """Mark ``function`` as a maker the worker may run by its dotted name."""
    function.makes_a_file = True
    return function


def _path(maker) -> str:
    return f"{maker.__module__}.{maker.__qualname__}"


def deliver(request, maker, *args, rows: int, title: str, kind: str = JobKind.EXPORT):
    """The file now (``rows`` up to ``EXPORT_BACKGROUND_ROWS``) or a job whose page leads to it."""
    if not getattr(maker, "makes_a_file", False):
        raise TypeError(f"{_path(maker)} is not a @file_maker")
    if rows <= settings.EXPORT_BACKGROUND_ROWS:
        made = maker(request.user, *args)
        return file_response(made.content, made.filename, made.content_type)
    job = jobs.start(kind=kind, title=title, user=request.user, total=rows)
    jobs.enqueue(job, make_file, _path(maker), list(args), request.user.pk)
    return redirect(job)


@task()
def make_file(job_id: int, maker: str, args: list, user_id: int) -> None:
    """Run a ``@file_maker`` for the job's person; the file is the job's result."""
    with jobs.running(job_id, "make_file"):
        function = import_string(maker)
        if not getattr(function, "makes_a_file", False):
            raise TypeError(f"{maker} is not a @file_maker")
        user = get_user_model().objects.get(pk=user_id)
        made = function(user, *args, on_progress=lambda done: jobs.progress(job_id, done=done))
        jobs.progress(job_id, done=Job.objects.values_list("total", flat=True).get(pk=job_id))
        jobs.finish(
            job_id,
            message=made.message,
            content=made.content,
            filename=made.filename,
            content_type=made.content_type,
        )
