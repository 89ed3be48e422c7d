"""Health endpoints and JSON logs: the hooks monitoring and log shipping use."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client, override_settings

from portal.core import health
from portal.core.logjson import JsonFormatter


def test_liveness_and_readiness(db):
    client = Client()
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert set(r.json()["checks"]) == {"database", "cache", "broker"}
    assert "no-cache" in r["Cache-Control"] or "max-age=0" in r["Cache-Control"]
    assert client.post("/healthz").status_code == 405


def test_readiness_fails_with_the_name_of_the_broken_part(db, monkeypatch, caplog):
    def broken():
        raise ConnectionError("redis://secret@host refused")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    r = Client().get("/readyz")
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "failing" and body["checks"]["cache"] == {"ok": False}
    assert body["checks"]["database"]["ok"] is True
    assert "secret" not in r.content.decode()  # details only in the log
    assert "readiness check cache failed" in caplog.text


@override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_readiness_checks_the_broker_when_tasks_go_to_a_worker(db):
    from portal.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        r = Client().get("/readyz")
    finally:
        app.conf.broker_url = old
    assert r.status_code == 503 and r.json()["checks"]["broker"] == {"ok": False}


def test_json_log_lines():
    record = logging.LogRecord(
        "ketenwacht.x", logging.WARNING, __file__, 1, "Ziekte %s", ("ë",), None
    )
    record.status_code = 503
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "WARNING" and line["message"] == "Ziekte ë"
    assert line["status_code"] == 503 and line["time"].endswith("+00:00")


def test_secret_key_rotation_keeps_signed_links_valid(settings):
    from django.core import signing

    settings.SECRET_KEY = "old-" + "x" * 50
    token = signing.dumps({"invitation": 1})
    settings.SECRET_KEY = "new-" + "y" * 50
    settings.SECRET_KEY_FALLBACKS = ["old-" + "x" * 50]
    assert signing.loads(token) == {"invitation": 1}
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(signing.BadSignature):  # a retired key's tokens are refused
        signing.loads(token)
