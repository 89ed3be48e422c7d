"""The questionnaires app's models, a module per concept: `templates` (templates, sections,
questions, spreadsheet mappings), `assessments` (assessments, answers, assignments, evidence,
messages), `findings`, `decisions` and `library` (the supplier's answer library)."""

from suppliers.models import SupplierType  # noqa: F401  (re-exported for the builder)

from ..joint.models import JointAssessment, JointParticipant, JointQuestion  # noqa: F401
from ..sharing.models import (  # noqa: F401
    ProfileAccess,
    ProfileDocument,
    ProfileLogEntry,
    TrustProfile,
)
from .assessments import (
    OPEN_FOR_SUPPLIER,
    Answer,
    AnswerMessage,
    Assessment,
    AssessmentQuerySet,
    AssessmentStatus,
    Assignment,
    Evidence,
    Verdict,
    _evidence_path,
)
from .decisions import DecisionQuerySet, DecisionStatus, RiskDecision
from .findings import Finding, FindingQuerySet, FindingStatus, FindingUpdate, FindingUpdateKind
from .library import LibraryAnswer, LibraryQuerySet
from .rapid import RapidAssessment, RapidQuerySet, RapidStatus, RapidTarget
from .templates import (
    AnswerType,
    EvidenceLevel,
    MappingQuerySet,
    Question,
    QuestionnaireTemplate,
    Section,
    Severity,
    SpreadsheetMapping,
    TemplateQuerySet,
    TemplateStatus,
)

__all__ = [
    "RapidAssessment",
    "RapidQuerySet",
    "RapidStatus",
    "RapidTarget",
    "OPEN_FOR_SUPPLIER",
    "Answer",
    "AnswerMessage",
    "AnswerType",
    "Assessment",
    "AssessmentQuerySet",
    "AssessmentStatus",
    "Assignment",
    "DecisionQuerySet",
    "DecisionStatus",
    "Evidence",
    "EvidenceLevel",
    "Finding",
    "FindingQuerySet",
    "FindingStatus",
    "FindingUpdate",
    "FindingUpdateKind",
    "LibraryAnswer",
    "LibraryQuerySet",
    "MappingQuerySet",
    "Question",
    "QuestionnaireTemplate",
    "RiskDecision",
    "Section",
    "Severity",
    "SpreadsheetMapping",
    "SupplierType",
    "TemplateQuerySet",
    "TemplateStatus",
    "Verdict",
    "_evidence_path",
]
