"""Which rows of which model belong to an organisation's archive, per organisation kind
(`EXPORT_PARTS`), and the models that belong to no single organisation (`NOT_EXPORTED`).
A test (tests/privacy/test_export.py) fails when a model is in neither."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from contracts.models import (
    CertificateReview,
    ChecklistItem,
    Contract,
    ContractDocument,
    ExitNote,
    ExitNoteSection,
    ExitNoteVersion,
    ExitTest,
)
from portal.core.accounts.models import ApiToken, Invitation, Membership, Organisation, User
from portal.core.audit.models import AuditEvent
from portal.core.jobs.models import Job
from portal.core.notifications.models import Notification
from portal.core.scim.models import GroupRoleMapping, ScimGroup, ScimToken, ScimUser
from portal.top.reports.models import Report
from questionnaires.joint.models import JointAssessment, JointParticipant, JointQuestion
from questionnaires.models import (
    Answer,
    AnswerMessage,
    Assessment,
    Assignment,
    Evidence,
    Finding,
    FindingUpdate,
    LibraryAnswer,
    Question,
    QuestionnaireTemplate,
    RapidAssessment,
    RiskDecision,
    Section,
    SpreadsheetMapping,
)
from questionnaires.sharing.models import (
    ProfileAccess,
    ProfileDocument,
    ProfileLogEntry,
    TrustProfile,
)
from suppliers.models import (
    Product,
    Relationship,
    RiskHistory,
    SubProcessor,
    SupplierDocument,
    SupplierLink,
)


@dataclass(frozen=True)
class Part:
    """The rows of one model that belong to an organisation, and which of their fields."""

    name: str  # key in data.json
    rows: Callable[[Organisation], models.QuerySet]
    fields: tuple[str, ...] | None = None  # None: every field except `exclude`
    exclude: tuple[str, ...] = ()
    readable: Callable[[Any], dict] | None = None  # additions for people (a question code)
    select: tuple[str, ...] = field(default=())  # select_related for `readable`


def _template_ref(obj) -> dict:
    return {"template_key": obj.template.key, "template_version": obj.template.version}


def _question_code(obj) -> dict:
    return {"question_code": obj.question.code}


PEOPLE = ("id", "email", "name", "language", "is_active", "date_joined", "last_login")
COUNTERPART = ("id", "name", "slug", "kind", "kvk_number")

COMMON_PARTS = [
    Part("accounts.organisation", lambda o: Organisation.objects.filter(pk=o.pk)),
    Part(
        "accounts.user",
        lambda o: User.objects.filter(memberships__organisation=o).distinct(),
        fields=PEOPLE,
    ),
    Part("accounts.membership", lambda o: Membership.objects.filter(organisation=o)),
    Part(
        "accounts.invitation",
        lambda o: Invitation.objects.filter(organisation=o),
        exclude=("token_hash",),
    ),
    Part(
        "accounts.apitoken",
        lambda o: ApiToken.objects.filter(membership__organisation=o),
        exclude=("key_hash",),
    ),
    Part("audit.auditevent", lambda o: AuditEvent.objects.filter(organisation=o)),
    Part("notifications.notification", lambda o: Notification.objects.filter(organisation=o)),
    Part("jobs.job", lambda o: Job.objects.filter(organisation=o)),
]


CARE_PARTS = [
    # provisioning from the organisation's identity provider (SCIM)
    Part(
        "scim.scimtoken",
        lambda o: ScimToken.objects.filter(organisation=o),
        exclude=("key_hash",),
    ),
    Part("scim.scimuser", lambda o: ScimUser.objects.filter(organisation=o)),
    Part("scim.scimgroup", lambda o: ScimGroup.objects.filter(organisation=o)),
    Part("scim.grouprolemapping", lambda o: GroupRoleMapping.objects.filter(organisation=o)),
    Part("questionnaires.profileaccess", lambda o: ProfileAccess.objects.filter(care_org=o)),
    # joint assessments it leads, its own seats and the invitations it sent, its own questions
    Part(
        "questionnaires.jointassessment",
        lambda o: JointAssessment.objects.filter(lead__relationship__care_org=o),
    ),
    Part(
        "questionnaires.jointparticipant",
        lambda o: JointParticipant.objects.filter(
            models.Q(care_org=o) | models.Q(joint__lead__relationship__care_org=o)
        ),
    ),
    Part("questionnaires.jointquestion", lambda o: JointQuestion.objects.filter(asked_by=o)),
    Part(
        "suppliers.organisation",
        lambda o: Organisation.objects.filter(customer_links__care_org=o).distinct(),
        fields=COUNTERPART,
    ),
    Part("suppliers.supplierlink", lambda o: SupplierLink.objects.filter(care_org=o)),
    Part("suppliers.relationship", lambda o: Relationship.objects.filter(care_org=o)),
    Part(
        "suppliers.product",
        lambda o: Product.objects.filter(relationships__care_org=o).distinct(),
    ),
    Part(
        "suppliers.subprocessor",
        lambda o: SubProcessor.objects.filter(product__relationships__care_org=o).distinct(),
    ),
    Part("suppliers.riskhistory", lambda o: RiskHistory.objects.filter(relationship__care_org=o)),
    Part(
        "questionnaires.questionnairetemplate",
        lambda o: QuestionnaireTemplate.objects.filter(owner=o),
    ),
    Part("questionnaires.section", lambda o: Section.objects.filter(template__owner=o)),
    Part("questionnaires.question", lambda o: Question.objects.filter(template__owner=o)),
    Part(
        "questionnaires.spreadsheetmapping",
        lambda o: SpreadsheetMapping.objects.filter(owner=o),
    ),
    Part(
        "questionnaires.assessment",
        lambda o: Assessment.objects.filter(relationship__care_org=o),
        readable=_template_ref,
        select=("template",),
    ),
    # An answer prefilled from the supplier's library is the supplier's until confirmed.
    Part(
        "questionnaires.answer",
        lambda o: Answer.objects.filter(assessment__relationship__care_org=o, prefilled=False),
        readable=_question_code,
        select=("question",),
    ),
    Part(
        "questionnaires.evidence",
        lambda o: Evidence.objects.filter(
            answer__assessment__relationship__care_org=o, answer__prefilled=False
        ),
    ),
    Part(
        "questionnaires.answermessage",
        lambda o: AnswerMessage.objects.filter(answer__assessment__relationship__care_org=o),
    ),
    Part("questionnaires.finding", lambda o: Finding.objects.filter(relationship__care_org=o)),
    Part(
        "questionnaires.findingupdate",
        lambda o: FindingUpdate.objects.filter(finding__relationship__care_org=o),
    ),
    Part(
        "questionnaires.riskdecision",
        lambda o: RiskDecision.objects.filter(relationship__care_org=o),
    ),
    Part("contracts.contract", lambda o: Contract.objects.filter(relationship__care_org=o)),
    Part(
        "contracts.contractdocument",
        lambda o: ContractDocument.objects.filter(contract__relationship__care_org=o),
    ),
    Part(
        "contracts.checklistitem",
        lambda o: ChecklistItem.objects.filter(relationship__care_org=o),
        readable=lambda item: {"clause_code": item.clause.code},
        select=("clause",),
    ),
    Part(
        "contracts.certificatereview",
        lambda o: CertificateReview.objects.filter(relationship__care_org=o),
        readable=lambda r: {"document_title": r.document.title, "document_kind": r.document.kind},
        select=("document",),
    ),
    Part("contracts.exitnote", lambda o: ExitNote.objects.filter(relationship__care_org=o)),
    Part(
        "contracts.exitnotesection",
        lambda o: ExitNoteSection.objects.filter(note__relationship__care_org=o),
    ),
    Part(
        "contracts.exitnoteversion",
        lambda o: ExitNoteVersion.objects.filter(note__relationship__care_org=o),
    ),
    Part("contracts.exittest", lambda o: ExitTest.objects.filter(relationship__care_org=o)),
    Part("reports.report", lambda o: Report.objects.filter(organisation=o)),
    Part(
        "questionnaires.rapidassessment",
        lambda o: RapidAssessment.objects.filter(care_org=o),
    ),
]

SUPPLIER_PARTS = [
    Part(
        "suppliers.customer",
        lambda o: Organisation.objects.filter(supplier_links__supplier=o).distinct(),
        fields=COUNTERPART,
    ),
    Part(
        "suppliers.supplierlink",
        lambda o: SupplierLink.objects.filter(supplier=o),
        fields=("id", "care_org", "supplier", "created_at"),
    ),
    Part("suppliers.product", lambda o: Product.objects.filter(supplier=o)),
    Part("suppliers.subprocessor", lambda o: SubProcessor.objects.filter(product__supplier=o)),
    Part("suppliers.supplierdocument", lambda o: SupplierDocument.objects.filter(supplier=o)),
    # What a supplier sees of a relationship: never the intake, tier or scores.
    Part(
        "suppliers.relationship",
        lambda o: Relationship.objects.filter(supplier=o),
        fields=("id", "care_org", "supplier", "name", "products", "supplier_types", "status"),
    ),
    Part(
        "questionnaires.assessment",
        # never a joint participant's copy: the supplier's round is the lead's (DESIGN §14)
        lambda o: Assessment.objects.filter(relationship__supplier=o, joint_source=None).exclude(
            status="draft"
        ),
        fields=(
            "id",
            "relationship",
            "template",
            "status",
            "due_date",
            "message",
            "sent_at",
            "submitted_at",
            "completed_at",
        ),
        readable=_template_ref,
        select=("template",),
    ),
    Part(
        "questionnaires.answer",
        lambda o: Answer.objects.filter(
            assessment__relationship__supplier=o, assessment__joint_source=None
        ).exclude(assessment__status="draft"),
        fields=(
            "id",
            "assessment",
            "question",
            "value",
            "explanation",
            "answered_by",
            "answered_at",
            "version",
            "prefilled",
            "verdict",
            "verdict_message",
            "reviewed_at",
        ),
        readable=_question_code,
        select=("question",),
    ),
    Part(
        "questionnaires.evidence",
        lambda o: Evidence.objects.filter(
            answer__assessment__relationship__supplier=o, answer__assessment__joint_source=None
        ).exclude(answer__assessment__status="draft"),
    ),
    Part(
        "questionnaires.answermessage",
        lambda o: AnswerMessage.objects.filter(
            answer__assessment__relationship__supplier=o,
            answer__assessment__joint_source=None,
            internal=False,
        ).exclude(answer__assessment__status="draft"),
    ),
    Part(
        "questionnaires.assignment",
        lambda o: Assignment.objects.filter(assessment__relationship__supplier=o),
    ),
    Part(
        "questionnaires.finding",
        lambda o: Finding.objects.filter(relationship__supplier=o),
        fields=(
            "id",
            "relationship",
            "assessment",
            "answer",
            "question_code",
            "severity",
            "title_nl",
            "title_en",
            "advice_nl",
            "advice_en",
            "due_date",
            "status",
            "plan",
            "planned_date",
            "closed_at",
            "created_at",
            "updated_at",
        ),
    ),
    Part(
        "questionnaires.findingupdate",
        lambda o: FindingUpdate.objects.filter(finding__relationship__supplier=o),
    ),
    Part("questionnaires.libraryanswer", lambda o: LibraryAnswer.objects.filter(supplier=o)),
    Part("questionnaires.trustprofile", lambda o: TrustProfile.objects.filter(supplier=o)),
    Part(
        "questionnaires.profiledocument",
        lambda o: ProfileDocument.objects.filter(profile__supplier=o),
    ),
    Part(
        "questionnaires.profileaccess",
        lambda o: ProfileAccess.objects.filter(profile__supplier=o),
    ),
    Part(
        "questionnaires.profilelogentry",
        lambda o: ProfileLogEntry.objects.filter(profile__supplier=o),
    ),
    # the joint assessments it answers: who takes part, and the questions it was asked
    Part(
        "questionnaires.jointassessment",
        lambda o: JointAssessment.objects.filter(lead__relationship__supplier=o).exclude(
            lead__status="draft"
        ),
        fields=("id", "lead", "product", "created_at"),
    ),
    Part(
        "questionnaires.jointparticipant",
        lambda o: JointParticipant.objects.filter(
            joint__lead__relationship__supplier=o, status="joined"
        ),
        fields=("id", "joint", "care_org", "status", "responded_at"),
    ),
    Part(
        "questionnaires.jointquestion",
        lambda o: JointQuestion.objects.filter(joint__lead__relationship__supplier=o),
        fields=("id", "joint", "code", "asked_by", "text", "asked_at", "answered_at"),
    ),
]

EXPORT_PARTS: dict[str, list[Part]] = {
    "care": COMMON_PARTS + CARE_PARTS,
    "supplier": COMMON_PARTS + SUPPLIER_PARTS,
}

# Models of the project that belong to no single organisation, with the reason.
NOT_EXPORTED = {
    "contracts.clause": "the shipped clause library, the same for everyone",
    "notifications.sentmessage": "scheduler bookkeeping (message keys), no content",
    "notifications.notificationpreference": "a person's own e-mail choices, the same in every "
    "organisation they belong to",
}
