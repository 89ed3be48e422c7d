"""The embedded default (a SQLite file) is set up for parallel writers (issue 21): write-ahead
logging, BEGIN IMMEDIATE and a busy timeout. Runs when the test database is a file
(KETENWACHT_TEST_SQLITE_FILE, as .ci/run does); the parallel tests next to it then run on it."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from .parallel import concurrent_db, run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    concurrent_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite set-up"),
]


def _pragma(name: str):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_a_sqlite_file_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout():
    assert _pragma("journal_mode") == "wal"
    assert _pragma("synchronous") == 1  # NORMAL: safe with WAL, one fsync per checkpoint
    assert _pragma("busy_timeout") == 20_000
    assert connection.transaction_mode == "IMMEDIATE"


def test_parallel_write_transactions_wait_for_each_other_instead_of_failing():
    """Each transaction reads, then writes: with deferred transactions SQLite answers the second
    writer 'database is locked' at once; with BEGIN IMMEDIATE it waits its turn."""
    from portal.core.accounts.models import Organisation

    org = Organisation.objects.create(slug="teller", name="0", kind="care")

    def bump():
        for _ in range(10):
            with transaction.atomic():
                current = Organisation.objects.get(pk=org.pk)
                Organisation.objects.filter(pk=org.pk).update(name=str(int(current.name) + 1))

    outcomes = run_together(bump, bump, bump)

    assert [o.error for o in outcomes] == [None, None, None]
    org.refresh_from_db()
    assert org.name == "30"  # no lost update either: the read happens inside the write lock
