import email
import socket
from contextlib import contextmanager
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real yearly frameworks and the measure templates once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_framework", verbosity=0)
        call_command("load_measure_templates", verbosity=0)


@contextmanager
def rows_for_the_module(django_db_blocker):
    """For a module-scoped fixture whose rows many cases start from: the rows are written inside a
    transaction rolled back when the module ends, and each case runs in a savepoint of its own
    (pytest-django's ``django_db``) rolled back after it, so no case sees what another wrote. A
    case reads the rows afresh by their keys (the objects of the module fixture are not shared)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def work_files(tmp_path, settings):
    """Evidence, published documents and task results (cached PDFs, exports) in folders of this
    test's own: no test sees another's files (``sweep_files`` counts what it finds)."""
    from ita_portal.settings import file_storages

    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.PUBLISHED_ROOT = tmp_path / "published"
    settings.STORAGES = {
        **settings.STORAGES,
        **file_storages(settings.EVIDENCE_ROOT, settings.PUBLISHED_ROOT, tmp_path / "work"),
    }


@pytest.fixture(autouse=True)
def kept_results():
    """Nothing kept (dashboards, charts) from another test: a rolled-back test leaves the counters
    of change where they were, so its entries would otherwise match the next one's records."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org():
    """อบต.โคกมน (document 000's organisation), without an assessment."""
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="องค์การบริหารส่วนตำบลโคกมน", district="น้ำหนาว")


@pytest.fixture
def other_org():
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="องค์การบริหารส่วนตำบลอื่น")


@pytest.fixture
def assessment(org):
    """``org``'s 2568 assessment with document 000's scores."""
    from tests.factories import make_assessment

    return make_assessment(org)


# --- A real SMTP server on loopback (aiosmtpd) that keeps what it receives -----------------------


class Mailbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """The portal's mail goes to a real SMTP server on 127.0.0.1; yields its mailbox."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.PORTAL_URL = "https://ita.example.go.th"
    yield mailbox
    controller.stop()
