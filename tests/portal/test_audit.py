"""The audit log is append-only and scoped per organisation."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from portal.core.audit.models import AuditEvent, AuditLogIsAppendOnly
from portal.core.audit.services import audit_record
from tests.conftest import client_for


@pytest.fixture
def event(cast):
    return audit_record(action="test.done", organisation=cast.hospital, actor=cast.ciso.user)


def test_event_cannot_be_changed(event):
    event.action = "test.changed"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.done"


def test_event_cannot_be_deleted(event):
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    assert AuditEvent.objects.filter(pk=event.pk, action="test.done").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger is PostgreSQL only")
def test_database_refuses_raw_update(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.done"


def test_admin_offers_no_change_or_delete(event, rf, cast):
    model_admin = site._registry[AuditEvent]
    request = rf.get("/")
    request.user = cast.ciso.user
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert not model_admin.has_add_permission(request)


def test_log_page_shows_only_own_organisation(cast, event):
    audit_record(action="test.foreign", organisation=cast.other_care)
    response = client_for(cast.ciso).get(reverse("audit_log"))
    actions = {e.action for e in response.context["page"].object_list}
    assert "test.done" in actions
    assert "test.foreign" not in actions


def test_log_page_filters_by_action(cast, event):
    audit_record(action="other.thing", organisation=cast.hospital)
    response = client_for(cast.ciso).get(reverse("audit_log"), {"action": "test.done"})
    assert [e.action for e in response.context["page"].object_list] == ["test.done"]
