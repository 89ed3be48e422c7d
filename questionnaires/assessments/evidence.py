"""Evidence on an answer: a checked upload, or a copy of one of the supplier's shared documents."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.uploads import check_upload

from ..models import Answer, Assessment, Evidence
from .answers import _open_for_answers
from .state import S, _transition, check_reopened


@transaction.atomic
def evidence_from_document(*, assessment: Assessment, code: str, document, actor, request=None):
    """Attach a copy of one of the supplier's shared documents instead of uploading again."""
    if document.supplier_id != assessment.relationship.supplier_id:
        raise ValidationError({"document": _("Pick one of your own documents.")})
    if document.valid_until is not None and document.valid_until < timezone.localdate():
        raise ValidationError(
            {
                "document": _("This document expired on %(date)s; upload a current one.")
                % {"date": document.valid_until.isoformat()}
            }
        )
    with document.file.open("rb") as fh:
        data = fh.read()
    evidence = evidence_add(
        assessment=assessment,
        code=code,
        name=document.name,
        data=data,
        actor=actor,
        request=request,
    )
    evidence.source_document = document
    evidence.save(update_fields=["source_document"])
    return evidence


@transaction.atomic
def evidence_add(*, assessment: Assessment, code: str, name: str, data: bytes, actor, request=None):
    """Attach a checked file to an answer (DESIGN §12); a file question is answered by it."""

    assessment, question = _open_for_answers(assessment, code)
    if question.evidence == "none" and question.answer_type != "file":
        raise ValidationError({"file": _("This question takes no evidence.")})
    checked = check_upload(name, data)
    answer, _created = Answer.objects.select_for_update().get_or_create(
        assessment=assessment, question=question
    )
    check_reopened(assessment, answer, question.code)
    evidence = Evidence(
        answer=answer,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save("upload", ContentFile(data), save=False)
    evidence.save()
    if question.answer_type == "file":
        answer.value = [e.name for e in answer.evidence.all()]
        answer.answered_by, answer.answered_at = actor, timezone.now()
    answer.version += 1
    answer.save()
    audit_record(
        action="evidence.added",
        organisation=assessment.relationship.care_org,
        actor=actor,
        obj=evidence,
        after={"code": code, "name": checked.name, "size": checked.size, "sha256": checked.sha256},
        request=request,
    )
    if assessment.status == S.SENT:
        _transition(assessment, (S.SENT,), S.IN_PROGRESS, actor, request)
    return evidence
