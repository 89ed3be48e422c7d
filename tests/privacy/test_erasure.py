"""AVG erasure of a supplier person: pseudonymised everywhere, their work kept (DESIGN §12)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from portal.core.accounts.models import ApiToken, Invitation, Membership, User
from portal.core.accounts.services import api_token_create, invitation_create, member_add
from portal.core.audit.models import AuditEvent
from portal.core.audit.services import audit_record
from portal.core.notifications.models import Notification
from portal.top.privacy.erasure import person_erase
from questionnaires.models import Answer, AnswerMessage, Assignment, Evidence
from suppliers.models import SupplierLink
from tests.access import PDF, assessment_at
from tests.conftest import PASSWORD, client_for

OLD_EMAIL = "respondent@lev.test"
OLD_NAME = "Fatima Yilmaz-Oude"


@pytest.fixture
def respondent_world(cast, rf):
    """The respondent has answered, uploaded, written, been assigned work, is the customer's
    contact address, has a pending invitation elsewhere, and appears in the audit log with an
    IP address and in a colleague's notification."""
    from questionnaires import assessments as svc
    from questionnaires.assignments import assignment_set

    user = cast.respondent.user
    User.objects.filter(pk=user.pk).update(name=OLD_NAME)
    user.refresh_from_db()
    world = assessment_at(cast, "sent")
    a = world["assessment"]
    a.template.questions.update(evidence="optional")
    assignment_set(assessment=a, actor=cast.supplier_owner.user, assignee=user, question="A-01")
    svc.answer_save(assessment=a, code="A-01", value="yes", actor=user)
    svc.evidence_add(assessment=a, code="A-01", name="beleid.pdf", data=PDF, actor=user)
    svc.answer_message_add(
        assessment=a, code="A-01", body="Zie het beleid.", membership=cast.respondent
    )
    SupplierLink.objects.filter(supplier=cast.supplier).update(contact_email=OLD_EMAIL)
    invitation_create(
        organisation=cast.other_supplier, email=OLD_EMAIL, role="respondent", actor=None
    )
    api_token_create(membership=cast.respondent, name="koppeling")
    request = rf.get("/", REMOTE_ADDR="192.0.2.44")
    audit_record(action="auth.login", organisation=cast.supplier, actor=user, request=request)
    Notification.objects.create(
        user=cast.supplier_owner.user,
        organisation=cast.supplier,
        subject=f"{OLD_NAME} heeft een vraag beantwoord",
        body=f"Vragen? Mail {OLD_EMAIL}.",
    )
    return {**world, "user": user}


def _traces_left(*needles: str) -> list[str]:
    """Every model whose rows still contain one of `needles` (case-insensitive)."""
    found = []
    for model in apps.get_models():
        text = serializers.serialize("json", model._default_manager.all()).lower()
        found += [f"{model._meta.label}: {n}" for n in needles if n.lower() in text]
    return found


def _erase_page(cast, target):
    return reverse("member_erase", args=[target.pk])


def test_owner_erases_a_member_everywhere_and_keeps_the_work(cast, respondent_world):
    user = respondent_world["user"]
    session = client_for(cast.respondent)
    assert session.get(reverse("home")).status_code == 200
    before = _traces_left(OLD_EMAIL, OLD_NAME)
    for table in ("User", "AuditEvent", "Invitation", "SupplierLink", "Notification"):
        assert any(t.split(".")[1].startswith(table + ":") for t in before), (table, before)

    owner = client_for(cast.supplier_owner)
    url = _erase_page(cast, cast.respondent)
    page = owner.get(url)
    assert page.status_code == 200 and OLD_EMAIL.encode() in page.content
    response = owner.post(url, {"confirmation": OLD_EMAIL.upper()})
    assert response.status_code == 302

    user.refresh_from_db()
    assert user.email.endswith("@erased.invalid") and user.name.startswith("pseudonym-")
    assert not user.is_active and not user.has_usable_password()
    assert not Membership.objects.filter(user=user, is_active=True).exists()
    assert not ApiToken.objects.filter(membership__user=user, revoked_at__isnull=True).exists()
    assert not Invitation.objects.filter(revoked_at__isnull=True, accepted_at__isnull=True)
    # Name and e-mail address are gone from every table of the database.
    assert _traces_left(OLD_EMAIL, OLD_NAME) == []
    assert SupplierLink.objects.filter(contact_email=user.email).count() == 1
    assert Invitation.objects.get(organisation=cast.other_supplier).email == user.email
    assert not AuditEvent.objects.filter(actor=user).exclude(ip_address=None).exists()
    # The business records stay, attributed to the pseudonym.
    answer = Answer.objects.get(assessment=respondent_world["assessment"])
    assert (answer.value, answer.answered_by) == ("yes", user)
    assert Evidence.objects.get(answer=answer).uploaded_by == user
    assert AnswerMessage.objects.get(answer=answer).author == user
    assert Assignment.objects.get(assessment=respondent_world["assessment"]).assignee == user
    detail = client_for(cast.ciso).get(
        reverse("assessment_detail", args=[respondent_world["assessment"].pk])
    )
    assert user.name.encode() in detail.content
    # Who erased whom and when, without the erased address.
    event = AuditEvent.objects.get(action="person.erased")
    assert (event.organisation, event.actor, event.object_id) == (
        cast.supplier,
        cast.supplier_owner.user,
        str(user.pk),
    )
    assert event.after["pseudonym"] == user.name and event.after["supplier_contacts"] == 1
    # The erased person is signed out and cannot sign in again.
    assert session.get(reverse("home")).status_code == 302
    assert not Client().login(email=OLD_EMAIL, password=PASSWORD)
    log = owner.get(reverse("audit_log")).content
    assert b"person.erased" in log and OLD_EMAIL.encode() not in log


def test_wrong_confirmation_changes_nothing(cast, respondent_world):
    response = client_for(cast.supplier_owner).post(
        _erase_page(cast, cast.respondent), {"confirmation": "iemand@anders.test"}
    )
    assert response.status_code == 200
    assert b"not the person" in response.content
    user = User.objects.get(pk=respondent_world["user"].pk)
    assert (user.email, user.name, user.is_active) == (OLD_EMAIL, OLD_NAME, True)
    assert not AuditEvent.objects.filter(action="person.erased").exists()


def test_erasure_is_for_the_owner_of_the_persons_own_supplier(cast):
    url = _erase_page(cast, cast.respondent)
    assert client_for(cast.other_supplier_owner).get(url).status_code == 404
    assert (
        client_for(cast.other_supplier_owner).post(url, {"confirmation": OLD_EMAIL}).status_code
        == 404
    )
    assert client_for(cast.respondent).get(url).status_code == 403
    assert client_for(cast.care_admin).get(url).status_code == 403
    viewer = _erase_page(cast, cast.viewer)  # a member of a care organisation
    assert client_for(cast.supplier_owner).get(viewer).status_code == 404
    assert User.objects.get(email=OLD_EMAIL).is_active


def test_person_in_another_organisation_is_not_erased_from_the_page(cast):
    member_add(organisation=cast.other_supplier, email=OLD_EMAIL, role="respondent")
    client = client_for(cast.supplier_owner)
    page = client.get(_erase_page(cast, cast.respondent))
    assert b"also works for another organisation" in page.content
    client.post(_erase_page(cast, cast.respondent), {"confirmation": OLD_EMAIL})
    assert User.objects.get(email=OLD_EMAIL).is_active


def test_last_owner_is_never_erased(cast):
    with pytest.raises(CommandError, match="at least one administrator or owner"):
        call_command("erase_person", "eigenaar@lev.test", "--confirm")
    assert User.objects.get(email="eigenaar@lev.test").is_active
    # With a second owner the first can go.
    member_add(organisation=cast.supplier, email="tweede@lev.test", role="owner")
    call_command("erase_person", "eigenaar@lev.test", "--confirm")
    assert not User.objects.filter(email="eigenaar@lev.test").exists()


def test_owner_cannot_erase_themself(cast):
    from django.utils import translation

    member_add(organisation=cast.supplier, email="tweede@lev.test", role="owner")
    # The message is translated lazily: read it in English whatever an earlier test activated.
    with translation.override("en"), pytest.raises(ValidationError, match="cannot erase yourself"):
        person_erase(
            user=cast.supplier_owner.user,
            confirmation="eigenaar@lev.test",
            actor=cast.supplier_owner.user,
            organisation=cast.supplier,
        )
    assert cast.supplier_owner.user.is_active


def test_erase_command(cast, respondent_world, capsys):
    with pytest.raises(CommandError, match="--confirm"):
        call_command("erase_person", OLD_EMAIL)
    with pytest.raises(CommandError, match="No account"):
        call_command("erase_person", "niemand@lev.test", "--confirm")
    assert User.objects.get(email=OLD_EMAIL).is_active
    call_command("erase_person", OLD_EMAIL, "--confirm")
    assert "pseudonym-" in capsys.readouterr().out
    assert _traces_left(OLD_EMAIL, OLD_NAME) == []
    event = AuditEvent.objects.get(action="person.erased", organisation=cast.supplier)
    assert event.actor is None and event.actor_label.startswith("operator")
    with pytest.raises(CommandError, match="already been erased"):
        user = User.objects.get(pk=respondent_world["user"].pk)
        call_command("erase_person", user.email, "--confirm")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger is PostgreSQL only")
def test_database_allows_only_the_erasure_rewrite(cast):
    event = audit_record(action="test.done", organisation=cast.supplier, actor_label=OLD_EMAIL)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('ketenwacht.audit_erasure', 'on', true)")
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('ketenwacht.audit_erasure', 'on', true)")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_label = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).actor_label == OLD_EMAIL
