"""Invitations: single use, expiring, clear pages, accounts only through them."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.core.accounts.models import Invitation, Membership, User
from portal.core.accounts.services import invitation_create
from portal.core.audit.models import AuditEvent
from tests.conftest import client_for


def _invite(cast, email="nieuw@zh.test", role="procurement"):
    return invitation_create(
        organisation=cast.hospital, email=email, role=role, actor=cast.care_admin.user
    )


def test_admin_invites_colleague_by_mail(cast, django_capture_on_commit_callbacks):
    client = client_for(cast.care_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members"), {"email": "Nieuw@ZH.test", "role": "board"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nieuw@zh.test")
    assert invitation.role == "board"
    assert len(mail.outbox) == 1
    assert "/invite/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(
        action="invitation.created", organisation=cast.hospital
    ).exists()


def test_invitation_creates_account_and_membership(cast):
    _inv, token = _invite(cast)
    client = Client()
    url = reverse("invitation_accept", kwargs={"token": token})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Nina Nieuw",
            "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@zh.test")
    assert user.name == "Nina Nieuw"
    assert Membership.objects.get(user=user, organisation=cast.hospital).role == "procurement"
    # The session is signed in and lands on the home page.
    assert client.get(reverse("home")).status_code == 200


def test_invitation_link_is_single_use(cast):
    _inv, token = _invite(cast)
    url = reverse("invitation_accept", kwargs={"token": token})
    data = {
        "name": "A",
        "password1": "een-lang-wachtwoord-42",
        "password2": "een-lang-wachtwoord-42",
    }
    assert Client().post(url, data).status_code == 302
    again = Client().get(url)
    assert again.status_code == 410
    assert b"already been used" in again.content or b"al gebruikt" in again.content
    assert User.objects.filter(email="nieuw@zh.test").count() == 1


def test_invitation_expires_after_14_days(cast):
    _inv, token = _invite(cast)
    url = reverse("invitation_accept", kwargs={"token": token})
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        response = Client().post(
            url,
            {
                "name": "Te laat",
                "password1": "een-lang-wachtwoord-42",
                "password2": "een-lang-wachtwoord-42",
            },
        )
    assert response.status_code == 410
    assert not User.objects.filter(email="nieuw@zh.test").exists()


def test_unknown_invitation_link_is_404(db):
    assert (
        Client().get(reverse("invitation_accept", kwargs={"token": "nonsense"})).status_code == 404
    )


def test_withdrawn_invitation_cannot_be_used(cast):
    inv, token = _invite(cast)
    client_for(cast.care_admin).post(reverse("invitation_revoke", kwargs={"pk": inv.pk}))
    assert Client().get(reverse("invitation_accept", kwargs={"token": token})).status_code == 410


def test_weak_password_is_refused_and_nothing_is_created(cast):
    _inv, token = _invite(cast)
    url = reverse("invitation_accept", kwargs={"token": token})
    response = Client().post(url, {"name": "A", "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="nieuw@zh.test").exists()
    assert Invitation.objects.get(token_hash=Invitation.hash_token(token)).accepted_at is None


def test_existing_user_joins_second_organisation(cast):
    inv, token = invitation_create(
        organisation=cast.other_care, email=cast.ciso.user.email, role="security", actor=None
    )
    client = client_for(cast.ciso)
    response = client.post(reverse("invitation_accept", kwargs={"token": token}))
    assert response.status_code == 302
    assert Membership.objects.filter(user=cast.ciso.user, organisation=cast.other_care).exists()


def test_invitation_for_someone_else_is_refused(cast):
    _inv, token = _invite(cast)
    response = client_for(cast.ciso).post(reverse("invitation_accept", kwargs={"token": token}))
    assert response.status_code == 403
    assert not Membership.objects.filter(
        organisation=cast.hospital, user__email="nieuw@zh.test"
    ).exists()


def test_open_signup_is_closed(db):
    response = Client().post(
        reverse("account_signup"), {"email": "x@y.test", "password1": "een-lang-wachtwoord-42"}
    )
    assert not User.objects.filter(email="x@y.test").exists()
    assert response.status_code == 200
    assert b"signup" in response.content.lower() or b"aanmeld" in response.content.lower()


def test_invitation_role_must_fit_organisation_kind(cast):
    client = client_for(cast.care_admin)
    response = client.post(reverse("members"), {"email": "x@zh.test", "role": "owner"})
    assert response.status_code == 200
    assert not Invitation.objects.filter(email="x@zh.test").exists()
