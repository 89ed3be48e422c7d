"""API parity (DESIGN §15, issue 17 §2): everything a page can do, the API can do.

`PARITY` names, for every page route, the API route(s) that do the same — or, in `NO_API`, the
written reason why a page has no API counterpart. A new page without either fails the first
test, so a capability cannot be added to the pages alone.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from portal.core.accounts.models import ApiToken
from portal.core.accounts.services import api_token_create
from portal.core.audit.models import AuditEvent
from portal.core.jobs.models import Job
from suppliers.models import Product, SupplierDocument
from tests.access import (
    PDF,
    ROUTES,
    _contract,
    _library_entry,
    _relationship,
    project_route_names,
)

PARITY: dict[str, tuple[str, ...]] = {
    "members": ("member-list", "invitation-list"),
    "member_role": ("member-detail",),
    "member_deactivate": ("member-deactivate",),
    "invitation_revoke": ("invitation-revoke",),
    "user_settings": ("api-me", "token-list"),
    "token_revoke": ("token-detail",),
    "audit_log": ("audit-list",),
    "notification_list": ("notification-list",),
    "notification_read_all": ("notification-read",),
    "job_detail": ("api-job",),
    "webhook_list": ("webhook-list",),
    "sso_settings": ("api-sso",),
    "webhook_detail": ("webhook-detail", "webhook-deliveries"),
    "webhook_delete": ("webhook-detail",),
    "webhook_ping": ("webhook-ping",),
    "webhook_redeliver": ("webhook-redeliver",),
    "scim_settings": ("scim-token-list", "scim-group-role-list"),
    "scim_token_revoke": ("scim-token-detail",),
    "scim_mapping_delete": ("scim-group-role-detail",),
    "relationship_detail": ("relationship-detail",),
    "relationship_risk": ("relationship-risk",),
    "supplier_list": ("supplier-list",),
    "supplier_new": ("supplier-list",),
    "relationship_new": ("relationship-list",),
    "relationship_intake": ("relationship-detail",),
    "relationship_products": ("relationship-detail", "supplier-products"),
    "risk_appetite": ("api-risk-appetite",),
    "risk_appetite_save": ("api-risk-appetite",),
    "reassessment_list": ("api-reassessments",),
    "fourth_parties": ("api-fourth-parties",),
    "document_list": ("document-list",),
    "document_edit": ("document-detail",),
    "document_download": ("document-download",),
    "document_delete": ("document-detail",),
    "product_list": ("product-list",),
    "subprocessor_add": ("product-fourth-parties",),
    "incident_list": ("incident-list",),
    "incident_report": ("incident-list",),
    "incident_detail": ("incident-detail",),
    "incident_add_update": ("incident-updates",),
    "incident_acknowledge": ("incident-acknowledge",),
    "incident_impact": ("incident-impact",),
    "questionnaire_list": ("template-list",),
    "questionnaire_detail": ("template-detail", "template-sections", "template-questions"),
    "questionnaire_match": ("template-match", "template-equivalents"),
    "assessment_send": ("assessment-list", "assessment-send"),
    "assessment_list": ("assessment-list",),
    "assessment_detail": ("assessment-detail", "assessment-questions"),
    "assessment_answer_save": ("assessment-answer",),
    "assessment_submit": ("assessment-submit",),
    "assessment_assign": ("assessment-assignments",),
    "assessment_evidence_upload": ("assessment-evidence",),
    "decision_propose": ("finding-decision",),
    "decision_propose_residual": ("relationship-decision",),
    "finding_list": ("finding-list", "relationship-findings-list"),
    "finding_detail": ("finding-detail",),
    "finding_respond": ("finding-plan", "finding-progress", "finding-comment"),
    "finding_close": ("finding-resolve", "finding-withdraw"),
    "decision_register": ("decision-list",),
    "decision_decide": ("decision-approve", "decision-reject"),
    "answer_library": ("library-list",),
    "answer_library_delete": ("library-detail",),
    "trust_profiles": ("trust-profile-list",),
    "trust_profile_publish": ("trust-profile-list",),
    "trust_profile_detail": (
        "trust-profile-detail",
        "trust-profile-answers",
        "access-request-list",
    ),
    "trust_profile_items": ("trust-profile-items",),
    "trust_profile_document": ("trust-profile-document",),
    "trust_profile_request": ("trust-profile-request-access",),
    "trust_profile_decide": (
        "access-request-grant",
        "access-request-deny",
        "access-request-revoke",
    ),
    "trust_profile_assess": ("api-assessment-from-profile",),
    "joint_list": ("joint-assessment-list",),
    "joint_detail": ("joint-assessment-detail",),
    "joint_start": (
        "joint-assessment-list",
        "joint-assessment-invite",
        "joint-assessment-invitable",
    ),
    "joint_respond": ("joint-assessment-accept", "joint-assessment-decline"),
    "joint_adopt": ("joint-assessment-adopt-lead-verdicts",),
    "joint_ask": ("joint-assessment-ask-not-asked",),
    "assessment_answer_review": ("assessment-review",),
    "assessment_clarify": ("assessment-request-clarification",),
    "assessment_complete": ("assessment-complete",),
    "contract_list": ("relationship-contracts-list",),
    "contract_edit": ("contract-detail",),
    "contract_renew": ("contract-renew",),
    "contract_document_upload": ("contract-documents",),
    "contract_document_download": ("contract-document-download",),
    "certificate_review": ("relationship-certificates-review",),
    "certificate_download": ("relationship-certificates-download",),
    "checklist": ("relationship-clauses-list",),
    "checklist_item": ("relationship-clauses-detail",),
    "checklist_pdf": ("report-request", "report-file"),
    "exit_note": ("relationship-exit-note",),
    "exit_note_pdf": ("report-request", "report-file"),
    "home": ("api-dashboard",),
    "portfolio": ("api-dashboard",),
    "report_list": ("report-request",),
    "report_new": ("report-request",),
    "report_download": ("report-file",),
    "rapid_list": ("rapid-assessment-list",),
    "rapid_start": ("rapid-assessment-list",),
    "rapid_preview": ("rapid-assessment-preview",),
    "rapid_detail": ("rapid-assessment-detail",),
    "csaf_list": ("advisory-list",),
    "csaf_upload": ("advisory-list",),
    "csaf_detail": ("advisory-detail",),
    "csaf_send": ("advisory-send",),
    "csaf_dismiss": ("advisory-dismiss",),
}

NO_API: dict[str, str] = {
    "sso_start": "the start of a browser sign-in through the organisation's identity provider; "
    "API clients use tokens",
    "healthz": "operations probe for load balancers, not an organisation's capability",
    "readyz": "operations probe for load balancers, not an organisation's capability",
    "switch_organisation": "a token belongs to one organisation; switching is a browser "
    "session's concern (create a token per organisation)",
    "invitation_accept": "a person accepts in the browser, where they choose their password",
    "member_erase": "erasing a person is irreversible and is done deliberately in the browser, "
    "after a typed confirmation",
    "organisation_export": "the whole archive is downloaded by an administrator in the browser "
    "or with `manage.py export_organisation`; every part of it has its own endpoint",
    "notification_settings": "a person's own e-mail choices, made in the browser",
    "incident_download": "the attachment's link comes with the incident update in the API",
    "incident_duty": "care-side duty checklist; open work (the incident's impact is in the API)",
    "incident_mark_due": "care-side; the relationship's next assessment is set by the API's "
    "assessments",
    "questionnaire_upload": "templates are imported with `manage.py import_questionnaire` "
    "(YAML or xlsx, FORMATS.md); the API reads published templates",
    "questionnaire_xlsx": "the spreadsheet wizard maps columns by hand; the command line "
    "imports sheets without it",
    "questionnaire_xlsx_mapping": "step 2 of the spreadsheet wizard (see questionnaire_xlsx)",
    "questionnaire_xlsx_confirm": "step 3 of the spreadsheet wizard (see questionnaire_xlsx)",
    "questionnaire_xlsx_discard": "cancels the spreadsheet wizard (see questionnaire_xlsx)",
    "questionnaire_preview": "a rendering of the questionnaire for people; the API gives its "
    "sections and questions",
    "questionnaire_export": "`manage.py export_questionnaire` writes the same YAML and xlsx",
    "questionnaire_publish": "the builder's life cycle; templates are authored in the browser",
    "questionnaire_new_version": "the builder's life cycle; templates are authored in the browser",
    "questionnaire_retire": "the builder's life cycle; templates are authored in the browser",
    "questionnaire_new": "the builder edits a draft interactively in the browser",
    "questionnaire_builder": "the builder edits a draft interactively in the browser",
    "questionnaire_section_add": "the builder edits a draft interactively in the browser",
    "questionnaire_section_edit": "the builder edits a draft interactively in the browser",
    "questionnaire_section_delete": "the builder edits a draft interactively in the browser",
    "questionnaire_question_add": "the builder edits a draft interactively in the browser",
    "questionnaire_question_edit": "the builder edits a draft interactively in the browser",
    "questionnaire_question_delete": "the builder edits a draft interactively in the browser",
    "questionnaire_move": "the builder edits a draft interactively in the browser",
    "assessment_bulk_send": "a loop of POST /assessments/ and /send/ does the same",
    "assessment_evidence_pick": "attaching a shared document is the page's shortcut; the API "
    "uploads the file as evidence",
    "evidence_download": "the page's link to an uploaded file; the API lists the evidence codes",
    "assessment_xlsx_download": "the offline spreadsheet is the way without the API; the API "
    "answers question by question",
    "assessment_xlsx_upload": "the offline spreadsheet is the way without the API; the API "
    "answers question by question",
    "assessment_history": "the audit endpoint lists the assessment's events",
    "assessment_answer_message": "messages on one answer are a conversation in the browser; "
    "review messages go with the API's verdict",
    "decision_register_xlsx": "a spreadsheet of the decisions endpoint's list",
    "checklist_regenerate": "the checklist is redrawn when an assessment completes (API) and on "
    "every intake change",
    "checklist_item_edit": "an htmx fragment of the checklist row; the API patches the clause",
    "checklist_xlsx": "a spreadsheet of the clauses endpoint's list",
    "clause_library": "the shipped clause library, the same for everyone; each clause comes "
    "with the checklist",
    "exit_note_generate": "the exit note is drawn up when an assessment completes",
    "exit_section_save": "the exit note is edited and approved in the browser (two people "
    "sign it off); the API reads it",
    "exit_proposal": "the exit note is edited and approved in the browser (see exit_section_save)",
    "exit_note_approve": "the exit note is edited and approved in the browser "
    "(see exit_section_save)",
    "exit_note_new_version": "the exit note is edited and approved in the browser "
    "(see exit_section_save)",
    "exit_note_versions": "the exit note is edited and approved in the browser "
    "(see exit_section_save)",
    "exit_test_add": "exit tests are recorded with the exit note in the browser",
    "remote_overview": "one token is one organisation; the dashboard endpoint gives each "
    "organisation's figures",
    "portfolio_list": "the lists behind the portfolio's figures are the relationships and "
    "findings endpoints",
    "pipeline": "the relationships endpoint with its status field",
    "rapid_export": "a spreadsheet of the rapid questionnaire's figures and assessments, which "
    "the detail endpoint gives",
    "rapid_summary": "a one-page PDF for the board of the figures the detail endpoint gives",
    "incident_raise_finding": "open work: a finding raised from an incident is read and worked "
    "through the findings endpoints, but raising it is in the browser only so far",
}


def _page_routes() -> set[str]:
    names = project_route_names()
    api = {r.name for r in ROUTES if r.api}
    return {n for n in names if n not in api}


def test_every_page_capability_has_an_api_or_a_written_reason():
    pages = _page_routes()
    missing = sorted(pages - set(PARITY) - set(NO_API))
    assert missing == [], f"page routes with neither an API nor a reason: {missing}"
    assert not set(PARITY) & set(NO_API)
    assert all(len(reason) > 30 for reason in NO_API.values())
    # Every API route named exists.
    api_routes = project_route_names()
    unknown = sorted({a for apis in PARITY.values() for a in apis} - api_routes)
    assert unknown == [], f"PARITY names API routes that do not exist: {unknown}"
    stale = sorted((set(PARITY) | set(NO_API)) - pages)
    assert stale == [], f"entries for page routes that no longer exist: {stale}"


# -- tokens: read-only, expiry, last use --------------------------------------------------------


def _token_client(client, key):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client


def test_a_read_only_token_reads_and_changes_nothing(cast, client):
    _token, key = api_token_create(membership=cast.procurement, name="GRC", read_only=True)
    api = _token_client(client, key)
    assert api.get("/api/v1/suppliers/").status_code == 200
    r = api.post(
        "/api/v1/suppliers/",
        data=json.dumps({"name": "Nieuw B.V.", "kvk_number": "11112222"}),
        content_type="application/json",
    )
    assert r.status_code == 403 and "alleen om te lezen" in r.json()["detail"]  # Dutch user
    assert not cast.hospital.supplier_links.filter(supplier__name="Nieuw B.V.").exists()


def test_an_expired_token_is_refused_with_the_reason(cast, client):
    token, key = api_token_create(membership=cast.ciso, name="CMDB")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    r = _token_client(client, key).get("/api/v1/me/")
    assert r.status_code == 401 and "verlopen op" in r.json()["detail"]


def test_tokens_are_created_with_options_and_show_their_last_use(cast, as_api):
    api = as_api(cast.ciso)
    tomorrow = (timezone.localdate() + timedelta(days=30)).isoformat()
    r = api.post(
        "/api/v1/tokens/",
        data=json.dumps({"name": "SIEM", "read_only": True, "expires_on": tomorrow}),
        content_type="application/json",
    )
    assert r.status_code == 201
    body = r.json()
    assert body["token"]["read_only"] is True and body["key"]
    assert body["token"]["expires_at"].startswith(tomorrow)
    # The new token is used once; the list shows when.
    other = api.__class__(HTTP_AUTHORIZATION=f"Token {body['key']}")
    assert other.get("/api/v1/me/").status_code == 200
    listed = {t["name"]: t for t in api.get("/api/v1/tokens/").json()["results"]}
    assert listed["SIEM"]["last_used_at"] is not None
    # A date in the past or too far ahead: 400, nothing created.
    count = ApiToken.objects.count()
    for bad in (timezone.localdate().isoformat(), "2199-01-01"):
        r = api.post(
            "/api/v1/tokens/",
            data=json.dumps({"name": "x", "expires_on": bad}),
            content_type="application/json",
        )
        assert r.status_code == 400 and "expires_on" in r.json()["errors"]
    assert ApiToken.objects.count() == count


def test_the_settings_page_creates_a_read_only_token_with_an_end_date(cast, as_member):
    page = as_member(cast.ciso)
    until = timezone.localdate() + timedelta(days=10)
    page.post(
        reverse("user_settings"),
        {"action": "token", "name": "Rapportage", "read_only": "on", "expires_on": until},
    )
    token = ApiToken.objects.get(name="Rapportage")
    assert token.read_only and timezone.localtime(token.expires_at).date() == until
    html = page.get(reverse("user_settings")).content.decode()
    assert "read-only" in html


# -- what the new endpoints do ---------------------------------------------------------------------


def _post(api, url, body):
    return api.post(url, data=json.dumps(body), content_type="application/json")


def test_a_supplier_keeps_products_fourth_parties_and_documents_through_the_api(cast, as_api):
    api = as_api(cast.supplier_owner)
    product = _post(api, "/api/v1/products/", {"name": "Zorgportaal", "supplier_types": ["cloud"]})
    assert product.status_code == 201
    pid = product.json()["id"]
    party = _post(
        api,
        f"/api/v1/products/{pid}/fourth-parties/",
        {"name": "Wolk B.V.", "service": "hosting", "country": "NL", "data_access": True},
    )
    assert party.status_code == 201
    assert api.get(f"/api/v1/products/{pid}/fourth-parties/").json()[0]["name"] == "Wolk B.V."
    bad = _post(
        api,
        f"/api/v1/products/{pid}/fourth-parties/",
        {"name": "X", "service": "y", "country": "Nederland"},
    )
    assert bad.status_code == 400 and "country" in bad.json()["errors"]
    # A document: uploaded, listed, downloaded byte for byte; a disguised file is refused.
    upload = io.BytesIO(PDF)
    upload.name = "nen7510.pdf"
    r = api.post(
        "/api/v1/documents/",
        {"title": "NEN 7510", "kind": "nen7510", "file": upload, "products": [pid]},
    )
    assert r.status_code == 201, r.content
    doc = r.json()
    assert doc["products"] == [pid]
    assert b"".join(api.get(doc["download_url"]).streaming_content) == PDF
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf")
    fake.name = "certificaat.pdf"
    before = SupplierDocument.objects.count()
    r = api.post("/api/v1/documents/", {"title": "Nep", "kind": "nen7510", "file": fake})
    assert r.status_code == 400 and SupplierDocument.objects.count() == before
    # The care organisation sees the product among the supplier's products.
    assert Product.objects.get(pk=pid).supplier == cast.supplier


def test_contracts_through_the_api_refuse_a_stale_edit(cast, as_api):
    world = _contract(cast)
    api = as_api(cast.procurement)
    rel = world["relationship"]
    r = _post(
        api,
        f"/api/v1/relationships/{rel.pk}/contracts/",
        {"reference": "C-8", "title": "Hosting", "start_date": "2026-01-01",
         "end_date": "2028-12-31", "notice_months": 6},
    )  # fmt: skip
    assert r.status_code == 201
    contract = r.json()
    assert contract["notice_deadline"] == "2028-06-30"
    url = f"/api/v1/contracts/{contract['id']}/"
    ok = api.patch(url, data=json.dumps({"title": "Hosting en beheer", "version": 1}),
                   content_type="application/json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api.patch(url, data=json.dumps({"title": "Oud", "version": 1}),
                      content_type="application/json")  # fmt: skip
    assert stale.status_code == 409
    assert Contract.objects.get(pk=contract["id"]).title == "Hosting en beheer"
    renewed = _post(api, f"{url}renew/", {})
    assert renewed.status_code == 200 and renewed.json()["end_date"] > "2028-12-31"


def test_the_risk_appetite_changes_through_the_api_and_rescoring_is_a_job(cast, as_api):
    _relationship(cast)
    api = as_api(cast.ciso)
    assert api.get("/api/v1/risk-appetite/").json()["cadence_months"]["critical"] == 12
    r = api.put(
        "/api/v1/risk-appetite/",
        data=json.dumps({"cadence_months": {"critical": 6}}),
        content_type="application/json",
    )
    assert r.status_code == 202, r.content
    job = api.get(r.json()["job_url"]).json()
    assert job["kind"] == "rescore" and Job.objects.filter(pk=r.json()["job"]).exists()
    bad = api.put(
        "/api/v1/risk-appetite/",
        data=json.dumps({"cadence_months": {"critical": -1}}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert api.get("/api/v1/risk-appetite/").json()["cadence_months"]["critical"] == 6


def test_library_members_and_audit_read_as_on_the_pages(cast, as_api):
    world = _library_entry(cast)
    owner = as_api(cast.supplier_owner)
    entries = owner.get("/api/v1/library/").json()
    assert [e["id"] for e in entries] == [world["entry"].pk]
    assert owner.delete(f"/api/v1/library/{world['entry'].pk}/").status_code == 204
    assert owner.get("/api/v1/library/").json() == []
    admin = as_api(cast.care_admin)
    emails = {m["email"] for m in admin.get("/api/v1/members/").json()["results"]}
    assert "ciso@zh.test" in emails and "eigenaar@lev.test" not in emails
    invite = _post(admin, "/api/v1/invitations/", {"email": "nieuw@zh.test", "role": "board"})
    assert invite.status_code == 201 and invite.json()["role"] == "board"
    actions = {e["action"] for e in admin.get("/api/v1/audit/?action=invitation").json()["results"]}
    assert actions and all(a.startswith("invitation") for a in actions)
    assert AuditEvent.objects.filter(action="library.entry_removed").exists()


@pytest.mark.parametrize("path", ["/api/v1/audit/?date_from=gisteren"])
def test_a_bad_filter_is_a_400(cast, as_api, path):
    assert as_api(cast.ciso).get(path).status_code == 400


def test_a_token_does_not_revoke_itself_nor_its_owner_their_own_access(cast, client, as_api):
    token, key = api_token_create(membership=cast.care_admin, name="self")
    api = _token_client(client, key)
    r = api.delete(f"/api/v1/tokens/{token.pk}/")
    assert r.status_code == 409
    r = api.post(f"/api/v1/members/{cast.care_admin.pk}/deactivate/")
    assert r.status_code == 409
    token.refresh_from_db()
    cast.care_admin.refresh_from_db()
    assert token.revoked_at is None and cast.care_admin.is_active
    other = as_api(cast.care_admin)  # another token of the same person may revoke it
    assert other.delete(f"/api/v1/tokens/{token.pk}/").status_code == 204


def test_an_organisation_name_with_a_line_break_is_refused(cast, as_api):
    """Found by the API fuzz: the name goes into the invitation's e-mail subject."""
    api = as_api(cast.procurement)
    r = _post(api, "/api/v1/suppliers/", {"name": "Nieuw\nB.V.", "contact_email": "x@nieuw.test"})
    assert r.status_code == 400 and "name" in r.json()["errors"]
    assert not cast.hospital.supplier_links.filter(supplier__name__startswith="Nieuw").exists()
