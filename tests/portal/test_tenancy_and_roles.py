"""Organisation switching, member management, role changes and the per-organisation MFA rule."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.urls import reverse

from portal.core.accounts.models import Membership
from portal.core.accounts.services import member_add
from portal.core.audit.models import AuditEvent
from portal.core.permissions import has_perm
from tests.conftest import client_for


def test_remote_ciso_switches_organisation_and_choice_holds(cast):
    second = member_add(organisation=cast.other_care, email=cast.ciso.user.email, role="security")
    client = client_for(cast.ciso)
    assert client.get(reverse("home")).context["membership"] == cast.ciso
    response = client.post(reverse("switch_organisation"), {"membership": second.pk})
    assert response.status_code == 302
    # The choice holds for the rest of the session.
    assert client.get(reverse("home")).context["membership"] == second
    assert client.get(reverse("members")).context["membership"] == second


def test_cannot_switch_into_organisation_without_membership(cast):
    client = client_for(cast.ciso)
    response = client.post(reverse("switch_organisation"), {"membership": cast.other_care_admin.pk})
    assert response.status_code == 404
    assert client.get(reverse("home")).context["membership"] == cast.ciso


def test_inactive_membership_cannot_be_switched_to(cast):
    second = member_add(organisation=cast.other_care, email=cast.ciso.user.email, role="security")
    Membership.objects.filter(pk=second.pk).update(is_active=False)
    response = client_for(cast.ciso).post(reverse("switch_organisation"), {"membership": second.pk})
    assert response.status_code == 404


def test_members_page_shows_only_own_organisation(cast):
    response = client_for(cast.care_admin).get(reverse("members"))
    emails = {m.user.email for m in response.context["member_list"]}
    assert "ciso@zh.test" in emails
    assert "admin@andere.test" not in emails
    assert "eigenaar@lev.test" not in emails


def test_admin_changes_role_and_it_is_audited(cast):
    client = client_for(cast.care_admin)
    client.post(reverse("member_role", kwargs={"pk": cast.viewer.pk}), {"role": "board"})
    cast.viewer.refresh_from_db()
    assert cast.viewer.role == "board"
    event = AuditEvent.objects.get(action="member.role_changed", object_id=str(cast.viewer.pk))
    assert event.before == {"role": "viewer"} and event.after == {"role": "board"}
    assert event.organisation == cast.hospital


def test_supplier_role_cannot_be_given_in_care_org(cast):
    client_for(cast.care_admin).post(
        reverse("member_role", kwargs={"pk": cast.viewer.pk}), {"role": "owner"}
    )
    cast.viewer.refresh_from_db()
    assert cast.viewer.role == "viewer"


def test_last_admin_cannot_be_removed(cast):
    client = client_for(cast.care_admin)
    other_admin = member_add(organisation=cast.hospital, email="admin2@zh.test", role="admin")
    client_for(other_admin).post(reverse("member_deactivate", kwargs={"pk": cast.care_admin.pk}))
    cast.care_admin.refresh_from_db()
    assert not cast.care_admin.is_active  # allowed: another admin remains
    response = client_for(other_admin).post(
        reverse("member_role", kwargs={"pk": other_admin.pk}), {"role": "viewer"}
    )
    assert response.status_code == 302
    other_admin.refresh_from_db()
    assert other_admin.role == "admin"  # refused: the last admin
    assert client.get(reverse("home")).status_code == 403  # the deactivated admin lost access


def test_deactivation_needs_confirmation(cast):
    client = client_for(cast.care_admin)
    response = client.get(reverse("member_deactivate", kwargs={"pk": cast.viewer.pk}))
    assert response.status_code == 200
    cast.viewer.refresh_from_db()
    assert cast.viewer.is_active  # a GET only asks
    client.post(reverse("member_deactivate", kwargs={"pk": cast.viewer.pk}))
    cast.viewer.refresh_from_db()
    assert not cast.viewer.is_active


def test_role_predicates(cast):
    assert has_perm(cast.ciso, "assessment.review")
    assert not has_perm(cast.procurement, "assessment.review")
    assert has_perm(cast.board, "decision.approve")
    assert not has_perm(cast.ciso, "decision.approve")
    assert has_perm(cast.supplier_owner, "supplier.submit")
    assert not has_perm(cast.respondent, "supplier.submit")
    assert not has_perm(cast.supplier_owner, "care.read")
    assert not has_perm(None, "care.read")


def test_mfa_required_sends_member_to_setup_first(cast):
    cast.hospital.mfa_required = True
    cast.hospital.save()
    client = client_for(cast.procurement)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The API refuses as well, rather than redirecting.
    assert client.get(reverse("api-me")).status_code == 403
    # Other organisations' members are not affected.
    assert client_for(cast.other_care_admin).get(reverse("home")).status_code == 200


def test_customer_requiring_mfa_applies_to_its_suppliers_people(cast):
    from suppliers.models import SupplierLink

    SupplierLink.objects.create(care_org=cast.hospital, supplier=cast.supplier)
    cast.hospital.mfa_required = True
    cast.hospital.save()
    response = client_for(cast.respondent).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    # A supplier without that customer is not affected; with a TOTP the respondent passes.
    assert client_for(cast.other_supplier_owner).get(reverse("home")).status_code == 200
    Authenticator.objects.create(user=cast.respondent.user, type=Authenticator.Type.TOTP, data={})
    assert client_for(cast.respondent).get(reverse("home")).status_code == 200


def test_member_with_totp_passes_mfa_requirement(cast):
    cast.hospital.mfa_required = True
    cast.hospital.save()
    Authenticator.objects.create(user=cast.procurement.user, type=Authenticator.Type.TOTP, data={})
    assert client_for(cast.procurement).get(reverse("home")).status_code == 200


def test_admin_turns_on_mfa_requirement_audited(cast):
    client = client_for(cast.care_admin)
    client.post(reverse("user_settings"), {"action": "organisation", "mfa_required": "on"})
    cast.hospital.refresh_from_db()
    assert cast.hospital.mfa_required
    assert AuditEvent.objects.filter(action="organisation.settings_changed").exists()


def test_only_admin_changes_organisation_settings(cast):
    response = client_for(cast.ciso).post(
        reverse("user_settings"), {"action": "organisation", "mfa_required": "on"}
    )
    assert response.status_code == 403
    cast.hospital.refresh_from_db()
    assert not cast.hospital.mfa_required


def test_each_role_lands_on_its_own_home(cast):
    expected = {
        "care_admin": "dashboards/home_care_admin.html",
        "ciso": "dashboards/home_security.html",
        "procurement": "dashboards/home_procurement.html",
        "board": "dashboards/home_board.html",
        "viewer": "dashboards/home_viewer.html",
        "supplier_owner": "dashboards/home_supplier.html",
        "respondent": "dashboards/home_supplier.html",
    }
    for who, template in expected.items():
        response = client_for(cast.membership(who)).get(reverse("home"))
        assert template in [t.name for t in response.templates], who


def test_dutch_by_default_and_language_switch_to_english(cast):
    client = client_for(cast.ciso, lang=None)
    assert "Goed u te zien" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Good to see you" in client.get(reverse("home")).content.decode()


def test_a_greeting_uses_the_first_name_not_the_title(cast):
    user = cast.ciso.user
    for name, first in (
        ("Dr. Pieter Bakker", "Pieter"),
        ("mr. drs. Anna de Vries", "Anna"),
        ("Prof Jan Smit", "Jan"),
        ("Sanne", "Sanne"),
        ("", user.email),
    ):
        user.name = name
        assert user.get_short_name() == first, name
    user.name = "Dr. Pieter Bakker"
    user.save()
    page = client_for(cast.ciso, lang=None).get(reverse("home")).content.decode()
    assert "Goed u te zien, Pieter" in page
