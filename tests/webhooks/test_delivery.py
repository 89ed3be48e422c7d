"""Signed webhook deliveries against a real HTTP receiver on loopback (eager Celery, SQLite)."""

from __future__ import annotations

import json
import socket
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from portal.core import events
from portal.core.notifications.models import Notification
from portal.core.webhooks import audience, services, signing, transport
from portal.core.webhooks.models import Delivery, Endpoint
from questionnaires import assessments as svc
from tests.access import assessment_at

from .receiver import Receiver, verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
def loopback_allowed(settings):
    settings.DEBUG = False
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1", "hooks.internal"]
    return settings


def _endpoint(membership, url: str, events_: list[str]) -> tuple[Endpoint, str]:
    return services.webhook_create(
        organisation=membership.organisation, url=url, events=events_, actor=membership.user
    )


def _complete(cast):
    world = assessment_at(cast, "in_review")
    return svc.assessment_complete(assessment=world["assessment"], actor=cast.ciso.user)


def test_completed_assessment_reaches_the_care_endpoint_signed(cast, receiver, loopback_allowed):
    endpoint, secret = _endpoint(cast.care_admin, receiver.url(), ["assessment.completed"])
    assert secret.startswith("whsec_") and secret not in endpoint.secret_encrypted
    a = _complete(cast)

    [got] = receiver.received
    assert got.path == "/hook"
    assert verify(secret=secret, headers=got.headers, body=got.body)
    assert not verify(secret=signing.new_secret(), headers=got.headers, body=got.body)
    payload = json.loads(got.body)
    assert set(payload) == {"type", "timestamp", "data"}
    assert payload["type"] == "assessment.completed"
    assert payload["data"]["assessment"] == a.pk
    assert payload["data"]["care_organisation"] == cast.hospital.pk
    assert got.headers["webhook-id"].startswith("evt_")
    assert abs(int(got.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 60
    [delivery] = Delivery.objects.filter(endpoint=endpoint)
    assert (delivery.state, delivery.status_code, delivery.attempt) == ("succeeded", 200, 1)
    assert (
        delivery.response_excerpt.startswith("answer 200") and len(delivery.response_excerpt) == 500
    )
    assert delivery.message_id == got.headers["webhook-id"]


def test_supplier_endpoint_gets_completion_without_care_internal_fields(
    cast, receiver, loopback_allowed
):
    _endpoint(
        cast.supplier_owner,
        receiver.url(),
        ["assessment.completed", "finding.raised", "assessment.sent"],
    )
    _complete(cast)
    types = sorted(json.loads(r.body)["type"] for r in receiver.received)
    assert types == ["assessment.completed", "assessment.sent", "finding.raised"]
    for r in receiver.received:
        data = json.loads(r.body)["data"]
        assert set(data) <= audience.SUPPLIER_KEYS
        assert data["supplier"] == cast.supplier.pk
        assert "relationship" not in data and "actor" not in data
        text = r.body.decode()
        for secret in ("score", "tier", "intake", "residual", "weight", "note"):
            assert secret not in text


def test_no_delivery_for_another_organisations_events(cast, receiver, loopback_allowed):
    _endpoint(cast.other_care_admin, receiver.url("/other-care"), ["assessment.completed"])
    _endpoint(cast.other_supplier_owner, receiver.url("/other-sup"), ["assessment.completed"])
    _complete(cast)
    assert receiver.received == []
    assert not Delivery.objects.exists()


def test_supplier_endpoints_never_get_care_only_events(cast, receiver, loopback_allowed):
    endpoint, _ = _endpoint(cast.supplier_owner, receiver.url(), ["assessment.completed"])
    # Even a row that says so (stored before a rule changed) receives no care-only event.
    Endpoint.objects.filter(pk=endpoint.pk).update(
        events=["relationship.created", "decision.proposed", "relationship.intake_changed"]
    )
    world = _complete(cast)  # relationship.created, decision-free completion
    from suppliers.services import relationship_update

    relationship_update(
        relationship=world.relationship,
        intake={"data": 0, "volume": 0, "continuity": 0, "access": 0, "substitutability": 0},
        actor=cast.procurement.user,
    )
    assert events.subscribers("relationship.intake_changed")[-1].label == "webhooks.fan_out"
    assert receiver.received == []
    assert not Delivery.objects.exists()
    # English whatever language an earlier test in this worker left active
    with translation.override("en"), pytest.raises(Exception, match="cannot subscribe"):
        services.webhook_update(endpoint=endpoint, events=["decision.proposed"], actor=None)


def test_every_defined_event_has_an_audience_row_and_suppliers_get_no_care_only_event():
    names = {e.name for e in events.event_types()}
    assert names == set(audience.AUDIENCE)
    for name in ("decision.proposed", "decision.decided", "decision.expired"):
        assert audience.SUPPLIER not in audience.parties(name)
    assert audience.SUPPLIER not in audience.parties("relationship.intake_changed")
    assert audience.parties("no.such.event") == frozenset()
    for key in ("relationship", "actor"):
        assert key not in audience.SUPPLIER_KEYS


def test_a_500_is_logged_and_retried_on_the_schedule_until_it_succeeds(cast, loopback_allowed):
    receiver = Receiver(statuses=[500, 503, 200]).start()
    try:
        endpoint, secret = _endpoint(cast.care_admin, receiver.url(), ["assessment.completed"])
        _complete(cast)
        first = Delivery.objects.get(endpoint=endpoint, attempt=1)
        assert (first.state, first.status_code, first.error) == ("failed", 500, "HTTP 500")
        assert first.response_excerpt.startswith("answer 500")
        assert first.next_attempt_at is not None
        second = Delivery.objects.get(endpoint=endpoint, attempt=2)
        assert second.state == "pending" and second.due_at == first.next_attempt_at
        assert services.deliveries_send_due() == 0  # not due yet
        with time_machine.travel(second.due_at + timedelta(seconds=1)):
            assert services.deliveries_send_due() == 1
        second.refresh_from_db()
        assert (second.state, second.status_code) == ("failed", 503)
        third = Delivery.objects.get(endpoint=endpoint, attempt=3)
        assert third.due_at - second.attempted_at == services.RETRY_DELAYS[1]
        with time_machine.travel(third.due_at + timedelta(seconds=1)):
            services.deliveries_send_due()
        third.refresh_from_db()
        assert (third.state, third.status_code) == ("succeeded", 200)
        assert len(receiver.received) == 3
        assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
        assert all(verify(secret=secret, headers=r.headers, body=r.body) for r in receiver.received)
        endpoint.refresh_from_db()
        assert endpoint.failing_since is None and endpoint.is_active
    finally:
        receiver.stop()


def test_failing_for_a_day_switches_the_endpoint_off_and_tells_the_administrators(
    cast, loopback_allowed
):
    receiver = Receiver(statuses=[500]).start()
    try:
        endpoint, _ = _endpoint(cast.care_admin, receiver.url(), ["assessment.completed"])
        _complete(cast)
        start = timezone.now()
        for _attempt in range(services.MAX_ATTEMPTS - 1):
            pending = Delivery.objects.get(endpoint=endpoint, state="pending")
            with time_machine.travel(pending.due_at + timedelta(seconds=1)):
                services.deliveries_send_due()
        attempts = Delivery.objects.filter(endpoint=endpoint).order_by("attempt")
        assert [d.attempt for d in attempts] == list(range(1, services.MAX_ATTEMPTS + 1))
        assert attempts.last().attempted_at - start > timedelta(hours=24)
        assert not attempts.filter(state="pending").exists()
        endpoint.refresh_from_db()
        assert not endpoint.is_active and endpoint.disabled_at is not None
        [note] = Notification.objects.filter(kind="webhook.disabled")
        assert note.user == cast.care_admin.user and note.organisation == cast.hospital
        # switched off: the next event is not delivered
        later = {
            "id": "evt_later",
            "type": "assessment.completed",
            "timestamp": timezone.now().isoformat(),
            "data": {"care_organisation": cast.hospital.pk, "supplier": cast.supplier.pk},
        }
        assert services.event_fan_out(later) == []
        assert Delivery.objects.filter(endpoint=endpoint).count() == services.MAX_ATTEMPTS
    finally:
        receiver.stop()


def test_a_redirect_is_a_failure_and_is_not_followed(cast, loopback_allowed):
    target = Receiver().start()
    redirect = Receiver(statuses=[307], location=target.url("/elsewhere")).start()
    try:
        endpoint, _ = _endpoint(cast.care_admin, redirect.url(), ["assessment.completed"])
        _complete(cast)
        first = Delivery.objects.get(endpoint=endpoint, attempt=1)
        assert (first.state, first.status_code) == ("failed", 307)
        assert first.error == "redirect not followed"
        assert len(redirect.received) == 1 and target.received == []
    finally:
        target.stop()
        redirect.stop()


UNSPECIFIED = "0.0.0.0"  # noqa: S104 - an address a host name must not resolve to


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", UNSPECIFIED]
)
def test_production_refuses_hosts_that_resolve_to_private_addresses(
    cast, settings, monkeypatch, address
):
    settings.DEBUG = False
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = []
    connects: list = []
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, port, **kw: [(2, 1, 6, "", (address, port))]
    )
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connects.append(a))
    endpoint, _ = _endpoint(
        cast.care_admin, "https://hooks.example.com/x", ["assessment.completed"]
    )
    _complete(cast)
    first = Delivery.objects.get(endpoint=endpoint, attempt=1)
    assert first.state == "failed" and first.error.startswith("refused:")
    assert address in first.error and first.status_code is None
    assert connects == []


def test_dns_rebinding_cannot_switch_the_checked_address(cast, receiver, settings, monkeypatch):
    """The name resolves to an allowed address once, then to a private one: the connection goes
    to the address that was checked, never resolved again. (Loopback stands in for a public
    address here: DEBUG allows it, and nothing else private.)"""
    settings.DEBUG = True
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = []
    answers = iter(["127.0.0.1", "10.0.0.1"])
    lookups: list[str] = []
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "hooks.internal":
            address = next(answers)
            lookups.append(address)
            return [(2, 1, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    endpoint, secret = _endpoint(
        cast.care_admin, receiver.url(host="hooks.internal"), ["assessment.completed"]
    )
    _complete(cast)
    assert lookups == ["127.0.0.1"]  # resolved once, by the check
    [got] = receiver.received
    assert got.headers["host"] == f"hooks.internal:{receiver.port}"
    assert verify(secret=secret, headers=got.headers, body=got.body)
    # The rebinding answer on the next attempt is refused before connecting.
    services.delivery_redeliver(delivery=Delivery.objects.get(endpoint=endpoint), actor=None)
    refused = Delivery.objects.filter(endpoint=endpoint).first()
    assert refused.state == "failed" and "10.0.0.1" in refused.error
    assert len(receiver.received) == 1


def test_debug_allows_loopback_and_production_refuses_it(settings):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = []
    settings.DEBUG = True
    assert transport.resolve("127.0.0.1", 80) == "127.0.0.1"
    with pytest.raises(transport.Refused):
        transport.resolve("10.0.0.8", 80)
    settings.DEBUG = False
    with pytest.raises(transport.Refused):
        transport.resolve("127.0.0.1", 80)


def test_ping_and_redelivery_send_one_signed_attempt_each(cast, receiver, loopback_allowed):
    endpoint, secret = _endpoint(cast.supplier_owner, receiver.url(), ["assessment.sent"])
    ping = services.webhook_ping(endpoint=endpoint, actor=cast.supplier_owner.user)
    ping.refresh_from_db()
    assert (ping.state, ping.status_code, ping.event_type) == ("succeeded", 200, "webhook.ping")
    body = json.loads(receiver.received[0].body)
    assert body["type"] == "webhook.ping" and body["data"]["endpoint"] == endpoint.pk
    again = services.delivery_redeliver(delivery=ping, actor=cast.supplier_owner.user)
    again.refresh_from_db()
    assert again.state == "succeeded" and again.manual
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == ping.message_id
    assert first.body == second.body
    assert all(verify(secret=secret, headers=r.headers, body=r.body) for r in receiver.received)


def test_a_delivery_that_already_has_an_outcome_is_not_sent_again(cast, receiver, loopback_allowed):
    endpoint, _ = _endpoint(cast.care_admin, receiver.url(), ["assessment.completed"])
    _complete(cast)
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert services.delivery_attempt(delivery_id=delivery.pk) is None
    assert len(receiver.received) == 1


def test_the_secret_is_stored_encrypted_and_survives_a_key_rotation(settings):
    secret = signing.new_secret()
    token = signing.encrypt(secret)
    assert secret not in token and secret.removeprefix("whsec_") not in token
    assert signing.decrypt(token) == secret
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert signing.decrypt(token) == secret
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(ValueError, match="decrypt"):
        signing.decrypt(token)


def test_an_incident_reaches_each_care_organisation_naming_only_itself():
    data = {
        "incident": 7,
        "supplier": 3,
        "stage": "early_warning",
        "products": [1],
        "detected_at": "2026-12-01T10:00:00+00:00",
        "care_organisations": [11, 12],
        "actor": 99,
    }
    found = audience.recipients("incident.reported", data)
    assert sorted(found) == [("care", 11), ("care", 12), ("supplier", 3)]
    care = audience.data_for("care", data, 12)
    assert care["care_organisation"] == 12 and "care_organisations" not in care
    supplier = audience.data_for("supplier", data, 3)
    assert supplier["care_organisations"] == [11, 12] and "actor" not in supplier
