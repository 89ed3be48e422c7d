"""Health endpoints for load balancers and monitoring (no login, no versions, no details):

- `/healthz`: the process answers (liveness);
- `/readyz`: the database, the cache and, when tasks go to a worker, the broker answer
  (readiness); 503 with the failing check's name otherwise, and the time each check took
  in milliseconds, so a monitor can graph it.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.celery import app

log = logging.getLogger("ketenwacht.health")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    cache.set("ketenwacht:health", "ok", 10)
    if cache.get("ketenwacht:health") != "ok":
        raise RuntimeError("cache did not return what was stored")


def _broker() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    results, ok = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception:  # any failure makes the node not ready; details go to the log only
            log.exception("readiness check %s failed", name)
            results[name] = {"ok": False}
            ok = False
        else:
            results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return JsonResponse(
        {"status": "ok" if ok else "failing", "checks": results}, status=200 if ok else 503
    )
