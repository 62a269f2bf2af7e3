import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real yearly frameworks (fixtures/frameworks) once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_framework", verbosity=0)
