"""The daily run (DESIGN §5): one `daily` domain event, emitted from the top layer by Celery beat
or by `manage.py send_reminders` from cron; every app's subscribers do their part."""

from __future__ import annotations

from datetime import date

from portal.core.events import emit


def daily_run(*, today: date) -> dict[str, int]:
    """Emit `daily`; returns each step's count by label (`manage.py events daily` lists them)."""
    return emit("daily", today=today)
