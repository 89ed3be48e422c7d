"""Run callables at the same moment in threads, each on its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency tests need PostgreSQL row locks (set DATABASE_URL=postgres://…)",
)


def _sqlite_file() -> bool:
    """The test database is a SQLite file (KETENWACHT_TEST_SQLITE_FILE, see settings_test):
    threads get connections of their own to it, as gunicorn workers do to the embedded default.
    An in-memory test database cannot be written from parallel connections."""
    name = connection.settings_dict.get("TEST", {}).get("NAME") or ""
    return connection.vendor == "sqlite" and bool(name) and "mode=memory" not in str(name)


# Parallel writes need a database that really takes them in parallel: PostgreSQL (row locks),
# or the embedded default, a SQLite file (WAL, BEGIN IMMEDIATE: writers take turns).
concurrent_db = pytest.mark.skipif(
    not (connection.vendor == "postgresql" or _sqlite_file()),
    reason="parallel writes need PostgreSQL (DATABASE_URL=postgres://…) or a SQLite file "
    "(KETENWACHT_TEST_SQLITE_FILE=/tmp/….sqlite3)",
)


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def run_together(*calls: Callable[[], Any], timeout: float = 120) -> list[Outcome]:
    """Start every call at once (a barrier after each thread has connected) and wait for all.

    Each thread opens its own connection before the barrier, so the calls really overlap in
    the database, and closes it afterwards.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout)
            outcomes[index].value = call()
        except BaseException as exc:  # reported to the test, which asserts on it
            outcomes[index].error = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a parallel call did not finish (deadlock?)"
    return outcomes
