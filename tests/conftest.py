import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real yearly frameworks and the measure templates once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_framework", verbosity=0)
        call_command("load_measure_templates", verbosity=0)
