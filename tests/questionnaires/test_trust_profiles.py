"""Trust profiles (DESIGN §14, API.md "Sharing across the sector"): publishing, the directory,
access requests, reading once granted, revoking, and starting an assessment from a profile."""

from __future__ import annotations

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from portal.core.audit.models import AuditEvent
from portal.core.notifications.models import Notification
from questionnaires import assessments as svc
from questionnaires.models import Answer, Assessment, LibraryAnswer
from questionnaires.sharing.models import ProfileAccess, ProfileLogEntry, TrustProfile
from tests.access import _trust_profile
from tests.conftest import api_client_for, client_for

API = "/api/v1"


def _post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def test_supplier_publishes_a_profile_and_the_directory_shows_it(cast):
    world = _trust_profile(cast, status=None)
    TrustProfile.objects.all().delete()
    owner = api_client_for(cast.supplier_owner)
    r = _post(
        owner, f"{API}/trust-profiles/", {"product": world["product"].pk, "visibility": "summary"}
    )
    assert r.status_code == 201, r.content
    assert TrustProfile.objects.get().visibility == "summary"
    rows = api_client_for(cast.other_care_admin).get(f"{API}/trust-profiles/?q=12345678").json()
    assert [(p["product"]["name"], p["access"]) for p in rows] == [("EPD Pro", "none")]
    assert (
        api_client_for(cast.other_care_admin).get(f"{API}/trust-profiles/?q=parkeren").json() == []
    )


def test_bad_publish_changes_nothing(cast):
    world = _trust_profile(cast, status=None)
    owner = api_client_for(cast.supplier_owner)
    r = _post(owner, f"{API}/trust-profiles/", {"product": world["product"].pk, "visibility": "x"})
    assert r.status_code == 400
    other = api_client_for(cast.other_supplier_owner)
    r = _post(
        other, f"{API}/trust-profiles/", {"product": world["product"].pk, "visibility": "summary"}
    )
    assert r.status_code == 404
    assert TrustProfile.objects.get().visibility == "on_request"


def test_request_grant_read_revoke(cast):
    world = _trust_profile(cast, status=None)
    pk = world["profile"].pk
    care = api_client_for(cast.procurement)
    assert care.get(f"{API}/trust-profiles/{pk}/answers/").status_code == 403
    r = _post(care, f"{API}/trust-profiles/{pk}/request-access/", {"message": "Graag"})
    assert r.json()["status"] == "requested"
    owner = api_client_for(cast.supplier_owner)
    req = owner.get(f"{API}/access-requests/").json()
    assert [(x["care_org"], x["message"]) for x in req] == [("Ziekenhuis Test", "Graag")]
    assert (
        _post(owner, f"{API}/access-requests/{req[0]['id']}/grant/").json()["status"] == "granted"
    )
    answers = care.get(f"{API}/trust-profiles/{pk}/answers/").json()
    assert [(a["code"], a["value"], a["stale"]) for a in answers] == [("A-01", "yes", False)]
    assert list(ProfileLogEntry.objects.values_list("action", "care_org")) == [
        ("viewed", cast.hospital.pk)
    ]
    _post(owner, f"{API}/access-requests/{req[0]['id']}/revoke/")
    assert care.get(f"{API}/trust-profiles/{pk}/answers/").status_code == 403
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "profile.access_requested",
        "profile.access_granted",
        "profile.access_revoked",
    } <= actions


def test_refusing_twice_is_a_conflict_and_another_supplier_cannot_decide(cast):
    world = _trust_profile(cast, status="requested")
    owner = api_client_for(cast.supplier_owner)
    url = f"{API}/access-requests/{world['access'].pk}/deny/"
    assert _post(api_client_for(cast.other_supplier_owner), url).status_code == 404
    assert _post(owner, url).json()["status"] == "denied"
    assert _post(owner, url).status_code == 409
    assert ProfileAccess.objects.get().status == "denied"


def test_private_codes_never_leave_the_supplier(cast):
    world = _trust_profile(cast)
    LibraryAnswer.objects.create(
        supplier=cast.supplier, product=world["product"], code="Z-99", value="geheim"
    )
    world["profile"].answer_visibility = {"Z-99": "private"}
    world["profile"].save()
    answers = api_client_for(cast.ciso).get(f"{API}/trust-profiles/{world['profile'].pk}/answers/")
    assert [a["code"] for a in answers.json()] == ["A-01"]


def test_terms_must_be_accepted_and_are_recorded(cast):
    world = _trust_profile(cast, status=None)
    world["profile"].terms = "Vertrouwelijk"
    world["profile"].save()
    url = f"{API}/trust-profiles/{world['profile'].pk}/request-access/"
    care = api_client_for(cast.procurement)
    assert _post(care, url, {}).status_code == 400
    assert not ProfileAccess.objects.exists()
    assert _post(care, url, {"accept_terms": True}).status_code == 200
    access = ProfileAccess.objects.get()
    assert access.terms_accepted_version == 1 and access.terms_accepted_at is not None
    assert access.requested_by == cast.procurement.user


def test_assessment_from_profile_is_a_frozen_copy_in_review(cast):
    world = _trust_profile(cast)
    LibraryAnswer.objects.filter(code="A-01").update(
        updated_at=timezone.now() - timedelta(days=400)
    )
    data = {
        "relationship": world["relationship"].pk,
        "profile": world["profile"].pk,
        "template": world["template"].pk,
    }
    r = _post(api_client_for(cast.procurement), f"{API}/assessments/from-profile/", data)
    assert r.status_code == 201, r.content
    assessment = Assessment.objects.get(pk=r.json()["id"])
    assert assessment.status == "in_review" and assessment.from_profile == world["profile"]
    assert r.json()["from_profile"] == world["profile"].pk and r.json()["status"] == "in_review"
    answer = Answer.objects.get(assessment=assessment)
    assert answer.value == "yes" and not answer.prefilled
    assert answer.answered_at < timezone.now() - timedelta(days=365)
    # Frozen: the library changing later leaves the copy alone; revoking keeps the record.
    LibraryAnswer.objects.filter(code="A-01").update(value="no")
    world["access"].status = "revoked"
    world["access"].save()
    answer.refresh_from_db()
    assert answer.value == "yes" and Assessment.objects.filter(pk=assessment.pk).exists()
    assert ProfileLogEntry.objects.filter(action="copied").count() == 1
    assert AuditEvent.objects.filter(action="profile.copied").count() == 1


def test_no_assessment_from_profile_without_access(cast):
    world = _trust_profile(cast, status="revoked")
    data = {"relationship": world["relationship"].pk, "profile": world["profile"].pk}
    r = _post(api_client_for(cast.procurement), f"{API}/assessments/from-profile/", data)
    assert r.status_code == 404
    assert not Assessment.objects.exists()


def test_another_care_org_sees_nothing_of_the_copy(cast):
    world = _trust_profile(cast)
    ProfileAccess.objects.create(
        profile=world["profile"], care_org=cast.other_care, status="granted"
    )
    data = {"relationship": world["relationship"].pk, "profile": world["profile"].pk}
    other = api_client_for(cast.other_care_admin)
    assert _post(other, f"{API}/assessments/from-profile/", data).status_code == 404
    _post(api_client_for(cast.procurement), f"{API}/assessments/from-profile/", data)
    assert other.get(f"{API}/assessments/").json()["results"] == []


def _resubmit(cast, world, value):
    world["relationship"].products.add(world["product"])
    a = svc.assessment_create(
        relationship=world["relationship"],
        template=world["template"],
        due_date=None,
        actor=cast.procurement.user,
    )
    svc.assessment_send(assessment=a, actor=cast.procurement.user)
    svc.answer_save(assessment=a, code="A-01", value=value, actor=cast.supplier_owner.user)
    svc.assessment_submit(assessment=a, actor=cast.supplier_owner.user)


def test_changing_a_published_answer_tells_the_organisations_with_access(
    cast, django_capture_on_commit_callbacks
):
    world = _trust_profile(cast)
    ProfileAccess.objects.create(
        profile=world["profile"], care_org=cast.other_care, status="revoked"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _resubmit(cast, world, "no")
    notes = Notification.objects.filter(kind="trust_profile.changed")
    assert {n.organisation_id for n in notes} == {cast.hospital.pk}  # not the revoked one
    assert {n.user for n in notes} == {cast.care_admin.user, cast.ciso.user}
    assert all("A-01" in n.body for n in notes)


def test_an_unchanged_answer_tells_nobody(cast, django_capture_on_commit_callbacks):
    world = _trust_profile(cast)
    with django_capture_on_commit_callbacks(execute=True):
        _resubmit(cast, world, "yes")
    assert not Notification.objects.filter(kind="trust_profile.changed").exists()


def test_pages_directory_request_grant_and_assess(cast):
    world = _trust_profile(cast, status=None)
    pk = world["profile"].pk
    care = client_for(cast.procurement)
    page = care.get(reverse("trust_profiles") + "?q=EPD")
    assert "EPD Pro" in page.content.decode()
    care.post(reverse("trust_profile_request", args=[pk]), {"message": "Graag inzage"})
    access = ProfileAccess.objects.get()
    assert access.status == "requested" and access.message == "Graag inzage"
    owner = client_for(cast.supplier_owner)
    assert "Graag inzage" in owner.get(reverse("trust_profile_detail", args=[pk])).content.decode()
    owner.post(reverse("trust_profile_decide", args=[access.pk, "grant"]))
    detail = care.get(reverse("trust_profile_detail", args=[pk]))
    assert "Start an assessment from this profile" in detail.content.decode()
    r = care.post(
        reverse("trust_profile_assess", args=[pk]),
        {"relationship": world["relationship"].pk, "template": world["template"].pk},
    )
    assessment = Assessment.objects.get()
    assert r.status_code == 302 and assessment.status == "in_review"
    log = owner.get(reverse("trust_profile_detail", args=[pk])).content.decode()
    assert "copied into an assessment" in log and "viewed" in log
    owner.post(reverse("trust_profile_decide", args=[access.pk, "revoke"]))
    hidden = care.get(reverse("trust_profile_detail", args=[pk])).content.decode()
    assert "Start an assessment" not in hidden and "A-01" not in hidden


def test_another_supplier_never_sees_the_profile_page(cast):
    world = _trust_profile(cast)
    url = reverse("trust_profile_detail", args=[world["profile"].pk])
    assert client_for(cast.other_supplier_owner).get(url).status_code == 404


def test_private_answers_show_on_the_suppliers_page_only(cast):
    world = _trust_profile(cast)
    world["profile"].answer_visibility = {"A-01": "private"}
    world["profile"].save()
    url = reverse("trust_profile_detail", args=[world["profile"].pk])
    assert "A-01" in client_for(cast.supplier_owner).get(url).content.decode()
    assert "A-01" not in client_for(cast.ciso).get(url).content.decode()
