"""Trust profiles, per item (DESIGN §14, issue 20): certificates and shared documents in a
profile, the visibility of each answer and document (summary, on request, private), downloads
only with access, the short questionnaire for what a profile does not cover, and the flag on
answers confirmed more than 12 months before the copy."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from questionnaires import assessments as svc
from questionnaires.models import Answer, Assessment, LibraryAnswer
from questionnaires.services import template_import
from questionnaires.sharing.models import ProfileDocument, ProfileLogEntry, TrustProfile
from suppliers.documents import document_save
from suppliers.models import SupplierDocument
from tests.access import MINI_TEMPLATE, PDF, _trust_profile
from tests.conftest import api_client_for, client_for

API = "/api/v1"


def _post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def _doc(cast, title, kind="nen7510", **extra):
    return document_save(
        supplier=cast.supplier,
        actor=cast.supplier_owner.user,
        title=title,
        kind=kind,
        name="bestand.pdf",
        data=PDF,
        **extra,
    )


def _template(codes, key="drie"):
    """A published template whose questions have these codes (yes/no, required)."""
    data = copy.deepcopy(MINI_TEMPLATE)
    data["key"] = key
    question = data["sections"][0]["questions"][0]
    data["sections"][0]["questions"] = [{**question, "code": c} for c in codes]
    return template_import(data=data, publish=True)


def _library(cast, world, code, value="yes", **extra):
    return LibraryAnswer.objects.create(
        supplier=cast.supplier, product=world["product"], code=code, value=value, **extra
    )


def _with_items(cast):
    """A-01 summary, B-02 on request, Z-99 private; a summary certificate, one on request and
    one private; the hospital has access, the other care organisation not."""
    world = _trust_profile(cast)
    _library(cast, world, "B-02", "no")
    _library(cast, world, "Z-99", "geheim-antwoord")
    profile = world["profile"]
    profile.answer_visibility = {"A-01": "summary", "Z-99": "private"}
    profile.save()
    world["summary_doc"] = _doc(
        cast, "NEN 7510-certificaat", issuer="Zorg Cert", valid_until=date(2027, 6, 1)
    )
    world["request_doc"] = _doc(cast, "Pentest-samenvatting", kind="pentest")
    world["private_doc"] = _doc(cast, "Geheim beleid", kind="policy")
    for doc, level in (
        (world["summary_doc"], "summary"),
        (world["request_doc"], ""),
        (world["private_doc"], "private"),
    ):
        ProfileDocument.objects.create(profile=profile, document=doc, visibility=level)
    return world


def test_directory_shows_the_summary_certificates_and_finds_them(cast):
    world = _with_items(cast)
    other = api_client_for(cast.other_care_admin)
    rows = other.get(f"{API}/trust-profiles/").json()
    assert rows[0]["certificates"] == [
        {
            "id": world["summary_doc"].pk,
            "title": "NEN 7510-certificaat",
            "standard": "nen7510",
            "issuer": "Zorg Cert",
            "valid_until": "2027-06-01",
        }
    ]
    assert len(other.get(f"{API}/trust-profiles/?q=NEN 7510").json()) == 1
    assert other.get(f"{API}/trust-profiles/?q=Pentest").json() == []  # not a summary item
    page = client_for(cast.other_care_admin).get(reverse("trust_profiles")).content.decode()
    assert "NEN 7510-certificaat" in page and "Pentest-samenvatting" not in page


def test_summary_for_all_on_request_once_granted_private_never(cast):
    world = _with_items(cast)
    url = f"{API}/trust-profiles/{world['profile'].pk}/"
    without = api_client_for(cast.other_care_admin).get(url).json()
    assert [a["code"] for a in without["answers"]] == ["A-01"]
    assert [(d["title"], d["download_url"]) for d in without["documents"]] == [
        ("NEN 7510-certificaat", None)
    ]
    granted = api_client_for(cast.ciso).get(url).json()
    assert sorted(a["code"] for a in granted["answers"]) == ["A-01", "B-02"]
    assert sorted(d["title"] for d in granted["documents"]) == [
        "NEN 7510-certificaat",
        "Pentest-samenvatting",
    ]
    assert all(d["download_url"] for d in granted["documents"])
    answers = api_client_for(cast.ciso).get(url + "answers/").json()
    assert sorted(a["code"] for a in answers) == ["A-01", "B-02"]
    page_url = reverse("trust_profile_detail", args=[world["profile"].pk])
    other_page = client_for(cast.other_care_admin).get(page_url).content.decode()
    assert "A-01" in other_page and "B-02" not in other_page and "Pentest" not in other_page
    for member in (cast.ciso, cast.other_care_admin):
        page = client_for(member).get(page_url).content.decode()
        assert "Z-99" not in page and "geheim-antwoord" not in page and "Geheim beleid" not in page
    owner = api_client_for(cast.supplier_owner).get(url).json()
    assert {a["code"]: a["visibility"] for a in owner["answers"]} == {
        "A-01": "summary",
        "B-02": "on_request",
        "Z-99": "private",
    }


def test_documents_download_only_with_access_and_are_logged(cast):
    world = _with_items(cast)
    pk, doc = world["profile"].pk, world["request_doc"]
    page_url = reverse("trust_profile_document", args=[pk, doc.pk])
    api_url = f"{API}/trust-profiles/{pk}/documents/{doc.pk}/"
    r = client_for(cast.viewer).get(page_url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert api_client_for(cast.ciso).get(api_url).status_code == 200
    log = list(ProfileLogEntry.objects.values_list("action", "detail", "care_org"))
    assert log == [("downloaded", "Pentest-samenvatting", cast.hospital.pk)] * 2
    summary_url = f"{API}/trust-profiles/{pk}/documents/{world['summary_doc'].pk}/"
    assert api_client_for(cast.other_care_admin).get(summary_url).status_code == 404
    assert client_for(cast.other_care_admin).get(page_url).status_code == 404
    private_url = f"{API}/trust-profiles/{pk}/documents/{world['private_doc'].pk}/"
    assert api_client_for(cast.ciso).get(private_url).status_code == 404
    world["access"].status = "revoked"
    world["access"].save()
    assert api_client_for(cast.ciso).get(api_url).status_code == 404
    assert ProfileLogEntry.objects.count() == 2
    assert client_for(cast.supplier_owner).get(page_url).status_code == 200  # not logged
    assert ProfileLogEntry.objects.count() == 2
    with translation.override("en"):
        owner_page = client_for(cast.supplier_owner).get(
            reverse("trust_profile_detail", args=[pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert "downloaded Pentest-samenvatting" in owner_page.content.decode()  # the access log


def test_owner_sets_the_visibility_of_every_item_in_one_save(cast):
    world = _trust_profile(cast)
    _library(cast, world, "Z-99", "geheim")
    doc, other_doc = _doc(cast, "ISO-certificaat", kind="iso27001"), _doc(cast, "Beleid", "policy")
    ProfileDocument.objects.create(profile=world["profile"], document=other_doc)
    url = reverse("trust_profile_items", args=[world["profile"].pk])
    owner = client_for(cast.supplier_owner)
    r = owner.post(
        url,
        {
            "answer:A-01": "summary",
            "answer:Z-99": "private",
            f"document:{doc.pk}": "on_request",
            f"document:{other_doc.pk}": "excluded",
        },
    )
    assert r.status_code == 302
    profile = TrustProfile.objects.get()
    assert profile.answer_visibility == {"A-01": "summary", "Z-99": "private"}
    assert list(profile.documents.values_list("document_id", "visibility")) == [
        (doc.pk, "on_request")
    ]
    owner.post(url, {"answer:A-01": "", f"document:{doc.pk}": "public"})  # a bad level
    assert TrustProfile.objects.get().answer_visibility == profile.answer_visibility
    owner.post(url, {"answer:A-01": ""})  # back to the profile's default
    assert TrustProfile.objects.get().answer_visibility == {"Z-99": "private"}


def test_bad_item_choices_through_the_api_change_nothing(cast):
    world = _trust_profile(cast)
    foreign = SupplierDocument.objects.create(
        supplier=cast.other_supplier, title="x", kind="policy", name="x", content_type="x",
        size=1, sha256="x",
    )  # fmt: skip
    owner = api_client_for(cast.supplier_owner)
    url = f"{API}/trust-profiles/{world['profile'].pk}/items/"
    for body in (
        {"answers": {"NOPE": "summary"}},
        {"answers": {"A-01": "public"}},
        {"documents": {str(foreign.pk): "summary"}},
        {"documents": {"abc": "summary"}},
    ):
        assert _post(owner, url, body).status_code == 400, body
    assert TrustProfile.objects.get().answer_visibility == {}
    assert not ProfileDocument.objects.exists()
    r = _post(owner, url, {"answers": {"A-01": "private"}})
    assert r.status_code == 200 and r.json()["answers"][0]["visibility"] == "private"
    assert _post(api_client_for(cast.other_supplier_owner), url, {}).status_code == 404


def test_republishing_sets_the_default_but_keeps_private_items_private(cast):
    world = _trust_profile(cast, status=None)
    _library(cast, world, "Z-99", "geheim")
    world["profile"].answer_visibility = {"Z-99": "private"}
    world["profile"].save()
    owner = api_client_for(cast.supplier_owner)
    body = {"product": world["product"].pk, "visibility": "summary"}
    assert _post(owner, f"{API}/trust-profiles/", body).status_code == 201
    seen = api_client_for(cast.other_care_admin).get(f"{API}/trust-profiles/{world['profile'].pk}/")
    assert [a["code"] for a in seen.json()["answers"]] == ["A-01"]


def _from_profile(cast, world, template):
    data = {
        "relationship": world["relationship"].pk,
        "profile": world["profile"].pk,
        "template": template.pk,
    }
    return _post(api_client_for(cast.procurement), f"{API}/assessments/from-profile/", data)


def test_a_private_answer_is_never_copied_and_its_question_goes_to_the_supplier(cast):
    world = _trust_profile(cast)
    _library(cast, world, "A-02", "no", explanation="geheime-uitleg")
    world["profile"].answer_visibility = {"A-02": "private"}
    world["profile"].save()
    r = _from_profile(cast, world, _template(["A-01", "A-02"]))
    assert r.status_code == 201, r.content
    copy_ = Assessment.objects.get(pk=r.json()["id"])
    assert list(copy_.answers.values_list("question__code", flat=True)) == ["A-01"]
    page = client_for(cast.ciso).get(reverse("assessment_detail", args=[copy_.pk]) + "?all=1")
    assert "geheime-uitleg" not in page.content.decode()
    follow = Assessment.objects.get(pk=r.json()["follow_up"])
    assert follow.only_codes == ["A-02"] and follow.status == "sent"


def test_uncovered_questions_go_to_the_supplier_as_a_short_questionnaire(cast):
    world = _trust_profile(cast)
    template = _template(["A-01", "A-02", "A-03"])
    r = _from_profile(cast, world, template)
    main = Assessment.objects.get(pk=r.json()["id"])
    follow = Assessment.objects.get(pk=r.json()["follow_up"])
    assert (follow.follows_up, follow.template, follow.relationship) == (
        main,
        template,
        main.relationship,
    )
    assert [q.code for q in svc.applicable_questions(follow)] == ["A-02", "A-03"]
    assert svc.question_for(follow, "A-01") is None
    assert svc.progress(follow)["total"] == 2
    supplier = cast.supplier_owner.user
    for code in ("A-02", "A-03"):
        svc.answer_save(assessment=follow, code=code, value="yes", actor=supplier)
    assert svc.assessment_submit(assessment=follow, actor=supplier).status == "submitted"
    assert [q.code for q in svc.score(follow).questions] == ["A-02", "A-03"]
    with translation.override("en"):
        page = client_for(cast.ciso).get(
            reverse("assessment_detail", args=[main.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert reverse("assessment_detail", args=[follow.pk]) in page.content.decode()
    inbox = api_client_for(cast.supplier_owner).get(f"{API}/assessments/").json()["results"]
    assert follow.pk in [a["id"] for a in inbox]
    with translation.override("en"):
        own = client_for(cast.supplier_owner).get(
            reverse("assessment_detail", args=[follow.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    text = own.content.decode()
    assert "only the 2 questions the trust profile did not cover" in text
    assert "Section 1 of" not in text  # one section: no "Section 1 of 0"


def test_a_profile_that_covers_everything_sends_no_short_questionnaire(cast):
    world = _trust_profile(cast)
    r = _from_profile(cast, world, world["template"])
    assert r.status_code == 201 and r.json()["follow_up"] is None
    assert Assessment.objects.count() == 1


def test_review_page_flags_answers_confirmed_over_a_year_before_the_copy(cast):
    world = _trust_profile(cast)
    _library(cast, world, "A-02")
    LibraryAnswer.objects.filter(code="A-01").update(
        updated_at=timezone.now() - timedelta(days=400)
    )
    r = _from_profile(cast, world, _template(["A-01", "A-02"]))
    main = Assessment.objects.get(pk=r.json()["id"])
    confirmed = Answer.objects.get(assessment=main, question__code="A-01").answered_at
    url = reverse("assessment_detail", args=[main.pk]) + "?all=1"
    with translation.override("en"):
        page = client_for(cast.ciso).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        shown = date_format(timezone.localtime(confirmed), "DATE_FORMAT")
    assert "1 answer confirmed more than 12 months before the copy" in page
    assert page.count("Confirmed more than 12 months before the copy:") == 1
    assert f"Confirmed more than 12 months before the copy: {shown}" in page
    supplier_page = client_for(cast.supplier_owner).get(url).content.decode()
    assert "kw-stale" not in supplier_page
