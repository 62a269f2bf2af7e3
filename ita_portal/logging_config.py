"""The portal's logging: one line per record on stdout with the request's context, a 500's
traceback to the admins' mail, and the chatty libraries quietened. No Django imported here: the
settings read it."""


def logging_config(level: str) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "ita_portal.logs.ContextFilter"}},
        "formatters": {"line": {"()": "ita_portal.logs.LineFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["context"],
                "formatter": "line",
            },
            "mail_admins": {
                "class": "django.utils.log.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["context"],
            },
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # A 500 leaves its traceback on stdout (and in the admins' mail when ADMINS is set).
            "django.request": {"handlers": ["stdout", "mail_admins"], "level": "WARNING", "propagate": False},
            "django.server": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            "fontTools": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
            "pikepdf": {"level": "WARNING"},
            # matplotlib notes at INFO each time a chart has category labels that look like numbers
            # (the years of a trend): not news for whoever reads the log.
            "matplotlib": {"level": "WARNING"},
            "weasyprint": {"level": "ERROR"},
        },
    }
