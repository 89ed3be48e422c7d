"""Assessments and findings carry their relationship's care organisation (DESIGN §16), so a
care organisation's counts and lists read its own rows by the (care_org, status) index instead
of joining every relationship of the installation."""

from __future__ import annotations

from django.core.management import call_command
from django.db.models import F

from contracts.models import ChecklistItem
from portal.core.tenancy import visible_to
from questionnaires.models import Assessment, Finding
from tests.access import _finding


def test_every_row_carries_its_relationships_care_organisation(db):
    call_command("demo")  # every way the demo makes them: services, copies, follow-ups
    assert Assessment.objects.count() > 10 and Finding.objects.count() > 10
    assert not Assessment.objects.exclude(care_org=F("relationship__care_org")).exists()
    assert not Finding.objects.exclude(care_org=F("relationship__care_org")).exists()
    assert ChecklistItem.objects.count() > 10
    assert not ChecklistItem.objects.exclude(care_org=F("relationship__care_org")).exists()


def test_the_care_side_scopes_by_the_carried_column_without_a_join(cast):
    world = _finding(cast)
    for model in (Assessment, Finding, ChecklistItem):
        qs = visible_to(model, cast.ciso)
        sql = str(qs.query)
        assert "care_org_id" in sql and "suppliers_relationship" not in sql, sql
        assert qs.count() >= 1
        assert visible_to(model, cast.other_care_admin).count() == 0
    assert world["finding"].care_org == cast.hospital
