"""Reads of report building from a PostgreSQL read replica (DESIGN §16).

With `DATABASE_REPLICA_URL` set, settings add the database alias "replica" and
`REPORTS_READ_DATABASE = "replica"`. Code that builds a report wraps its reads in
`reading_for_reports()`; inside it every read goes to the replica. Everything else — all
writes, also inside the block, and every read outside it — goes to "default". Without a
replica the block changes nothing.

A replica lags a little behind: the report checks what it is about on "default" first, and only
the building (the many reads of the PDF) uses the replica.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

_for_reports: ContextVar[bool] = ContextVar("reading_for_reports", default=False)


@contextmanager
def reading_for_reports() -> Iterator[None]:
    token = _for_reports.set(True)
    try:
        yield
    finally:
        _for_reports.reset(token)


def report_read_alias() -> str:
    """The alias reads go to now: the replica inside `reading_for_reports()`, if there is one."""
    replica = getattr(settings, "REPORTS_READ_DATABASE", None)
    if replica and _for_reports.get() and replica in settings.DATABASES:
        return replica
    return DEFAULT_DB_ALIAS


class ReportReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        return report_read_alias()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the same rows as the primary: objects read from either relate.
        aliases = {DEFAULT_DB_ALIAS, getattr(settings, "REPORTS_READ_DATABASE", None)}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        # Only the primary is migrated; the replica follows it by replication.
        return db == DEFAULT_DB_ALIAS
