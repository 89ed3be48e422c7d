"""The real-worker tests wait until the workers are idle before the test database is emptied.

Work of a test goes on after it: an after-commit subscriber (a hand-off notice on the "mail"
queue, say) is still running in a worker when the test ends, and emptying the tables under it
deadlocks. So after each celery_worker test: no message waiting in a queue and nothing active
or reserved in any worker, twice in a row."""

from __future__ import annotations

import time

import pytest

from portal.celery import app

QUEUES = ("default", "reports", "mail")


def _busy() -> bool:
    with app.connection_for_write() as conn:
        for queue in QUEUES:
            try:
                if conn.default_channel.queue_declare(queue, passive=True).message_count:
                    return True
            except conn.channel_errors:  # not declared yet: nothing ever waited in it
                pass
    inspect = app.control.inspect(timeout=1)
    for answer in (inspect.active(), inspect.reserved()):
        if any((answer or {}).values()):
            return True
    return False


def wait_until_idle(timeout: float = 60) -> None:
    deadline, idle = time.monotonic() + timeout, 0
    while idle < 2:
        assert time.monotonic() < deadline, "the Celery workers did not become idle"
        idle = 0 if _busy() else idle + 1
        time.sleep(0.2)


@pytest.fixture(autouse=True)
def _workers_idle_before_teardown(request):
    if request.node.get_closest_marker("celery_worker") is None:
        yield
        return
    # Set up after the database fixture, so this runs before it empties the tables.
    request.getfixturevalue("transactional_db")
    yield
    wait_until_idle()
