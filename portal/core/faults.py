"""Pauses the fault tests switch on to kill a Celery worker in the middle of a task.

Only the test settings define FAULT_PAUSES (from KETENWACHT_FAULT_PAUSE); everywhere else a
call is a dictionary lookup that never sleeps.
"""

from __future__ import annotations

import time

from django.conf import settings


def fault_pause(point: str) -> None:
    """Sleep at a named point of a task when a fault test asked for it; otherwise do nothing."""
    seconds = getattr(settings, "FAULT_PAUSES", {}).get(point)
    if seconds:
        time.sleep(seconds)
