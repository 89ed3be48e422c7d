"""Sessions (ASVS V3, V2.2): the configured lifetime is honoured, sign-out ends the session on
the server, a password change signs out every other session, and failed sign-ins lock out."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD

LOGIN = reverse("account_login")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def sign_in(email: str, password: str = PASSWORD) -> Client:
    """A browser that signs in through the real sign-in page."""
    client = Client()
    response = client.post(LOGIN, {"login": email, "password": password})
    assert response.status_code == 302, response.content[:500]
    assert client.get(reverse("home")).status_code == 200
    return client


def is_signed_out(client: Client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_session_lifetime_is_eight_hours_and_ends_at_browser_close():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.ACCOUNT_SESSION_REMEMBER is False


def test_an_expired_session_is_sent_to_sign_in(cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        early, late = sign_in("ciso@zh.test"), sign_in("ciso@zh.test")
        clock.move_to(start + timedelta(seconds=settings.SESSION_COOKIE_AGE - 600))
        assert not is_signed_out(early)  # still within the lifetime
        clock.move_to(start + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
        assert is_signed_out(late)
        assert not Session.objects.filter(
            session_key=late.cookies[settings.SESSION_COOKIE_NAME].value,
            expire_date__gt=timezone.now(),
        ).exists()


def test_sign_out_ends_the_session_on_the_server(cast):
    client = sign_in("ciso@zh.test")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()
    assert client.post(reverse("account_logout")).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the old cookie from elsewhere does not bring the session back.
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = key
    assert is_signed_out(stolen)


def test_a_password_change_signs_out_every_other_session(cast):
    laptop, phone = sign_in("ciso@zh.test"), sign_in("ciso@zh.test")
    other_user = sign_in("inkoop@zh.test")
    new = "An-entirely-new-passphrase-77"
    response = laptop.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert not is_signed_out(laptop)  # the session that changed it stays signed in
    assert is_signed_out(phone)
    assert not is_signed_out(other_user)
    cast.ciso.user.refresh_from_db()
    assert cast.ciso.user.check_password(new)


def test_failed_sign_ins_lock_the_account_out_for_a_while(cast):
    assert "5/5m/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"]
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            r = Client().post(LOGIN, {"login": "ciso@zh.test", "password": "wrong-Password-1"})
            assert r.status_code == 200 and r.context["form"].errors
        # Even the right password, from a fresh browser, is refused while the lockout holds.
        locked = Client()
        locked.cookies["django_language"] = "en"
        r = locked.post(LOGIN, {"login": "ciso@zh.test", "password": PASSWORD})
        assert r.status_code in (200, 429)
        assert "Too many failed login attempts" in r.content.decode()
        assert is_signed_out(locked)
        # Another account is not affected.
        sign_in("inkoop@zh.test")
        clock.move_to(start + timedelta(minutes=6))
        sign_in("ciso@zh.test")
