"""Settings for the load test (`make bench-load`) only: the real settings as production runs
them (DEBUG off, persistent database connections) on plain HTTP over loopback, with the
benchmark URLs (the project's plus /bench/bare/). The portal never uses this module."""

import warnings

from portal.settings import *  # noqa: F403
from portal.settings import DATABASES

DEBUG = False
ROOT_URLCONF = "benchmarks.urls_bench"
DATABASES["default"]["CONN_MAX_AGE"] = 60
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# Nothing was collected into STATIC_ROOT for the load test, and locust fetches no static files.
warnings.filterwarnings("ignore", message="No directory at")
