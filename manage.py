#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

A machine with no configuration at all (neither DEBUG nor SECRET_KEY in the
environment) is a developer's: there manage.py runs in debug mode, so that
``manage.py migrate`` or ``makemigrations --check`` work without ceremony. Where
SECRET_KEY is set (a server), DEBUG stays off unless asked for. The WSGI/ASGI
entry points never do this: the served portal refuses to start without a key.
"""

import importlib
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    if "DEBUG" not in os.environ and "SECRET_KEY" not in os.environ:
        os.environ["DEBUG"] = "1"

    from django.core.exceptions import ImproperlyConfigured

    try:
        # Import the settings first so that a refusal is one clear line, not the
        # traceback Django produces when it meets the error halfway through a command.
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"{exc}\n")
        sys.exit(1)

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
