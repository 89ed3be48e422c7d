"""The webhooks API and pages: the secret shown once, the event list per side, the log."""

from __future__ import annotations

import json

import pytest

from portal.core.webhooks import signing
from portal.core.webhooks.models import Delivery, Endpoint
from tests.conftest import api_client_for, client_for


def _post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_api_creates_an_endpoint_and_shows_the_secret_once(cast):
    client = api_client_for(cast.care_admin)
    r = _post(
        client,
        "/api/v1/webhooks/",
        {"url": "https://siem.zh.test/in", "events": ["assessment.completed", "decision.proposed"]},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["secret"].startswith("whsec_")
    endpoint = Endpoint.objects.get(pk=body["id"])
    assert signing.decrypt(endpoint.secret_encrypted) == body["secret"]
    assert body["secret"] not in endpoint.secret_encrypted
    listed = client.get("/api/v1/webhooks/").json()
    assert listed["count"] == 1 and "secret" not in listed["results"][0]
    one = client.get(f"/api/v1/webhooks/{endpoint.pk}/").json()
    assert "secret" not in one and one["events"] == ["assessment.completed", "decision.proposed"]


def test_a_supplier_cannot_subscribe_to_care_only_events(cast):
    client = api_client_for(cast.supplier_owner)
    r = _post(
        client, "/api/v1/webhooks/", {"url": "https://x.test/", "events": ["decision.proposed"]}
    )
    assert r.status_code == 400
    assert "events" in r.json()["errors"]
    assert not Endpoint.objects.exists()


def test_api_patch_ping_log_and_redeliver(cast, settings):
    settings.DEBUG = False  # loopback refused: the attempt fails at once, without a connection
    client = api_client_for(cast.care_admin)
    created = _post(
        client, "/api/v1/webhooks/", {"url": "http://127.0.0.1:9/", "events": ["finding.raised"]}
    ).json()
    pk = created["id"]
    r = client.patch(
        f"/api/v1/webhooks/{pk}/",
        data=json.dumps({"events": ["finding.overdue"], "is_active": False}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["events"] == ["finding.overdue"]
    assert r.json()["is_active"] is False and r.json()["disabled_at"]
    ping = client.post(f"/api/v1/webhooks/{pk}/ping/")
    assert ping.status_code == 202
    assert ping.json()["event"] == "webhook.ping" and ping.json()["attempt"] == 1
    log = client.get(f"/api/v1/webhooks/{pk}/deliveries/").json()
    assert log["count"] == 1
    assert {"id", "event", "attempt", "status_code", "delivered_at", "next_attempt_at"} <= set(
        log["results"][0]
    )
    again = client.post(f"/api/v1/webhooks/{pk}/deliveries/{log['results'][0]['id']}/redeliver/")
    assert again.status_code == 202
    assert again.json()["webhook_id"] == ping.json()["webhook_id"]
    assert Delivery.objects.filter(endpoint_id=pk).count() == 2
    assert client.delete(f"/api/v1/webhooks/{pk}/").status_code == 204
    assert not Endpoint.objects.exists()


def test_the_page_shows_the_secret_once_and_deletes_after_confirmation(cast):
    client = client_for(cast.supplier_owner)
    r = client.post(
        "/org/webhooks/",
        {"url": "https://erp.lev.test/hook", "events": ["assessment.sent"], "description": "ERP"},
    )
    assert r.status_code == 200
    endpoint = Endpoint.objects.get()
    secret = signing.decrypt(endpoint.secret_encrypted)
    assert secret in r.content.decode()
    assert secret not in client.get("/org/webhooks/").content.decode()
    page = client.get(f"/org/webhooks/{endpoint.pk}/").content.decode()
    assert secret not in page and "decision.proposed" not in page
    assert client.get(f"/org/webhooks/{endpoint.pk}/delete/").status_code == 200
    assert Endpoint.objects.exists()  # the confirmation page changes nothing
    client.post(f"/org/webhooks/{endpoint.pk}/delete/")
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_pages_speak_the_users_language(cast, lang):
    client = client_for(cast.care_admin, lang=lang)
    text = client.get("/org/webhooks/").content.decode()
    assert ("Uw organisatie heeft nog geen webhook-eindpunten" in text) == (lang == "nl")
    assert ("Your organisation has no webhook endpoints yet" in text) == (lang == "en")
