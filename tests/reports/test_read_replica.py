"""Reports read from the PostgreSQL read replica when there is one (DESIGN §16).

The "replica" alias of the test settings mirrors the test database (TEST MIRROR), so both
aliases see the same rows; REPORTS_READ_DATABASE="replica" is what DATABASE_REPLICA_URL sets."""

from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

from portal.core.dbrouter import ReportReplicaRouter, reading_for_reports
from portal.top.reports.models import Report
from portal.top.reports.services import report_run
from questionnaires.models import Assessment
from suppliers.models import Relationship
from tests.access import _finding


@pytest.fixture
def replica(settings):
    settings.REPORTS_READ_DATABASE = "replica"
    return "replica"


def test_the_router_reads_reports_from_the_replica_and_writes_to_default(replica):
    router = ReportReplicaRouter()
    assert router.db_for_read(Report) == DEFAULT_DB_ALIAS  # outside report building
    assert Relationship.objects.all().db == DEFAULT_DB_ALIAS
    with reading_for_reports():
        assert router.db_for_read(Report) == replica
        assert Relationship.objects.all().db == replica
        assert Assessment.objects.filter(pk=1).db == replica
        assert router.db_for_write(Report) == DEFAULT_DB_ALIAS  # writes never go to a replica
    assert router.db_for_read(Report) == DEFAULT_DB_ALIAS  # and back after the block
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "reports") is True
    assert router.allow_migrate(replica, "reports") is False


def test_without_a_replica_everything_stays_on_default(settings):
    settings.REPORTS_READ_DATABASE = None
    with reading_for_reports():
        assert Relationship.objects.all().db == DEFAULT_DB_ALIAS
        assert ReportReplicaRouter().db_for_read(Report) == DEFAULT_DB_ALIAS


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, "replica"])
@pytest.mark.parametrize("kind", ["assessment", "clauses", "exit-note", "portfolio"])
def test_building_a_report_reads_from_the_replica_and_writes_only_to_default(cast, replica, kind):
    world = _finding(cast)
    params = {
        "assessment": {"assessment": world["assessment"].pk},
        "clauses": {"relationship": world["relationship"].pk},
        "exit-note": {"relationship": world["relationship"].pk},
        "portfolio": {},
    }[kind]
    report = Report.objects.create(
        organisation=cast.hospital, user=cast.ciso.user, kind=kind, params=params, title=kind
    )

    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_default,
        CaptureQueriesContext(connections[replica]) as on_replica,
    ):
        done = report_run(report)

    assert done.status == "done" and done.size > 0, done.error
    read = [q["sql"] for q in on_replica.captured_queries]
    assert read and all(q.lstrip().upper().startswith("SELECT") for q in read)
    written = [q["sql"].lstrip().upper() for q in on_default.captured_queries]
    assert any(q.startswith("UPDATE") for q in written)  # progress and the finished report
    # What the report is about is checked on the primary, the building reads the replica.
    assert len(read) > 1
