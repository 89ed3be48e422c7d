"""Ketenwacht project package: settings, URLs, the Celery app and the portal's own modules.

`portal.core` holds the bottom layer (accounts and tenancy, audit, rules engine, notifications);
`portal.top` holds the top layer (dashboards, reports, API router, demo data).
"""

from .celery import app as celery_app

__all__ = ["celery_app"]
