"""The access-control matrix: every named route of the project, and who may use it.

`tests/portal/test_access_matrix.py` walks the URL configuration and fails when a route is
missing here, so a new page or endpoint cannot escape the anonymous / other organisation /
too-low-role checks. Later apps append their routes to ROUTES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

ALL_MEMBERS = (
    "care_admin",
    "ciso",
    "procurement",
    "board",
    "viewer",
    "supplier_owner",
    "respondent",
)

# Third-party routes tested by their own projects; the project's own code adds none of these.
EXEMPT_PREFIXES = (
    "account_",
    "mfa_",
    "admin:",
    "set_language",
    # allauth's social-account pages and its OpenID Connect login/callback (tests/sso)
    "socialaccount_",
    "openid_connect_",
)


@dataclass
class Route:
    name: str
    allowed: tuple[str, ...]
    method: str = "get"
    api: bool = False
    public: bool = False
    # Builds the URL kwargs from the cast and a per-test "world" dict of objects.
    kwargs: Callable[[Any, dict], dict] = field(default=lambda cast, world: {})
    data: Callable[[Any, dict], dict] = field(default=lambda cast, world: {})
    # Cast members of other organisations (or, for personal objects, other people) → 404.
    foreign: tuple[str, ...] = ()
    ok: tuple[int, ...] = (200, 201, 302)
    multipart: bool = False
    # A query string the URL needs (e.g. which question's form), appended as is.
    query: str = ""
    # False when the URL kwargs name no tenant object (e.g. which figure of a dashboard):
    # an outsider then sees its own organisation's version of the page, not a 404.
    kwargs_are_objects: bool = True
    # Prepares objects the route needs; returns the world dict.
    setup: Callable[[Any], dict] = field(default=lambda cast: {})

    @property
    def denied(self) -> tuple[str, ...]:
        """Members of the right organisation whose role is too low: 403."""
        return tuple(m for m in ALL_MEMBERS if m not in self.allowed and m not in self.foreign)


def _notification(cast) -> dict:
    from portal.core.notifications.models import Notification

    note = Notification.objects.create(
        user=cast.ciso.user, organisation=cast.hospital, subject="Test", kind="assessment.sent"
    )
    return {"notification": note}


def _viewer_membership(cast) -> dict:
    return {"target": cast.viewer}


def _invitation(cast) -> dict:
    from portal.core.accounts.services import invitation_create

    invitation, token = invitation_create(
        organisation=cast.hospital, email="nieuw@zh.test", role="viewer", actor=None
    )
    return {"invitation": invitation, "token": token}


def _ciso_token(cast) -> dict:
    from portal.core.accounts.services import api_token_create

    token, _key = api_token_create(membership=cast.ciso, name="matrix")
    return {"token": token}


def _own_template(cast) -> dict:
    from pathlib import Path

    from questionnaires.services import template_import
    from questionnaires.yaml_io import parse_questionnaire

    text = (Path(__file__).parent / "questionnaires" / "files" / "every_feature.yaml").read_text()
    return {"template": template_import(data=parse_questionnaire(text), owner=cast.hospital)}


def _relationship(cast) -> dict:
    from suppliers.services import relationship_create, supplier_register

    link = supplier_register(
        care_org=cast.hospital,
        name="Leverancier B.V.",
        kvk_number="12345678",
        actor=cast.procurement.user,
    )
    rel = relationship_create(
        care_org=cast.hospital,
        supplier=link.supplier,
        name="EPD",
        supplier_types=["epd"],
        intake={"data": 3, "volume": 3, "continuity": 3, "access": 2, "substitutability": 3},
        actor=cast.procurement.user,
    )
    return {"relationship": rel}


MINI_TEMPLATE = {
    "key": "mini",
    "version": 1,
    "title": {"nl": "Mini", "en": "Mini"},
    "description": {"nl": "", "en": ""},
    "sections": [
        {
            "code": "A",
            "title": {"nl": "A", "en": "A"},
            "questions": [
                {
                    "code": "A-01",
                    "text": {"nl": "MFA?", "en": "MFA?"},
                    "help": {"nl": "", "en": ""},
                    "type": "yes_no",
                    "choices": [],
                    "na_allowed": False,
                    "weight": 1,
                    "required": True,
                    "knockout": False,
                    "severity": "high",
                    "applies_to": [],
                    "show_if": None,
                    "evidence": "none",
                    "bands": [],
                    "reviewer_scored": False,
                    "references": ["NEN7510-2:8.5"],
                    "advice": {"nl": "", "en": ""},
                }
            ],
        }
    ],
}


def assessment_at(cast, stage: str) -> dict:
    """A one-question assessment of the hospital for the cast's supplier, at `stage`."""
    from questionnaires import assessments as svc
    from questionnaires.services import template_import

    world = _relationship(cast)
    template = template_import(data=MINI_TEMPLATE, publish=True)
    a = svc.assessment_create(
        relationship=world["relationship"],
        template=template,
        due_date=None,
        actor=cast.procurement.user,
    )
    steps = ["sent", "in_progress", "submitted", "in_review", "clarification_requested"]
    if stage in steps:
        svc.assessment_send(assessment=a, actor=cast.procurement.user)
    if stage in ("in_progress", "submitted", "in_review", "clarification_requested"):
        svc.answer_save(assessment=a, code="A-01", value="no", actor=cast.supplier_owner.user)
    if stage in ("submitted", "in_review", "clarification_requested"):
        svc.assessment_submit(assessment=a, actor=cast.supplier_owner.user)
    if stage in ("in_review", "clarification_requested"):
        svc.answer_review(assessment=a, code="A-01", verdict="clarification", actor=cast.ciso.user)
    if stage == "clarification_requested":
        svc.assessment_request_clarification(assessment=a, actor=cast.ciso.user)
    return {**world, "assessment": a}


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF"


def _pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("rapport.pdf", PDF, content_type="application/pdf")


def _with_evidence(cast) -> dict:
    from questionnaires import assessments as svc

    world = assessment_at(cast, "sent")
    q = world["assessment"].template.questions.get()
    q.evidence = "optional"
    q.save()
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF"
    ev = svc.evidence_add(
        assessment=world["assessment"],
        code="A-01",
        name="beleid.pdf",
        data=pdf,
        actor=cast.supplier_owner.user,
    )
    return {**world, "evidence": ev}


def _job(cast) -> dict:
    from portal.core.jobs.models import Job

    return {
        "job": Job.objects.create(
            organisation=cast.hospital, user=cast.ciso.user, kind="test", total=1
        )
    }


def _product(cast) -> dict:
    from suppliers.services import product_save

    return {
        "product": product_save(
            supplier=cast.supplier, actor=cast.supplier_owner.user, name="EPD Pro"
        )
    }


def _next_year() -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localdate() + timedelta(days=365)).isoformat()


def _finding(cast) -> dict:
    from questionnaires import assessments as svc

    world = assessment_at(cast, "submitted")
    svc.assessment_complete(assessment=world["assessment"], actor=cast.ciso.user)
    return {**world, "finding": world["relationship"].findings.get()}


def _decision(cast) -> dict:
    from datetime import date

    from questionnaires.decisions import decision_propose

    world = _finding(cast)
    decision = decision_propose(
        relationship=world["relationship"],
        finding=world["finding"],
        actor=cast.ciso.user,
        motivation="Compenserende maatregel",
        expires_on=date.fromisoformat(_next_year()),
    )
    return {**world, "decision": decision}


def _incident(cast) -> dict:
    """An incident the cast's supplier reports on a product of a live hospital relationship."""
    from django.utils import timezone

    from suppliers.incidents.services import incident_report
    from suppliers.services import product_save

    world = _relationship(cast)
    rel = world["relationship"]
    product = product_save(supplier=cast.supplier, actor=cast.supplier_owner.user, name="EPD")
    rel.products.add(product)
    rel.status = "active"
    rel.save()
    incident = incident_report(
        supplier=cast.supplier,
        actor=cast.supplier_owner.user,
        title="Ransomware bij hosting",
        description="Versleutelde servers bij onze hostingpartij.",
        products=[product],
        detected_at=timezone.now(),
        health_data=True,
        availability=True,
    )
    recipient = incident.recipients.get()
    return {**world, "incident": incident, "recipient": recipient, "duty": recipient.duties.first()}


def _rapid(cast) -> dict:
    """A rapid questionnaire of the hospital to everything behind the fourth party "Azure"."""
    from questionnaires.rapid.services import rapid_assessment_start
    from suppliers.services import product_save, subprocessor_add

    world = _relationship(cast)
    rel = world["relationship"]
    product = product_save(supplier=cast.supplier, actor=cast.supplier_owner.user, name="EPD")
    subprocessor_add(
        product=product,
        actor=cast.supplier_owner.user,
        name="Azure",
        service="hosting",
        country="NL",
    )
    rel.products.add(product)
    rel.status = "active"
    rel.save()
    rapid = rapid_assessment_start(
        care_org=cast.hospital, actor=cast.ciso.user, fourth_party="Azure"
    )
    return {**world, "rapid": rapid, "product": product}


def _incident_with_file(cast) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from suppliers.incidents.services import incident_update

    world = _incident(cast)
    update = incident_update(
        incident=world["incident"],
        actor=cast.supplier_owner.user,
        kind="notification",
        text="Melding met rapport",
        file=SimpleUploadedFile("rapport.pdf", PDF, content_type="application/pdf"),
    )
    return {**world, "update": update}


def _appetite_form() -> dict:
    """The risk-appetite form filled with the defaults, the sum threshold for high lowered."""
    from suppliers.appetite import DEFAULT_APPETITE as d

    data = {f"sum_{t}": d["tier_rules"][t]["sum_gte"] for t in ("critical", "high", "medium")}
    data["sum_high"] = 6
    data.update({f"band_{b}": v for b, v in d["band_thresholds"].items()})
    for tier, row in d["matrix"].items():
        data.update({f"matrix_{tier}_{band}": cell for band, cell in row.items()})
    data.update({f"cadence_{t}": v for t, v in d["cadence_months"].items()})
    data.update({f"deadline_{t}": v for t, v in d["finding_deadlines"].items()})
    return data


def _document(cast) -> dict:
    from suppliers.documents import document_save

    doc = document_save(
        supplier=cast.supplier,
        actor=cast.supplier_owner.user,
        title="NEN 7510-certificaat",
        kind="nen7510",
        name="certificaat.pdf",
        data=PDF,
    )
    return {"document": doc}


def _sent_with_document(cast) -> dict:
    world = assessment_at(cast, "sent")
    world["assessment"].template.questions.update(evidence="optional")
    return {**world, **_document(cast)}


def _contract(cast) -> dict:
    from datetime import date

    from contracts.services import contract_save

    world = _relationship(cast)
    contract = contract_save(
        relationship=world["relationship"],
        actor=cast.procurement.user,
        reference="C-2026-01",
        title="SaaS-overeenkomst",
        start_date=date(2026, 1, 1),
        end_date=date(2028, 12, 31),
    )
    return {**world, "contract": contract}


def _contract_document(cast) -> dict:
    from contracts.services import contract_document_add

    world = _contract(cast)
    doc = contract_document_add(
        contract=world["contract"],
        kind="signed",
        name="getekend.pdf",
        data=PDF,
        actor=cast.procurement.user,
    )
    return {**world, "document": doc}


def _offered_certificate(cast) -> dict:
    from suppliers.models import SupplierDocument

    world = {**_relationship(cast), **_document(cast)}
    SupplierDocument.objects.filter(pk=world["document"].pk).update(offered=True)
    return world


def _checklist(cast) -> dict:
    from contracts.checklist import checklist_generate

    world = _relationship(cast)
    checklist_generate(relationship=world["relationship"], actor=cast.procurement.user)
    item = world["relationship"].checklist.order_by("clause__order").first()
    return {**world, "item": item}


def _report(cast) -> dict:
    from django.core.files.base import ContentFile

    from portal.top.reports.models import Report

    report = Report(organisation=cast.hospital, user=cast.ciso.user, kind="portfolio")
    report.file.save("r.pdf", ContentFile(PDF), save=False)
    report.status, report.progress, report.size = "done", 100, len(PDF)
    report.save()
    return {"report": report}


def _library_entry(cast) -> dict:
    from questionnaires.models import LibraryAnswer

    return {"entry": LibraryAnswer.objects.create(supplier=cast.supplier, code="A-01", value="yes")}


def _trust_profile(cast, status: str | None = "granted") -> dict:
    """The cast supplier's profile for its product, one library answer, the hospital's
    relationship with that supplier and (unless None) an access request in `status`."""
    from questionnaires.models import LibraryAnswer
    from questionnaires.services import template_import
    from questionnaires.sharing.models import ProfileAccess, TrustProfile

    world = {**_relationship(cast), **_product(cast)}
    LibraryAnswer.objects.create(
        supplier=cast.supplier, product=world["product"], code="A-01", value="yes"
    )
    world["template"] = template_import(data=MINI_TEMPLATE, publish=True)
    world["profile"] = TrustProfile.objects.create(supplier=cast.supplier, product=world["product"])
    if status:
        world["access"] = ProfileAccess.objects.create(
            profile=world["profile"], care_org=cast.hospital, status=status
        )
    return world


def _trust_profile_document(cast) -> dict:
    """`_trust_profile` (access granted) with the cast supplier's certificate included on
    request."""
    from questionnaires.sharing.models import ProfileDocument

    world = {**_trust_profile(cast), **_document(cast)}
    ProfileDocument.objects.create(
        profile=world["profile"], document=world["document"], visibility="on_request"
    )
    return world


def _webhook(cast) -> dict:
    """A hospital endpoint with one logged attempt (loopback: refused outside DEBUG, so the
    attempt fails quickly without a connection)."""
    from portal.core.webhooks.services import webhook_create, webhook_ping

    endpoint, _secret = webhook_create(
        organisation=cast.hospital,
        url="http://127.0.0.1:9/hook",
        events=["assessment.completed"],
        actor=cast.care_admin.user,
    )
    return {"endpoint": endpoint, "delivery": webhook_ping(endpoint=endpoint, actor=None)}


WEBHOOK_ADMINS = ("care_admin", "supplier_owner")


def _ciso_spreadsheet(cast) -> dict:
    """A workbook the CISO uploaded to the import wizard, with a mapping chosen."""
    import io

    from openpyxl import Workbook

    from questionnaires.spreadsheet_uploads import upload_set_mapping, upload_store

    wb = Workbook()
    wb.active.title = "Q"
    wb.active.append(["Nr", "Vraag"])
    wb.active.append(["A-1", "Heeft u MFA?"])
    out = io.BytesIO()
    wb.save(out)
    token = upload_store(membership=cast.ciso, name="q.xlsx", data=out.getvalue())
    upload_set_mapping(
        membership=cast.ciso,
        token=token,
        mapping={"sheet": "Q", "key": "access-q", "columns": {"code": "Nr", "text": "Vraag"}},
    )
    return {"token": token}


CARE_READERS = ("care_admin", "ciso", "procurement", "board", "viewer")
MANAGERS = ("care_admin", "ciso", "procurement")
BUILDERS = ("care_admin", "ciso")

ROUTES: list[Route] = [
    Route("home", allowed=ALL_MEMBERS),
    Route(
        "switch_organisation",
        method="post",
        allowed=("ciso",),
        data=lambda cast, world: {"membership": cast.ciso.pk},
        foreign=(
            "care_admin",
            "procurement",
            "board",
            "viewer",
            "supplier_owner",
            "respondent",
        ),
    ),
    Route("members", allowed=("care_admin", "ciso", "supplier_owner")),
    Route(
        "member_role",
        method="post",
        allowed=("care_admin",),
        setup=_viewer_membership,
        kwargs=lambda cast, world: {"pk": world["target"].pk},
        data=lambda cast, world: {"role": "board"},
        foreign=("supplier_owner", "respondent"),
    ),
    Route(
        "member_deactivate",
        allowed=("care_admin",),
        setup=_viewer_membership,
        kwargs=lambda cast, world: {"pk": world["target"].pk},
        foreign=("supplier_owner", "respondent"),
    ),
    Route(
        "member_erase",
        allowed=("supplier_owner",),
        setup=lambda cast: {"target": cast.respondent},
        kwargs=lambda cast, world: {"pk": world["target"].pk},
        foreign=CARE_READERS,
    ),
    Route(
        "organisation_export",
        allowed=("care_admin",),
        setup=lambda cast: {"org": cast.hospital},
        kwargs=lambda cast, world: {"slug": world["org"].slug},
        foreign=("supplier_owner", "respondent"),
    ),
    Route(
        "invitation_revoke",
        method="post",
        allowed=("care_admin",),
        setup=_invitation,
        kwargs=lambda cast, world: {"pk": world["invitation"].pk},
        foreign=("supplier_owner", "respondent"),
    ),
    Route(
        "invitation_accept",
        allowed=(),
        public=True,
        setup=_invitation,
        kwargs=lambda cast, world: {"token": world["token"]},
    ),
    Route("user_settings", allowed=ALL_MEMBERS),
    Route("remote_overview", allowed=("ciso",)),
    Route("portfolio", allowed=CARE_READERS),
    Route(
        "portfolio_list",
        allowed=CARE_READERS,
        kwargs=lambda cast, world: {"key": "relationships"},
        kwargs_are_objects=False,
    ),
    Route("pipeline", allowed=CARE_READERS),
    Route("api-dashboard", allowed=CARE_READERS, api=True),
    Route(
        "token_revoke",
        method="post",
        allowed=("ciso",),
        setup=_ciso_token,
        kwargs=lambda cast, world: {"pk": world["token"].pk},
        # A token is personal: colleagues in the same organisation get 404 as well.
        foreign=(
            "care_admin",
            "procurement",
            "board",
            "viewer",
            "supplier_owner",
            "respondent",
        ),
    ),
    Route("audit_log", allowed=("care_admin", "ciso", "supplier_owner")),
    Route("api-me", allowed=ALL_MEMBERS, api=True),
    Route("template-list", allowed=CARE_READERS, api=True),
    *[
        Route(
            name,
            allowed=CARE_READERS,
            api=True,
            setup=_own_template,
            kwargs=lambda cast, world: {"pk": world["template"].pk},
        )
        for name in ("template-detail", "template-sections", "template-questions")
    ],
    Route("api-schema", allowed=(), public=True, api=True),
    Route("healthz", allowed=(), public=True),
    Route("readyz", allowed=(), public=True),
    Route("supplier_list", allowed=CARE_READERS),
    Route("supplier_new", allowed=MANAGERS),
    Route("relationship_new", allowed=MANAGERS, ok=(200, 302), setup=_relationship),
    Route(
        "relationship_detail",
        allowed=CARE_READERS,
        setup=_relationship,
        kwargs=lambda cast, world: {"pk": world["relationship"].pk},
    ),
    Route(
        "relationship_intake",
        allowed=MANAGERS,
        setup=_relationship,
        kwargs=lambda cast, world: {"pk": world["relationship"].pk},
    ),
    Route("supplier-list", allowed=CARE_READERS, api=True),
    *[
        Route(
            name,
            allowed=CARE_READERS,
            api=True,
            # a supplier has no supplier list; another care organisation has no link: 404
            foreign=("other_care_admin", "other_care_ciso"),
            setup=_relationship,
            kwargs=lambda cast, world: {"pk": world["relationship"].supplier_id},
        )
        for name in ("supplier-detail", "supplier-products")
    ],
    Route("relationship-list", allowed=CARE_READERS, api=True),
    *[
        Route(
            name,
            allowed=CARE_READERS,
            api=True,
            setup=_relationship,
            kwargs=lambda cast, world: {"pk": world["relationship"].pk},
        )
        for name in ("relationship-detail", "relationship-risk")
    ],
    Route("assessment-list", allowed=ALL_MEMBERS, api=True),
    *[
        Route(
            name,
            allowed=ALL_MEMBERS,
            api=True,
            setup=lambda cast: assessment_at(cast, "sent"),
            kwargs=lambda cast, world: {"pk": world["assessment"].pk},
        )
        for name in ("assessment-detail", "assessment-questions")
    ],
    Route(
        "assessment-send",
        method="post",
        allowed=MANAGERS,
        api=True,
        setup=lambda cast: assessment_at(cast, "draft"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk},
        foreign=("supplier_owner", "respondent"),  # a draft is not visible to the supplier
    ),
    Route(
        "assessment-answer",
        method="put",
        allowed=("supplier_owner", "respondent"),
        api=True,
        setup=lambda cast: assessment_at(cast, "sent"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk, "code": "A-01"},
        data=lambda cast, world: {"value": "yes"},
    ),
    Route(
        "assessment-submit",
        method="post",
        allowed=("supplier_owner",),
        api=True,
        setup=lambda cast: assessment_at(cast, "in_progress"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk},
    ),
    Route(
        "assessment-review",
        method="post",
        allowed=("care_admin", "ciso"),
        api=True,
        setup=lambda cast: assessment_at(cast, "submitted"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk, "code": "A-01"},
        data=lambda cast, world: {"verdict": "accepted"},
    ),
    Route(
        "assessment-request-clarification",
        method="post",
        allowed=("care_admin", "ciso"),
        api=True,
        setup=lambda cast: assessment_at(cast, "in_review"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk},
    ),
    Route(
        "assessment-complete",
        method="post",
        allowed=("care_admin", "ciso"),
        api=True,
        setup=lambda cast: assessment_at(cast, "submitted"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk},
    ),
    Route(
        "assessment_send",
        allowed=MANAGERS,
        setup=_relationship,
        kwargs=lambda cast, world: {"pk": world["relationship"].pk},
    ),
    Route("assessment_list", allowed=ALL_MEMBERS),
    Route(
        "assessment_bulk_send",
        method="post",
        allowed=MANAGERS,
        setup=_relationship,
        data=lambda cast, world: {"relationships": [world["relationship"].pk]},
    ),
    Route(
        "job_detail",
        allowed=("ciso",),
        setup=lambda cast: _job(cast),
        kwargs=lambda cast, world: {"pk": world["job"].pk},
        # A job is personal: colleagues get 404 as well.
        foreign=("care_admin", "procurement", "board", "viewer", "supplier_owner", "respondent"),
    ),
    Route(
        "assessment_detail",
        allowed=ALL_MEMBERS,
        setup=lambda cast: assessment_at(cast, "sent"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk},
    ),
    Route(
        "assessment_answer_save",
        method="post",
        allowed=("supplier_owner", "respondent"),
        setup=lambda cast: assessment_at(cast, "sent"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk, "code": "A-01"},
        data=lambda cast, world: {"value": "yes", "version": 0},
    ),
    Route(
        "assessment_evidence_upload",
        method="post",
        allowed=("supplier_owner", "respondent"),
        setup=lambda cast: assessment_at(cast, "sent"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk, "code": "A-01"},
    ),
    Route(
        "evidence_download",
        allowed=ALL_MEMBERS,
        setup=lambda cast: _with_evidence(cast),
        kwargs=lambda cast, world: {"pk": world["evidence"].pk},
    ),
    Route(
        "assessment-evidence",
        method="post",
        allowed=("supplier_owner", "respondent"),
        api=True,
        multipart=True,
        setup=lambda cast: _with_evidence(cast),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk, "code": "A-01"},
        data=lambda cast, world: {"file": _pdf_upload()},
    ),
    Route(
        "assessment_submit",
        method="post",
        allowed=("supplier_owner",),
        setup=lambda cast: assessment_at(cast, "in_progress"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk},
    ),
    Route(
        "assessment_answer_review",
        method="post",
        allowed=("care_admin", "ciso"),
        setup=lambda cast: assessment_at(cast, "submitted"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk, "code": "A-01"},
        data=lambda cast, world: {"verdict": "accepted"},
    ),
    *[
        Route(
            name,
            method="post",
            allowed=("care_admin", "ciso"),
            setup=lambda cast, stage=stage: assessment_at(cast, stage),
            kwargs=lambda cast, world: {"pk": world["assessment"].pk},
        )
        for name, stage in (
            ("assessment_clarify", "in_review"),
            ("assessment_complete", "submitted"),
        )
    ],
    Route(
        "relationship-findings-list",
        allowed=CARE_READERS,
        api=True,
        setup=_relationship,
        kwargs=lambda cast, world: {"relationship_pk": world["relationship"].pk},
    ),
    Route(
        "assessment_answer_message",
        method="post",
        allowed=ALL_MEMBERS,
        setup=lambda cast: assessment_at(cast, "submitted"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk, "code": "A-01"},
        data=lambda cast, world: {"body": "Graag toelichting"},
    ),
    Route(
        "assessment_answer_message",
        allowed=ALL_MEMBERS,
        setup=lambda cast: assessment_at(cast, "submitted"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk, "code": "A-01"},
    ),
    Route(
        "assessment_history",
        allowed=CARE_READERS,
        setup=lambda cast: assessment_at(cast, "submitted"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk},
    ),
    Route(
        "assessment_xlsx_download",
        allowed=("supplier_owner", "respondent"),
        setup=lambda cast: assessment_at(cast, "sent"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk},
    ),
    Route(
        "assessment_xlsx_upload",
        method="post",
        allowed=("supplier_owner", "respondent"),
        setup=lambda cast: assessment_at(cast, "sent"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk},
    ),
    Route("answer_library", allowed=("supplier_owner",)),
    Route("trust_profiles", allowed=(*CARE_READERS, "supplier_owner")),
    Route(
        "trust_profile_publish",
        method="post",
        allowed=("supplier_owner",),
        setup=lambda cast: _product(cast),
        data=lambda cast, world: {"product": world["product"].pk, "visibility": "summary"},
    ),
    Route(
        "trust_profile_detail",
        allowed=(*CARE_READERS, "supplier_owner"),
        # Open to every care organisation (the summary); another supplier: 404 (sharing tests).
        kwargs_are_objects=False,
        setup=_trust_profile,
        kwargs=lambda cast, world: {"pk": world["profile"].pk},
    ),
    Route(
        "trust_profile_request",
        method="post",
        allowed=MANAGERS,
        kwargs_are_objects=False,
        setup=lambda cast: _trust_profile(cast, status=None),
        kwargs=lambda cast, world: {"pk": world["profile"].pk},
        data=lambda cast, world: {"message": "Graag"},
    ),
    Route(
        "trust_profile_assess",
        method="post",
        allowed=MANAGERS,
        setup=_trust_profile,
        kwargs=lambda cast, world: {"pk": world["profile"].pk},
        data=lambda cast, world: {
            "relationship": world["relationship"].pk,
            "template": world["template"].pk,
        },
    ),
    Route(
        "trust_profile_items",
        method="post",
        allowed=("supplier_owner",),
        setup=_trust_profile,
        kwargs=lambda cast, world: {"pk": world["profile"].pk},
        data=lambda cast, world: {"answer:A-01": "summary"},
    ),
    Route(
        "trust_profile_document",
        allowed=(*CARE_READERS, "supplier_owner"),
        # Another care organisation (no access) and another supplier: 404.
        setup=_trust_profile_document,
        kwargs=lambda cast, world: {"pk": world["profile"].pk, "document": world["document"].pk},
    ),
    Route(
        "trust_profile_decide",
        method="post",
        allowed=("supplier_owner",),
        setup=lambda cast: _trust_profile(cast, status="requested"),
        kwargs=lambda cast, world: {"pk": world["access"].pk, "decision": "grant"},
    ),
    Route("trust-profile-list", allowed=(*CARE_READERS, "supplier_owner"), api=True),
    Route(
        "trust-profile-request-access",
        method="post",
        allowed=MANAGERS,
        api=True,
        # The directory is open to every care organisation by design (DESIGN §14): another
        # care organisation may ask too; another supplier gets 404 (tested in the sharing tests).
        kwargs_are_objects=False,
        setup=lambda cast: _trust_profile(cast, status=None),
        kwargs=lambda cast, world: {"pk": world["profile"].pk},
        data=lambda cast, world: {"message": "Graag inzage"},
    ),
    Route(
        "trust-profile-answers",
        allowed=(*CARE_READERS, "supplier_owner"),
        api=True,
        # A care organisation without access gets 403 (API.md), tested in the sharing tests.
        kwargs_are_objects=False,
        setup=_trust_profile,
        kwargs=lambda cast, world: {"pk": world["profile"].pk},
    ),
    Route(
        "trust-profile-detail",
        allowed=(*CARE_READERS, "supplier_owner"),
        api=True,
        # Every care organisation sees the summary (DESIGN §14); another supplier gets 404.
        kwargs_are_objects=False,
        setup=_trust_profile,
        kwargs=lambda cast, world: {"pk": world["profile"].pk},
    ),
    Route(
        "trust-profile-items",
        method="post",
        allowed=("supplier_owner",),
        api=True,
        setup=_trust_profile,
        kwargs=lambda cast, world: {"pk": world["profile"].pk},
        data=lambda cast, world: {"answers": {"A-01": "summary"}},
    ),
    Route(
        "trust-profile-document",
        allowed=(*CARE_READERS, "supplier_owner"),
        api=True,
        setup=_trust_profile_document,
        kwargs=lambda cast, world: {"pk": world["profile"].pk, "document": world["document"].pk},
    ),
    Route("access-request-list", allowed=("supplier_owner",), api=True),
    *[
        Route(
            name,
            method="post",
            allowed=("supplier_owner",),
            api=True,
            setup=lambda cast, st=st: _trust_profile(cast, status=st),
            kwargs=lambda cast, world: {"pk": world["access"].pk},
        )
        for name, st in (
            ("access-request-grant", "requested"),
            ("access-request-deny", "requested"),
            ("access-request-revoke", "granted"),
        )
    ],
    Route(
        "api-assessment-from-profile",
        method="post",
        allowed=MANAGERS,
        api=True,
        setup=_trust_profile,
        data=lambda cast, world: {
            "relationship": world["relationship"].pk,
            "profile": world["profile"].pk,
            "template": world["template"].pk,
        },
    ),
    Route("product_list", allowed=("supplier_owner",)),
    Route(
        "subprocessor_add",
        method="post",
        allowed=("supplier_owner",),
        setup=lambda cast: _product(cast),
        kwargs=lambda cast, world: {"pk": world["product"].pk},
        data=lambda cast, world: {"name": "Wolk", "service": "hosting", "country": "NL"},
    ),
    Route(
        "relationship_products",
        method="post",
        allowed=MANAGERS,
        setup=lambda cast: {**_relationship(cast), **_product(cast)},
        kwargs=lambda cast, world: {"pk": world["relationship"].pk},
        data=lambda cast, world: {"products": [world["product"].pk]},
    ),
    Route(
        "answer_library_delete",
        method="post",
        allowed=("supplier_owner",),
        setup=lambda cast: _library_entry(cast),
        kwargs=lambda cast, world: {"pk": world["entry"].pk},
    ),
    Route(
        "finding-decision",
        method="post",
        allowed=("care_admin", "ciso"),
        api=True,
        setup=lambda cast: _finding(cast),
        kwargs=lambda cast, world: {"pk": world["finding"].pk},
        data=lambda cast, world: {
            "motivation": "Compenserende maatregel",
            "expires_on": _next_year(),
        },
    ),
    Route(
        "assessment_assign",
        allowed=("supplier_owner", "respondent"),
        setup=lambda cast: assessment_at(cast, "sent"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk},
        query="?target=question:A-01",  # the form of one question, loaded when opened
    ),
    Route(
        "assessment_assign",
        method="post",
        allowed=("supplier_owner", "respondent"),
        setup=lambda cast: assessment_at(cast, "sent"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk},
        data=lambda cast, world: {"target": "question:A-01", "assignee": cast.respondent.user.pk},
    ),
    Route(
        "assessment-assignments",
        allowed=("supplier_owner", "respondent"),
        api=True,
        setup=lambda cast: assessment_at(cast, "sent"),
        kwargs=lambda cast, world: {"pk": world["assessment"].pk},
    ),
    Route("document_list", allowed=("supplier_owner", "respondent")),
    Route(
        "document_edit",
        allowed=("supplier_owner",),
        setup=_document,
        kwargs=lambda cast, world: {"pk": world["document"].pk},
    ),
    Route(
        "document_download",
        allowed=("supplier_owner", "respondent"),
        setup=_document,
        kwargs=lambda cast, world: {"pk": world["document"].pk},
    ),
    Route(
        "document_delete",
        method="post",
        allowed=("supplier_owner",),
        setup=_document,
        kwargs=lambda cast, world: {"pk": world["document"].pk},
    ),
    Route(
        "assessment_evidence_pick",
        method="post",
        allowed=("supplier_owner", "respondent"),
        setup=_sent_with_document,
        kwargs=lambda cast, world: {"pk": world["assessment"].pk, "code": "A-01"},
        data=lambda cast, world: {"document": world["document"].pk},
    ),
    Route(
        "contract_list",
        allowed=CARE_READERS,
        setup=_relationship,
        kwargs=lambda cast, world: {"pk": world["relationship"].pk},
    ),
    Route(
        "contract_edit",
        allowed=MANAGERS,
        setup=_contract,
        kwargs=lambda cast, world: {"pk": world["contract"].pk},
    ),
    Route(
        "contract_renew",
        method="post",
        allowed=MANAGERS,
        setup=_contract,
        kwargs=lambda cast, world: {"pk": world["contract"].pk},
    ),
    Route(
        "contract_document_upload",
        method="post",
        allowed=MANAGERS,
        setup=_contract,
        kwargs=lambda cast, world: {"pk": world["contract"].pk},
        data=lambda cast, world: {"kind": "signed", "file": _pdf_upload()},
        multipart=True,
    ),
    Route(
        "contract_document_download",
        allowed=CARE_READERS,
        setup=_contract_document,
        kwargs=lambda cast, world: {"pk": world["document"].pk},
    ),
    Route(
        "certificate_review",
        method="post",
        allowed=MANAGERS,
        setup=_offered_certificate,
        kwargs=lambda cast, world: {
            "pk": world["relationship"].pk,
            "document": world["document"].pk,
        },
        data=lambda cast, world: {"verdict": "covers"},
    ),
    Route(
        "certificate_download",
        allowed=CARE_READERS,
        setup=_offered_certificate,
        kwargs=lambda cast, world: {
            "pk": world["relationship"].pk,
            "document": world["document"].pk,
        },
    ),
    *[
        Route(
            name,
            allowed=CARE_READERS,
            setup=_checklist,
            kwargs=lambda cast, world: {"pk": world["relationship"].pk},
        )
        for name in ("checklist", "checklist_xlsx", "checklist_pdf")
    ],
    Route(
        "checklist_regenerate",
        method="post",
        allowed=MANAGERS,
        setup=_relationship,
        kwargs=lambda cast, world: {"pk": world["relationship"].pk},
    ),
    Route(
        "checklist_item_edit",
        allowed=MANAGERS,
        setup=_checklist,
        kwargs=lambda cast, world: {"pk": world["relationship"].pk, "item": world["item"].pk},
    ),
    Route(
        "checklist_item",
        method="post",
        allowed=MANAGERS,
        setup=_checklist,
        kwargs=lambda cast, world: {"pk": world["relationship"].pk, "item": world["item"].pk},
        data=lambda cast, world: {f"c{world['item'].pk}-status": "negotiating"},
    ),
    Route("clause_library", allowed=CARE_READERS),
    Route(
        "relationship-clauses-list",
        allowed=CARE_READERS,
        api=True,
        setup=_checklist,
        kwargs=lambda cast, world: {"relationship_pk": world["relationship"].pk},
    ),
    Route(
        "relationship-clauses-detail",
        method="patch",
        allowed=MANAGERS,
        api=True,
        setup=_checklist,
        kwargs=lambda cast, world: {
            "relationship_pk": world["relationship"].pk,
            "code": world["item"].clause.code,
        },
        data=lambda cast, world: {"status": "negotiating"},
    ),
    *[
        Route(
            name,
            allowed=CARE_READERS,
            api=name.startswith("relationship-"),
            setup=lambda cast: _finding(cast),  # completion draws up the exit note
            kwargs=lambda cast, world: {"pk": world["relationship"].pk},
        )
        for name in (
            "exit_note",
            "exit_note_versions",
            "exit_note_pdf",
            "relationship-exit-note",
        )
    ],
    *[
        Route(
            name,
            method="post",
            allowed=MANAGERS,
            setup=lambda cast: _finding(cast),
            kwargs=lambda cast, world: {"pk": world["relationship"].pk},
            data=data,
        )
        for name, data in (
            ("exit_note_generate", lambda c, w: {}),
            ("exit_note_new_version", lambda c, w: {}),
            (
                "exit_test_add",
                lambda c, w: {
                    "tested_on": "2026-06-01",
                    "kind": "tabletop",
                    "outcome": "passed",
                    "participants": "CISO, inkoop",
                },
            ),
        )
    ],
    *[
        Route(
            name,
            method="post",
            allowed=MANAGERS,
            setup=lambda cast: _finding(cast),
            kwargs=lambda cast, world: {"pk": world["relationship"].pk, "key": "scope"},
            data=lambda cast, world: {"body": "Nieuwe tekst", "accept": "1"},
        )
        for name in ("exit_section_save", "exit_proposal")
    ],
    Route(
        "exit_note_approve",
        method="post",
        allowed=("care_admin", "ciso", "board"),
        setup=lambda cast: _finding(cast),
        kwargs=lambda cast, world: {"pk": world["relationship"].pk},
    ),
    Route("report_list", allowed=CARE_READERS),
    Route(
        "report_new", method="post", allowed=CARE_READERS, data=lambda c, w: {"kind": "portfolio"}
    ),
    Route(
        "report-request",
        method="post",
        allowed=CARE_READERS,
        api=True,
        ok=(202,),
        setup=_checklist,
        kwargs=lambda cast, world: {"kind": "clauses"},
        data=lambda cast, world: {"relationship": world["relationship"].pk},
    ),
    Route(
        "report-detail",
        allowed=("ciso",),
        api=True,
        setup=_report,
        kwargs=lambda cast, world: {"kind": world["report"].kind, "pk": world["report"].pk},
        # A report's status is personal: colleagues get 404 as well.
        foreign=("care_admin", "procurement", "board", "viewer", "supplier_owner", "respondent"),
    ),
    # The PDF (the browser's link and the API's download_url) answers the organisation
    # (API.md): colleagues too; a supplier has no reports (403 or 404), other organisations 404.
    Route(
        "report_download",
        allowed=CARE_READERS,
        setup=_report,
        kwargs=lambda cast, world: {"pk": world["report"].pk},
        foreign=("supplier_owner", "respondent"),
    ),
    Route(
        "report-file",
        allowed=CARE_READERS,
        api=True,
        setup=_report,
        kwargs=lambda cast, world: {"kind": world["report"].kind, "pk": world["report"].pk},
        foreign=("supplier_owner", "respondent"),
    ),
    Route("finding-list", allowed=ALL_MEMBERS, api=True),
    Route(
        "finding-detail",
        allowed=ALL_MEMBERS,
        api=True,
        setup=lambda cast: _finding(cast),
        kwargs=lambda cast, world: {"pk": world["finding"].pk},
    ),
    *[
        Route(
            name,
            method="post",
            allowed=("supplier_owner", "respondent"),
            api=True,
            setup=lambda cast: _finding(cast),
            kwargs=lambda cast, world: {"pk": world["finding"].pk},
            data=data,
        )
        for name, data in (
            ("finding-plan", lambda c, w: {"plan": "MFA in Q1", "planned_date": _next_year()}),
            ("finding-progress", lambda c, w: {"text": "Pilot gestart"}),
        )
    ],
    *[
        Route(
            name,
            method="post",
            allowed=("care_admin", "ciso"),
            api=True,
            setup=lambda cast: _finding(cast),
            kwargs=lambda cast, world: {"pk": world["finding"].pk},
            data=lambda cast, world: {"text": "Gecontroleerd in de audit"},
        )
        for name in ("finding-resolve", "finding-withdraw", "finding-comment")
    ],
    Route(
        "relationship-decision",
        method="post",
        allowed=("care_admin", "ciso"),
        api=True,
        setup=_relationship,
        kwargs=lambda cast, world: {"pk": world["relationship"].pk},
        data=lambda cast, world: {"motivation": "Vervanging loopt", "expires_on": _next_year()},
    ),
    Route("finding_list", allowed=ALL_MEMBERS),
    Route(
        "finding_detail",
        allowed=ALL_MEMBERS,
        setup=lambda cast: _finding(cast),
        kwargs=lambda cast, world: {"pk": world["finding"].pk},
    ),
    Route(
        "finding_respond",
        method="post",
        allowed=("supplier_owner", "respondent"),
        setup=lambda cast: _finding(cast),
        kwargs=lambda cast, world: {"pk": world["finding"].pk},
        data=lambda cast, world: {"kind": "plan", "text": "MFA", "planned_date": _next_year()},
    ),
    Route(
        "finding_close",
        method="post",
        allowed=("care_admin", "ciso"),
        setup=lambda cast: _finding(cast),
        kwargs=lambda cast, world: {"pk": world["finding"].pk},
        data=lambda cast, world: {"action": "resolve", "text": "Gecontroleerd"},
    ),
    Route(
        "decision_propose_residual",
        method="post",
        allowed=("care_admin", "ciso"),
        setup=_relationship,
        kwargs=lambda cast, world: {"pk": world["relationship"].pk},
        data=lambda cast, world: {"motivation": "Vervanging loopt", "expires_on": _next_year()},
    ),
    Route(
        "relationship_risk",
        allowed=CARE_READERS,
        setup=_relationship,
        kwargs=lambda cast, world: {"pk": world["relationship"].pk},
    ),
    Route("risk_appetite", allowed=CARE_READERS),
    Route(
        "risk_appetite_save",
        method="post",
        allowed=("care_admin", "ciso"),
        setup=_relationship,
        data=lambda cast, world: _appetite_form(),
    ),
    Route("reassessment_list", allowed=CARE_READERS, setup=_relationship),
    Route("fourth_parties", allowed=CARE_READERS, setup=_relationship),
    Route("decision-list", allowed=CARE_READERS, api=True),
    Route("decision_register", allowed=CARE_READERS),
    Route("decision_register_xlsx", allowed=CARE_READERS),
    Route(
        "decision_propose",
        method="post",
        allowed=("care_admin", "ciso"),
        setup=lambda cast: _finding(cast),
        kwargs=lambda cast, world: {"pk": world["finding"].pk},
        data=lambda cast, world: {"motivation": "Tijdelijk", "expires_on": _next_year()},
    ),
    Route(
        "decision_decide",
        method="post",
        allowed=("board",),
        setup=lambda cast: _decision(cast),
        kwargs=lambda cast, world: {"pk": world["decision"].pk},
        data=lambda cast, world: {"approve": "1"},
    ),
    Route(
        "decision-detail",
        allowed=CARE_READERS,
        api=True,
        setup=lambda cast: _decision(cast),
        kwargs=lambda cast, world: {"pk": world["decision"].pk},
    ),
    *[
        Route(
            name,
            method="post",
            allowed=("board",),
            api=True,
            setup=lambda cast: _decision(cast),
            kwargs=lambda cast, world: {"pk": world["decision"].pk},
            data=lambda cast, world: {"comment": "Akkoord, tijdelijk"},
        )
        for name in ("decision-approve", "decision-reject")
    ],
    Route("notification_list", allowed=ALL_MEMBERS),
    Route("notification_read_all", method="post", allowed=ALL_MEMBERS),
    Route("notification_settings", allowed=ALL_MEMBERS),
    Route("notification_settings", method="post", allowed=ALL_MEMBERS),
    Route("notification-list", allowed=ALL_MEMBERS, api=True),
    Route("incident_list", allowed=ALL_MEMBERS),
    Route("incident_report", allowed=("supplier_owner", "respondent")),
    *[
        Route(
            name,
            method=method,
            allowed=allowed,
            foreign=("other_care_admin", "other_care_ciso", "other_supplier_owner"),
            setup=lambda cast: _incident(cast),
            kwargs=kw,
            data=data,
        )
        for name, method, allowed, kw, data in (
            (
                "incident_detail",
                "get",
                CARE_READERS + ("supplier_owner", "respondent"),
                lambda cast, w: {"pk": w["incident"].pk},
                lambda cast, w: {},
            ),
            (
                "incident_add_update",
                "post",
                ("supplier_owner", "respondent"),
                lambda cast, w: {"pk": w["incident"].pk},
                lambda cast, w: {"kind": "update", "text": "Herstel loopt"},
            ),
            (
                "incident_acknowledge",
                "post",
                ("care_admin", "ciso"),
                lambda cast, w: {"pk": w["incident"].pk},
                lambda cast, w: {},
            ),
            (
                "incident_impact",
                "post",
                ("care_admin", "ciso"),
                lambda cast, w: {"pk": w["incident"].pk},
                lambda cast, w: {"affected": "yes"},
            ),
            (
                "incident_duty",
                "post",
                ("care_admin", "ciso"),
                lambda cast, w: {"pk": w["incident"].pk, "duty_pk": w["duty"].pk},
                lambda cast, w: {"action": "done"},
            ),
            (
                "incident_raise_finding",
                "post",
                ("care_admin", "ciso"),
                lambda cast, w: {"pk": w["incident"].pk, "relationship_pk": w["relationship"].pk},
                lambda cast, w: {"severity": "high"},
            ),
            (
                "incident_mark_due",
                "post",
                ("care_admin", "ciso"),
                lambda cast, w: {"pk": w["incident"].pk, "relationship_pk": w["relationship"].pk},
                lambda cast, w: {},
            ),
        )
    ],
    Route(
        "incident_download",
        allowed=CARE_READERS + ("supplier_owner", "respondent"),
        foreign=("other_care_admin", "other_care_ciso", "other_supplier_owner"),
        setup=lambda cast: _incident_with_file(cast),
        kwargs=lambda cast, w: {"pk": w["incident"].pk, "update_pk": w["update"].pk},
    ),
    Route("incident-list", allowed=ALL_MEMBERS, api=True),
    Route("rapid_list", allowed=CARE_READERS),
    Route(
        "rapid_start",
        method="post",
        allowed=("care_admin", "ciso"),
        setup=lambda cast: _rapid(cast),
        data=lambda cast, w: {"pick": "fourth_party", "fourth_party": "Azure"},
    ),
    Route(
        "rapid_preview",
        allowed=("care_admin", "ciso"),
        setup=lambda cast: _rapid(cast),
        query="?fourth_party=Azure",
    ),
    Route(
        "rapid-assessment-preview",
        allowed=("care_admin", "ciso"),
        setup=lambda cast: _rapid(cast),
        query="?fourth_party=Azure",
        api=True,
    ),
    *[
        Route(
            name,
            allowed=CARE_READERS,
            foreign=("other_care_admin", "other_care_ciso"),
            setup=lambda cast: _rapid(cast),
            kwargs=lambda cast, w: {"pk": w["rapid"].pk},
            api=api,
        )
        for name, api in (
            ("rapid_detail", False),
            ("rapid_export", False),
            ("rapid_summary", False),
            ("rapid-assessment-detail", True),
        )
    ],
    Route(
        "rapid-assessment-list",
        method="post",
        allowed=("care_admin", "ciso"),
        setup=lambda cast: _rapid(cast),
        data=lambda cast, w: {"fourth_party": "Azure"},
        api=True,
        ok=(202,),
    ),
    *[
        Route(
            name,
            method=method,
            api=True,
            allowed=allowed,
            foreign=("other_care_admin", "other_care_ciso", "other_supplier_owner"),
            setup=lambda cast: _incident(cast),
            kwargs=lambda cast, w: {"pk": w["incident"].pk},
            data=data,
        )
        for name, method, allowed, data in (
            (
                "incident-detail",
                "get",
                CARE_READERS + ("supplier_owner", "respondent"),
                lambda cast, w: {},
            ),
            (
                "incident-updates",
                "post",
                ("supplier_owner", "respondent"),
                lambda cast, w: {"stage": "update", "text": "Herstel loopt"},
            ),
            ("incident-acknowledge", "post", ("care_admin", "ciso"), lambda cast, w: {}),
            (
                "incident-impact",
                "patch",
                ("care_admin", "ciso"),
                lambda cast, w: {"affected": "no"},
            ),
        )
    ],
    Route(
        "notification-read",
        method="post",
        api=True,
        allowed=("ciso",),
        foreign=tuple(m for m in ALL_MEMBERS if m != "ciso")
        + ("other_care_admin", "other_care_ciso", "other_supplier_owner"),
        setup=lambda cast: _notification(cast),
        kwargs=lambda cast, world: {"pk": world["notification"].pk},
    ),
    Route("webhook_list", allowed=WEBHOOK_ADMINS),
    Route(
        "webhook_list",
        method="post",
        allowed=WEBHOOK_ADMINS,
        data=lambda cast, world: {
            "url": "https://hooks.example.com/in",
            "events": ["assessment.completed"],
        },
    ),
    Route("webhook-list", allowed=WEBHOOK_ADMINS, api=True),
    Route(
        "webhook-list",
        method="post",
        allowed=WEBHOOK_ADMINS,
        api=True,
        data=lambda cast, world: {
            "url": "https://hooks.example.com/in",
            "events": ["assessment.completed"],
        },
    ),
    *[
        Route(
            name,
            method=method,
            allowed=("care_admin",),
            api=api,
            setup=_webhook,
            kwargs=lambda cast, world: {"pk": world["endpoint"].pk},
            data=lambda cast, world: {"description": "SIEM"},
            foreign=("supplier_owner",),
            ok=(200, 202, 204, 302),
        )
        for name, method, api in (
            ("webhook_detail", "get", False),
            ("webhook_detail", "post", False),
            ("webhook_delete", "get", False),
            ("webhook_delete", "post", False),
            ("webhook_ping", "post", False),
            ("webhook-detail", "get", True),
            ("webhook-detail", "patch", True),
            ("webhook-detail", "delete", True),
            ("webhook-deliveries", "get", True),
            ("webhook-ping", "post", True),
        )
    ],
    *[
        Route(
            name,
            method="post",
            allowed=("care_admin",),
            api=api,
            setup=_webhook,
            kwargs=lambda cast, world: {
                "pk": world["endpoint"].pk,
                "delivery_pk": world["delivery"].pk,
            },
            foreign=("supplier_owner",),
            ok=(202, 302),
        )
        for name, api in (("webhook_redeliver", False), ("webhook-redeliver", True))
    ],
    Route("questionnaire_list", allowed=CARE_READERS),
    Route("questionnaire_new", allowed=BUILDERS),
    Route(
        "questionnaire_builder",
        allowed=BUILDERS,
        setup=_own_template,
        kwargs=lambda cast, world: {"pk": world["template"].pk},
    ),
    Route(
        "questionnaire_section_add",
        allowed=BUILDERS,
        setup=_own_template,
        kwargs=lambda cast, world: {"pk": world["template"].pk},
    ),
    *[
        Route(
            name,
            allowed=BUILDERS,
            setup=_own_template,
            kwargs=lambda cast, world: {
                "pk": world["template"].pk,
                "section_pk": world["template"].sections.first().pk,
            },
        )
        for name in (
            "questionnaire_section_edit",
            "questionnaire_section_delete",
            "questionnaire_question_add",
        )
    ],
    Route(
        "questionnaire_question_edit",
        allowed=BUILDERS,
        setup=_own_template,
        kwargs=lambda cast, world: {
            "pk": world["template"].pk,
            "section_pk": world["template"].sections.first().pk,
            "question_pk": world["template"].sections.first().questions.first().pk,
        },
    ),
    Route(
        "questionnaire_question_delete",
        allowed=BUILDERS,
        setup=_own_template,
        kwargs=lambda cast, world: {
            "pk": world["template"].pk,
            "question_pk": world["template"].questions.first().pk,
        },
    ),
    Route(
        "questionnaire_move",
        method="post",
        allowed=BUILDERS,
        setup=_own_template,
        kwargs=lambda cast, world: {
            "pk": world["template"].pk,
            "kind": "question",
            "item_pk": world["template"].questions.first().pk,
            "direction": "down",
        },
    ),
    Route("questionnaire_upload", allowed=BUILDERS),
    Route("questionnaire_xlsx", allowed=BUILDERS),
    # A wizard upload is personal: colleagues in the same organisation get 404 as well.
    *[
        Route(
            name,
            method=method,
            allowed=("ciso",),
            setup=_ciso_spreadsheet,
            kwargs=lambda cast, world: {"token": world["token"]},
            foreign=(
                "care_admin",
                "procurement",
                "board",
                "viewer",
                "supplier_owner",
                "respondent",
            ),
        )
        for name, method in (
            ("questionnaire_xlsx_mapping", "get"),
            ("questionnaire_xlsx_confirm", "get"),
            ("questionnaire_xlsx_discard", "post"),
        )
    ],
    *[
        Route(
            name,
            allowed=CARE_READERS,
            setup=_own_template,
            kwargs=lambda cast, world: {"pk": world["template"].pk},
        )
        for name in ("questionnaire_detail", "questionnaire_preview", "questionnaire_export")
    ],
    *[
        Route(
            name,
            method="post",
            allowed=BUILDERS,
            setup=_own_template,
            kwargs=lambda cast, world: {"pk": world["template"].pk},
        )
        for name in ("questionnaire_publish", "questionnaire_new_version", "questionnaire_retire")
    ],
    Route("api-docs", allowed=(), public=True, api=True),
]

# Members of the other organisations in the cast: for object routes they must get 404.
OUTSIDERS = ("other_care_admin", "other_care_ciso", "other_supplier_owner")


def project_route_names() -> set[str]:
    """Every named route in the URL configuration, with namespaces, minus third-party ones."""
    names: set[str] = set()

    def walk(patterns, namespace: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}{p.namespace}:"
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    return {n for n in names if not n.startswith(EXEMPT_PREFIXES)}


# -- API parity (issue 17 §2): what the pages above can do, through the API --------------------

SUPPLIER_MEMBERS = ("supplier_owner", "respondent")
PERSONAL = ("care_admin", "procurement", "board", "viewer", "supplier_owner", "respondent")


def _api(name, allowed, *, method="get", setup=None, kwargs=None, data=None, **extra) -> Route:
    return Route(
        name,
        method=method,
        allowed=allowed,
        api=True,
        setup=setup or (lambda cast: {}),
        kwargs=kwargs or (lambda cast, world: {}),
        data=data or (lambda cast, world: {}),
        **extra,
    )


def _pk(key):
    return lambda cast, world: {"pk": world[key].pk}


def _rel_pk(cast, world):
    return {"relationship_pk": world["relationship"].pk}


ROUTES += [
    _api("product-list", SUPPLIER_MEMBERS),
    _api(
        "product-list",
        ("supplier_owner",),
        method="post",
        data=lambda cast, world: {"name": "Zorgportaal", "supplier_types": ["cloud"]},
    ),
    _api("product-detail", SUPPLIER_MEMBERS, setup=_product, kwargs=_pk("product")),
    _api(
        "product-detail",
        ("supplier_owner",),
        method="patch",
        setup=_product,
        kwargs=_pk("product"),
        data=lambda cast, world: {"description": "Het portaal"},
    ),
    _api("product-fourth-parties", SUPPLIER_MEMBERS, setup=_product, kwargs=_pk("product")),
    _api(
        "product-fourth-parties",
        ("supplier_owner",),
        method="post",
        setup=_product,
        kwargs=_pk("product"),
        data=lambda cast, world: {"name": "Wolk", "service": "hosting", "country": "NL"},
    ),
    _api("document-list", SUPPLIER_MEMBERS),
    _api(
        "document-list",
        ("supplier_owner",),
        method="post",
        data=lambda cast, world: {"title": "NEN 7510", "kind": "nen7510", "file": _pdf_upload()},
        multipart=True,
    ),
    _api("document-detail", SUPPLIER_MEMBERS, setup=_document, kwargs=_pk("document")),
    _api(
        "document-detail",
        ("supplier_owner",),
        method="patch",
        setup=_document,
        kwargs=_pk("document"),
        data=lambda cast, world: {"offered": True},
    ),
    _api(
        "document-detail",
        ("supplier_owner",),
        method="delete",
        setup=_document,
        kwargs=_pk("document"),
        ok=(204,),
    ),
    _api("document-download", SUPPLIER_MEMBERS, setup=_document, kwargs=_pk("document")),
    _api("relationship-contracts-list", CARE_READERS, setup=_relationship, kwargs=_rel_pk),
    _api(
        "relationship-contracts-list",
        MANAGERS,
        method="post",
        setup=_relationship,
        kwargs=_rel_pk,
        data=lambda cast, world: {"reference": "C-9", "title": "SaaS", "start_date": "2026-01-01"},
    ),
    _api("contract-detail", CARE_READERS, setup=_contract, kwargs=_pk("contract")),
    _api(
        "contract-detail",
        MANAGERS,
        method="patch",
        setup=_contract,
        kwargs=_pk("contract"),
        data=lambda cast, world: {"title": "SaaS-overeenkomst"},
    ),
    _api("contract-renew", MANAGERS, method="post", setup=_contract, kwargs=_pk("contract")),
    _api(
        "contract-documents",
        MANAGERS,
        method="post",
        setup=_contract,
        kwargs=_pk("contract"),
        data=lambda cast, world: {"kind": "signed", "file": _pdf_upload()},
        multipart=True,
    ),
    _api(
        "contract-document-download",
        CARE_READERS,
        setup=_contract_document,
        kwargs=lambda cast, world: {
            "pk": world["document"].contract_id,
            "document_pk": world["document"].pk,
        },
    ),
    _api(
        "relationship-certificates-list", CARE_READERS, setup=_offered_certificate, kwargs=_rel_pk
    ),
    _api(
        "relationship-certificates-review",
        MANAGERS,
        method="post",
        setup=_offered_certificate,
        kwargs=lambda cast, world: {**_rel_pk(cast, world), "pk": world["document"].pk},
        data=lambda cast, world: {"verdict": "covers"},
    ),
    _api(
        "relationship-certificates-download",
        CARE_READERS,
        setup=_offered_certificate,
        kwargs=lambda cast, world: {**_rel_pk(cast, world), "pk": world["document"].pk},
    ),
    _api("library-list", ("supplier_owner",), setup=lambda cast: _library_entry(cast)),
    _api(
        "library-detail",
        ("supplier_owner",),
        method="delete",
        setup=lambda cast: _library_entry(cast),
        kwargs=_pk("entry"),
        ok=(204,),
    ),
    _api("member-list", ("care_admin", "ciso", "supplier_owner")),
    _api(
        "member-detail",
        ("care_admin", "ciso"),
        setup=_viewer_membership,
        kwargs=_pk("target"),
        foreign=("supplier_owner", "respondent"),
    ),
    _api(
        "member-detail",
        ("care_admin",),
        method="patch",
        setup=_viewer_membership,
        kwargs=_pk("target"),
        data=lambda cast, world: {"role": "board"},
        foreign=("supplier_owner", "respondent"),
    ),
    _api(
        "member-deactivate",
        ("care_admin",),
        method="post",
        setup=_viewer_membership,
        kwargs=_pk("target"),
        foreign=("supplier_owner", "respondent"),
    ),
    _api("invitation-list", ("care_admin", "ciso", "supplier_owner")),
    _api(
        "invitation-list",
        ("care_admin", "supplier_owner"),
        method="post",
        data=lambda cast, world: {"email": "nieuw-api@zh.test"},
    ),
    _api(
        "invitation-revoke",
        ("care_admin",),
        method="post",
        setup=_invitation,
        kwargs=_pk("invitation"),
        foreign=("supplier_owner", "respondent"),
    ),
    _api("token-list", ALL_MEMBERS),
    _api("token-list", ALL_MEMBERS, method="post", data=lambda cast, world: {"name": "CMDB"}),
    _api(
        "token-detail",
        ("ciso",),
        method="delete",
        setup=_ciso_token,
        kwargs=_pk("token"),
        foreign=PERSONAL,
        ok=(204,),
    ),
    _api("audit-list", ("care_admin", "ciso", "supplier_owner")),
    _api(
        "api-job",
        ("ciso",),
        setup=lambda cast: _job(cast),
        kwargs=_pk("job"),
        foreign=PERSONAL,
    ),
    _api("api-risk-appetite", CARE_READERS),
    _api(
        "api-risk-appetite",
        ("care_admin", "ciso"),
        method="put",
        setup=_relationship,
        data=lambda cast, world: {"cadence_months": {"critical": 6}},
        ok=(200, 202),
    ),
    _api("api-reassessments", CARE_READERS, setup=_relationship),
    _api("api-fourth-parties", CARE_READERS, setup=_relationship),
]


# -- question matching (issue 20 §4) ---------------------------------------------------------------

ROUTES += [
    Route(
        "questionnaire_match",
        allowed=BUILDERS,
        setup=_own_template,
        kwargs=lambda cast, world: {"pk": world["template"].pk},
    ),
    Route(
        "questionnaire_match",
        method="post",
        allowed=BUILDERS,
        setup=_own_template,
        kwargs=lambda cast, world: {"pk": world["template"].pk},
    ),
    _api(
        "template-match",
        BUILDERS,
        method="post",
        setup=_own_template,
        kwargs=_pk("template"),
        data=lambda cast, world: {"questions": ["Gebruikt u tweefactorauthenticatie?"]},
    ),
    _api(
        "template-equivalents",
        BUILDERS,
        method="post",
        setup=_own_template,
        kwargs=_pk("template"),
        data=lambda cast, world: {"equivalents": []},
    ),
]


# CSAF advisories (DESIGN §13 item 7): an advisory of the hospital naming the fourth party
# "Azure" behind the product of its live relationship.
def _advisory(cast) -> dict:
    from questionnaires.csaf.services import advisory_upload
    from tests.questionnaires.csaf_doc import advisory_bytes

    world = _relationship(cast)
    product = _advisory_product(cast, world["relationship"])
    item = advisory_upload(
        care_org=cast.hospital,
        actor=cast.ciso.user,
        raw=advisory_bytes([("Microsoft", "Azure", "1")]),
    )
    return {**world, **product, "advisory": item}


def _advisory_product(cast, rel) -> dict:
    from suppliers.services import product_save, subprocessor_add

    product = product_save(supplier=cast.supplier, actor=cast.supplier_owner.user, name="EPD")
    subprocessor_add(
        product=product,
        actor=cast.supplier_owner.user,
        name="Azure",
        service="hosting",
        country="NL",
    )
    rel.products.add(product)
    rel.status = "active"
    rel.save()
    return {"product": product}


def _csaf_file(cast, world) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.questionnaires.csaf_doc import advisory_bytes

    return {"document": SimpleUploadedFile("a.json", advisory_bytes(), "application/json")}


def _csaf_json(cast, world) -> dict:
    from tests.questionnaires.csaf_doc import advisory

    return advisory()


def _csaf_send(cast, world) -> dict:
    return {"relationships": [world["relationship"].pk]}


ROUTES += [
    Route("csaf_list", allowed=CARE_READERS),
    Route(
        "csaf_upload",
        method="post",
        allowed=("care_admin", "ciso"),
        setup=lambda cast: _relationship(cast),
        data=_csaf_file,
    ),
    *[
        Route(
            name,
            allowed=CARE_READERS,
            foreign=("other_care_admin", "other_care_ciso"),
            setup=_advisory,
            kwargs=_pk("advisory"),
            api=api,
        )
        for name, api in (("csaf_detail", False), ("advisory-detail", True))
    ],
    *[
        Route(
            name,
            method="post",
            allowed=("care_admin", "ciso"),
            foreign=("other_care_admin", "other_care_ciso"),
            setup=_advisory,
            kwargs=_pk("advisory"),
            data=data,
        )
        for name, data in (("csaf_send", _csaf_send), ("csaf_dismiss", lambda cast, w: {}))
    ],
    _api("advisory-list", CARE_READERS),
    _api(
        "advisory-list",
        ("care_admin", "ciso"),
        method="post",
        setup=lambda cast: _relationship(cast),
        data=_csaf_json,
    ),
    *[
        _api(
            name,
            ("care_admin", "ciso"),
            method="post",
            setup=_advisory,
            kwargs=_pk("advisory"),
            data=data,
            foreign=("other_care_admin", "other_care_ciso"),
            ok=ok,
        )
        for name, data, ok in (
            ("advisory-send", _csaf_send, (202,)),
            ("advisory-dismiss", lambda cast, w: {}, (200,)),
        )
    ],
]


# -- single sign-on (issue 18 §1) ----------------------------------------------------------------

ROUTES += [
    Route("sso_settings", allowed=("care_admin",)),
    Route(
        "sso_settings",
        method="post",
        allowed=("care_admin",),
        data=lambda cast, world: {
            "issuer": "https://login.example.com/tenant/v2.0",
            "client_id": "ketenwacht",
            "secret": "geheim",
            "email_domains": "zh.test",
            "is_active": "on",
        },
    ),
    Route("sso_start", allowed=(), public=True),
    _api("api-sso", ("care_admin",)),
    _api(
        "api-sso",
        ("care_admin",),
        method="put",
        data=lambda cast, world: {
            "issuer": "https://login.example.com/tenant/v2.0",
            "client_id": "ketenwacht",
            "secret": "geheim",
            "email_domains": ["zh.test"],
        },
    ),
]


# -- provisioning with SCIM (issue 18 §2) ----------------------------------------------------------


def _scim_world(cast) -> dict:
    from portal.core.scim.services import (
        group_create,
        mapping_add,
        scim_token_create,
        user_create,
    )

    token, _key = scim_token_create(organisation=cast.hospital, name="Entra ID", actor=None)
    mapping = mapping_add(
        organisation=cast.hospital, group_name="KW-Lezers", role="viewer", actor=None
    )
    user = user_create(
        organisation=cast.hospital,
        fields={
            "user_name": "scim@zh.test",
            "email": "scim@zh.test",
            "external_id": "",
            "display_name": "",
            "given_name": "",
            "family_name": "",
            "active": True,
        },
    )
    group = group_create(
        organisation=cast.hospital,
        fields={"display_name": "KW-Lezers", "external_id": "", "members": [str(user.scim_id)]},
    )
    return {"token": token, "mapping": mapping, "scim_user": user, "group": group}


ROUTES += [
    Route("scim_settings", allowed=("care_admin",)),
    Route(
        "scim_settings",
        method="post",
        allowed=("care_admin",),
        data=lambda cast, world: {"action": "token", "name": "Entra ID"},
    ),
    *[
        Route(
            name,
            method=method,
            allowed=("care_admin",),
            setup=_scim_world,
            kwargs=_pk(key),
        )
        for name, key in (("scim_token_revoke", "token"), ("scim_mapping_delete", "mapping"))
        for method in ("get", "post")
    ],
    _api("scim-token-list", ("care_admin",)),
    _api(
        "scim-token-list",
        ("care_admin",),
        method="post",
        data=lambda cast, world: {"name": "Entra ID"},
    ),
    _api(
        "scim-token-detail",
        ("care_admin",),
        method="delete",
        setup=_scim_world,
        kwargs=_pk("token"),
        ok=(204,),
    ),
    _api("scim-group-role-list", ("care_admin",), setup=_scim_world),
    _api(
        "scim-group-role-list",
        ("care_admin",),
        method="post",
        data=lambda cast, world: {"group_name": "KW-Inkoop", "role": "procurement"},
        ok=(201,),
    ),
    _api(
        "scim-group-role-detail",
        ("care_admin",),
        method="delete",
        setup=_scim_world,
        kwargs=_pk("mapping"),
        ok=(204,),
    ),
    # The SCIM protocol itself: only the organisation's SCIM token (Bearer) opens it; without
    # one it is 401, and a person's browser session is refused (403) whatever the role.
    *[
        Route(name, allowed=(), api=True, method=method, setup=_scim_world)
        for name, method in (
            ("scim_users", "get"),
            ("scim_users", "post"),
            ("scim_groups", "get"),
            ("scim_groups", "post"),
            ("scim_service_provider_config", "get"),
            ("scim_resource_types", "get"),
            ("scim_schemas", "get"),
        )
    ],
    *[
        Route(
            name,
            allowed=(),
            api=True,
            method=method,
            setup=_scim_world,
            kwargs=lambda cast, world, key=key: {"scim_id": str(world[key].scim_id)},
        )
        for name, key in (("scim_user", "scim_user"), ("scim_group", "group"))
        for method in ("get", "put", "patch", "delete")
    ],
    Route(
        "scim_resource_type",
        allowed=(),
        api=True,
        kwargs=lambda cast, world: {"name": "User"},
        kwargs_are_objects=False,
    ),
    Route(
        "scim_schema",
        allowed=(),
        api=True,
        kwargs=lambda cast, world: {"urn": "urn:ietf:params:scim:schemas:core:2.0:User"},
        kwargs_are_objects=False,
    ),
]

# Joint assessments (DESIGN §14) keep their routes in their own module.
from tests.access_joint import joint_routes  # noqa: E402 - needs the helpers above

ROUTES += joint_routes()
