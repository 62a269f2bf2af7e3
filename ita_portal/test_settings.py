"""Settings for the test suite: the real settings with a test key and a fast hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from ita_portal.settings import *  # noqa: E402,F403

# MD5 makes test users fast; PBKDF2 still checks the demo users' stored hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Uploaded evidence goes to a throw-away folder, never into the working tree.
import tempfile  # noqa: E402

EVIDENCE_ROOT = Path(tempfile.mkdtemp(prefix="ita-evidence-"))  # noqa: F405
PUBLISHED_ROOT = Path(tempfile.mkdtemp(prefix="ita-published-"))  # noqa: F405
WORK_ROOT = Path(tempfile.mkdtemp(prefix="ita-work-"))  # noqa: F405
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    **file_storages(EVIDENCE_ROOT, PUBLISHED_ROOT, WORK_ROOT),  # noqa: F405
    # The tests render pages without collectstatic; the production stack's test runs it.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise reads the static files from the apps' folders, as in debug mode (no collectstatic).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="ita-static-"))  # noqa: F405
# Kept results in this process's memory, emptied before each test (tests/conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run at once, inside the test, unless a test starts a real worker (tests/test_worker.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Login lockout is tested on its own (tests/test_security.py switches it on); elsewhere tests log in
# with force_login and must not share a failure counter.
AXES_ENABLED = False

# The test client speaks plain HTTP; the HTTPS redirect of production is checked by check --deploy.
SECURE_SSL_REDIRECT = False

# Most tests sign in administrators with force_login; the second factor is tested on its own
# (tests/members/test_second_factor.py switches it on), as the login lockout is.
SECOND_FACTOR_REQUIRED = False
