"""A Celery worker killed with SIGKILL in the middle of a task, then a new worker: the task
is delivered again and completes exactly once, with no half-written result.

Each test starts its own `celery worker --pool=solo` subprocesses on the pytest test database,
on a queue of its own, and removes them afterwards. The Redis broker hands an unacknowledged
message out again only after the visibility timeout (CELERY_VISIBILITY_TIMEOUT), so the
workers run with a short one. The first worker is held at a named point of the task
(KETENWACHT_FAULT_PAUSE, read only by the test settings) and killed there.

Run by .ci/run: CELERY_BROKER_URL=redis://… DATABASE_URL=postgres://… pytest -m fault
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
import warnings
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app
from portal.core.audit.models import AuditEvent
from portal.core.jobs.models import Job
from portal.top.reports.models import Report
from suppliers.models import Relationship, RiskHistory, SupplierLink
from suppliers.risk import RESCORE_CHUNK, risk_appetite_set

from .parallel import postgres_only

pytestmark = [
    pytest.mark.fault,
    pytest.mark.django_db(transaction=True),
    postgres_only,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis://"),
        reason="worker-kill tests need a Redis broker (set CELERY_BROKER_URL=redis://…)",
    ),
]

VISIBILITY_TIMEOUT = 3  # seconds; production keeps the default of an hour
CELERY = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "celery"


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Workers:
    """Starts worker subprocesses on one private queue (with `env` added to their environment);
    kills what is left at the end."""

    def __init__(self, folder: Path, env: dict[str, str] | None = None):
        self.folder, self.queue = folder, f"fault-{uuid.uuid4().hex[:12]}"
        self.env = env or {}
        self.media = folder / "media"
        self.media.mkdir()
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def start(self, *, pause: str = "") -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings_test",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "DATABASE_URL": _test_database_url(),
            "KETENWACHT_TEST_MEDIA_ROOT": str(self.media),
            "KETENWACHT_FAULT_PAUSE": pause,
            **self.env,
        }
        log = self.folder / f"worker-{len(self.started) + 1}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(  # noqa: S603 - our own celery, fixed arguments
                [str(CELERY), "-A", "portal", "worker", "--pool=solo", "--concurrency=1"]
                + ["-Q", self.queue, "-n", f"{self.queue}-{len(self.started)}@%h"]
                + ["--without-gossip", "--without-mingle", "--without-heartbeat"]
                + ["--loglevel=INFO"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append((proc, log))
        return proc

    def send(self, name: str, *args) -> None:
        with warnings.catch_warnings():  # eager mode in this process does not apply to send_task
            warnings.simplefilter("ignore")
            app.send_task(name, args=list(args), queue=self.queue)

    def kill(self, proc: subprocess.Popen) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for _p, log in self.started
        )

    def wait_for(self, check, what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} within {timeout} s\n{self.logs()}")
            time.sleep(0.2)

    def stop_all(self) -> None:
        for proc, _log in self.started:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    self.kill(proc)
        with app.connection_for_write() as conn:  # drop the private queue from the broker
            conn.default_channel.client.delete(
                self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}"
            )


@pytest.fixture
def workers(tmp_path):
    w = Workers(tmp_path)
    yield w
    w.stop_all()


def _restart_after_visibility_timeout(workers: Workers, killed_at: float) -> None:
    """A new worker, started once the dead worker's message may be handed out again."""
    time.sleep(max(0.0, killed_at + VISIBILITY_TIMEOUT + 1 - time.monotonic()))
    workers.start()


def test_report_task_killed_mid_build_completes_once_with_one_file(cast, workers):
    report = Report.objects.create(
        organisation=cast.hospital, user=cast.ciso.user, kind="portfolio", title="Portefeuille"
    )

    def state():
        return Report.objects.values_list("status", "progress").get(pk=report.pk)

    first = workers.start(pause="reports.build=120")
    workers.send("reports.generate", report.pk)
    workers.wait_for(lambda: state() == ("running", 40), "report build in the first worker")
    workers.kill(first)
    killed_at = time.monotonic()
    folder = workers.media / "reports" / str(cast.hospital.pk)
    assert state() == ("running", 40) and not folder.exists()  # nothing half-written

    _restart_after_visibility_timeout(workers, killed_at)
    workers.wait_for(lambda: state()[0] in ("done", "failed"), "finished report")

    report.refresh_from_db()
    assert (report.status, report.progress, report.error) == ("done", 100, ""), workers.logs()
    assert [p.name for p in folder.iterdir()] == [Path(report.file.name).name]
    data = (workers.media / report.file.name).read_bytes()
    assert data.startswith(b"%PDF") and len(data) == report.size


def test_rescore_task_killed_between_chunks_writes_each_point_once(cast, workers):
    supplier = cast.supplier
    SupplierLink.objects.create(care_org=cast.hospital, supplier=supplier)
    count = RESCORE_CHUNK + 50  # two chunks: the worker dies after the first
    Relationship.objects.bulk_create(
        Relationship(
            care_org=cast.hospital,
            supplier=supplier,
            name=f"Dienst {i}",
            intake_data=1,
            intake_volume=1,
            intake_continuity=1,
            intake_access=1,
            intake_substitutability=2,  # sum 6: medium now, high with the stricter appetite
            assessed=i % 2 == 0,
            control_score=Decimal("60.0") if i % 2 == 0 else None,
            control_band="weak" if i % 2 == 0 else "",
        )
        for i in range(count)
    )
    risk_appetite_set(
        organisation=cast.hospital,
        data={"tier_rules": {"high": {"sum_gte": 6}}},
        actor=cast.ciso.user,
    )
    job = Job.objects.create(organisation=cast.hospital, user=cast.ciso.user, kind="rescore")
    points = RiskHistory.objects.filter(relationship__care_org=cast.hospital, cause="appetite")

    first = workers.start(pause="rescore.chunk=120")
    workers.send("suppliers.rescore", job.pk)
    workers.wait_for(
        lambda: Job.objects.get(pk=job.pk).done == RESCORE_CHUNK, "first chunk in the worker"
    )
    workers.kill(first)
    killed_at = time.monotonic()
    assert points.count() == RESCORE_CHUNK  # the first chunk is committed as a whole
    assert Job.objects.get(pk=job.pk).status == "running"

    _restart_after_visibility_timeout(workers, killed_at)
    workers.wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, "finished re-score")

    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("done", count, count), workers.logs()
    assert job.result == {"changed": count, "total": count}
    assert points.count() == count
    assert set(points.values_list("relationship", flat=True)) == set(
        Relationship.objects.filter(care_org=cast.hospital).values_list("pk", flat=True)
    )
    assert set(
        Relationship.objects.filter(care_org=cast.hospital).values_list("inherent_tier", flat=True)
    ) == {"high"}
    assert AuditEvent.objects.filter(action="relationships.rescored").count() == 1
