"""Background jobs delivered twice at once (a broker that redelivers a long task, a retry
next to the first run), on PostgreSQL: a re-score records each history point once and never
undoes an intake change committed meanwhile; a report keeps one file."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from portal.core.audit.models import AuditEvent
from portal.core.jobs.models import Job
from portal.top.reports.models import Report
from portal.top.reports.services import report_run
from suppliers.models import Relationship, RiskHistory
from suppliers.risk import rescore_job, risk_appetite_set
from suppliers.services import relationship_create, relationship_update
from tests.access import _relationship

from .parallel import concurrent_db, postgres_only, run_together

pytestmark = [pytest.mark.django_db(transaction=True), concurrent_db]

MEDIUM_AT_SIX = {"data": 1, "volume": 1, "continuity": 1, "access": 1, "substitutability": 2}


def _medium_relationships(cast, count: int) -> list[Relationship]:
    """`count` medium relationships (intake sum 6) next to the cast's critical one."""
    supplier = _relationship(cast)["relationship"].supplier
    return [
        relationship_create(
            care_org=cast.hospital,
            supplier=supplier,
            name=f"Dienst {i}",
            supplier_types=["other"],
            intake=MEDIUM_AT_SIX,
            actor=cast.procurement.user,
        )
        for i in range(count)
    ]


def _stricter_appetite(cast) -> Job:
    """Sum 6 becomes high; returns the re-score job the page would start."""
    risk_appetite_set(
        organisation=cast.hospital,
        data={"tier_rules": {"high": {"sum_gte": 6}}},
        actor=cast.ciso.user,
    )
    return Job.objects.create(organisation=cast.hospital, user=cast.ciso.user, kind="rescore")


def test_one_rescore_job_run_twice_at_once_records_each_point_once(cast):
    medium = _medium_relationships(cast, 5)
    job = _stricter_appetite(cast)

    def run():
        return rescore_job(job=Job.objects.select_related("organisation", "user").get(pk=job.pk))

    outcomes = run_together(run, run)

    assert [o.error for o in outcomes] == [None, None]
    job.refresh_from_db()
    assert (job.status, job.total, job.result["changed"]) == ("done", 6, 5)
    assert AuditEvent.objects.filter(action="relationships.rescored").count() == 1
    for rel in medium:
        rel.refresh_from_db()
        assert rel.inherent_tier == "high"
        assert RiskHistory.objects.filter(relationship=rel, cause="appetite").count() == 1
    assert RiskHistory.objects.filter(cause="appetite").count() == 5


def _waiting_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


@postgres_only  # watches the re-score wait for PostgreSQL's row lock (pg_locks)
def test_rescore_never_undoes_an_intake_change_committed_meanwhile(cast):
    """The re-score reaches a relationship whose intake is being changed: it waits for that
    change and scores the new intake, instead of writing a tier computed from the old one."""
    (rel,) = _medium_relationships(cast, 1)
    job = _stricter_appetite(cast)
    changing, release = threading.Event(), threading.Event()
    rescore_pid: list[int] = []
    errors: list[BaseException] = []

    def change_intake():
        try:
            with transaction.atomic():
                relationship_update(
                    relationship=rel,
                    actor=cast.procurement.user,
                    intake={"data": 0, "substitutability": 0},  # sum 3: low
                )
                changing.set()
                release.wait(60)
        except BaseException as exc:
            errors.append(exc)
            changing.set()
        finally:
            connections.close_all()

    def rescore():
        try:
            connection.ensure_connection()
            rescore_pid.append(connection.connection.info.backend_pid)
            rescore_job(job=Job.objects.select_related("organisation", "user").get(pk=job.pk))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    writer = threading.Thread(target=change_intake, daemon=True)
    writer.start()
    assert changing.wait(60)
    scorer = threading.Thread(target=rescore, daemon=True)
    scorer.start()
    deadline = time.monotonic() + 60
    while not (rescore_pid and _waiting_for_a_lock(rescore_pid[0])) and scorer.is_alive():
        assert time.monotonic() < deadline, "the re-score never reached the locked relationship"
        time.sleep(0.05)
    release.set()
    writer.join(60)
    scorer.join(60)

    assert errors == []
    rel.refresh_from_db()
    assert (rel.intake["data"], rel.inherent_score, rel.inherent_tier) == (0, 3, "low")
    last = RiskHistory.objects.filter(relationship=rel).order_by("recorded_at", "pk").last()
    assert (last.cause, last.inherent_tier) == ("intake", "low")  # nothing newer contradicts it


def test_one_report_built_twice_at_once_keeps_one_file(cast):
    report = Report.objects.create(
        organisation=cast.hospital, user=cast.ciso.user, kind="portfolio", title="Portefeuille"
    )
    stale = Report.objects.get(pk=report.pk)  # both deliveries loaded it while still queued

    outcomes = run_together(lambda: report_run(stale), lambda: report_run(stale))
    late = report_run(Report.objects.get(pk=report.pk))  # and a third, after both finished

    assert [o.error for o in outcomes] == [None, None]
    report.refresh_from_db()
    assert (report.status, report.progress) == ("done", 100) and late.file == report.file
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "reports" / str(cast.hospital.pk)
    files = sorted(p.relative_to(settings.PRIVATE_MEDIA_ROOT).as_posix() for p in folder.iterdir())
    assert files == [report.file.name]
    data = (Path(settings.PRIVATE_MEDIA_ROOT) / report.file.name).read_bytes()
    assert data.startswith(b"%PDF") and len(data) == report.size
