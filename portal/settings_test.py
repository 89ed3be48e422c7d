"""Test settings: the real settings with fast hashing and an isolated media folder.

The database comes from DATABASE_URL like everywhere else (SQLite by default, PostgreSQL in CI).
"""

import tempfile
from pathlib import Path

from .settings import *  # noqa: F403
from .settings import STORAGES

# SQLite tests use an in-memory database unless KETENWACHT_TEST_SQLITE_FILE names a file: the
# parallel-write tests (tests/concurrency) need one, as the embedded default is a file too.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and env.str(  # noqa: F405
    "KETENWACHT_TEST_SQLITE_FILE", default=""
):
    DATABASES["default"]["TEST"] = {  # noqa: F405
        **DATABASES["default"].get("TEST", {}),  # noqa: F405
        "NAME": env.str("KETENWACHT_TEST_SQLITE_FILE"),  # noqa: F405
    }

# The report replica as a mirror of the test database: the router's tests switch reading from it
# on with REPORTS_READ_DATABASE="replica" (off unless DATABASE_REPLICA_URL is set).
DATABASES.setdefault(  # noqa: F405
    "replica",
    {**DATABASES["default"], "TEST": {"MIRROR": "default"}},  # noqa: F405
)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The real-worker suite (.ci/run) turns eager mode off with CELERY_TASK_ALWAYS_EAGER=0.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)  # noqa: F405
# A worker started by the fault tests shares the test's media folder through this variable.
PRIVATE_MEDIA_ROOT = Path(
    env.str("KETENWACHT_TEST_MEDIA_ROOT", default="")  # noqa: F405
    or tempfile.mkdtemp(prefix="ketenwacht-test-media-")
)
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
STORAGES = {
    **STORAGES,
    "default": {**STORAGES["default"], "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="ketenwacht-test-static-"))
# Fault tests (tests/concurrency) hold a worker mid-task to kill it there, e.g.
# KETENWACHT_FAULT_PAUSE="reports.build=60"; see portal/core/faults.py. Never set in production.
FAULT_PAUSES = {
    point: float(seconds)
    for point, seconds in env.dict("KETENWACHT_FAULT_PAUSE", default={}).items()  # noqa: F405
}
