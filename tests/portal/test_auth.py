"""Sign-in: e-mail and password, login by e-mail code, rate limiting, audit of sign-ins."""

from __future__ import annotations

import re

from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from portal.core.audit.models import AuditEvent
from tests.conftest import PASSWORD


def test_login_with_email_and_password_is_audited(cast):
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": "CISO@zh.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", organisation=cast.hospital).count() == 1


def test_failed_login_is_audited(cast):
    cache.clear()
    Client().post(
        reverse("account_login"), {"login": "ciso@zh.test", "password": "wrong-password-1"}
    )
    assert (
        AuditEvent.objects.filter(action="auth.login_failed", organisation=cast.hospital).count()
        == 1
    )


def test_login_rate_limit_blocks_after_five_failures(cast):
    cache.clear()
    client = Client()
    for _ in range(5):
        client.post(
            reverse("account_login"), {"login": "ciso@zh.test", "password": "wrong-password-1"}
        )
    # Even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"), {"login": "ciso@zh.test", "password": PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert client.get(reverse("home")).status_code == 302
    cache.clear()


def test_login_by_email_code(cast):
    cache.clear()
    client = Client()
    response = client.post(reverse("account_request_login_code"), {"email": "ciso@zh.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    codes = re.findall(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})?)\s*$", mail.outbox[0].body, re.M)
    assert codes, mail.outbox[0].body
    code = codes[0]
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_password_reset_mail_is_sent(cast):
    cache.clear()
    response = Client().post(reverse("account_reset_password"), {"email": "ciso@zh.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "ciso@zh.test" in mail.outbox[0].to
