import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real yearly frameworks and the measure templates once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_framework", verbosity=0)
        call_command("load_measure_templates", verbosity=0)


@pytest.fixture(autouse=True)
def work_files(tmp_path, settings):
    """Task results (cached PDFs, exports) in a folder of this test's own: no test sees another's."""
    settings.STORAGES = {
        **settings.STORAGES,
        "work": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "work", "base_url": None},
        },
    }
