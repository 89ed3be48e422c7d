"""Writes for questionnaire templates: import, publish, new version, retire.

A published template is immutable: every write goes through `_ensure_draft`.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.exceptions import Conflict

from .models import Question, QuestionnaireTemplate, Section, SpreadsheetMapping, TemplateStatus
from .yaml_io import QUESTION_FIELDS, FileError, QuestionnaireFileError, parse_questionnaire


def _ensure_draft(template: QuestionnaireTemplate) -> None:
    if template.status != TemplateStatus.DRAFT:
        raise Conflict(
            _("Version %(v)s of %(key)s is %(status)s: it cannot change; start a new version.")
            % {
                "v": template.version,
                "key": template.key,
                "status": template.get_status_display().lower(),
            }
        )


@transaction.atomic
def template_import(
    *, data: dict, owner=None, actor=None, publish: bool = False
) -> QuestionnaireTemplate:
    """Store a validated questionnaire dict (from `yaml_io.parse_questionnaire`); all or nothing."""
    if QuestionnaireTemplate.objects.filter(key=data["key"], version=data["version"]).exists():
        raise QuestionnaireFileError(
            [
                FileError(
                    "version",
                    f"{data['key']} version {data['version']} already exists; "
                    "raise the version number",
                )
            ]
        )
    template = QuestionnaireTemplate(
        key=data["key"],
        version=data["version"],
        title_nl=data["title"]["nl"],
        title_en=data["title"]["en"],
        description_nl=data["description"]["nl"],
        description_en=data["description"]["en"],
        owner=owner,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as exc:  # a concurrent import of the same key and version
        raise QuestionnaireFileError(
            [FileError("version", f"{data['key']} version {data['version']} already exists")]
        ) from exc
    _store_sections(template, data["sections"])
    audit_record(
        action="questionnaire.imported",
        organisation=owner,
        actor=actor,
        obj=template,
        after={
            "key": template.key,
            "version": template.version,
            "questions": sum(len(s["questions"]) for s in data["sections"]),
        },
        actor_label="" if actor else "system",
    )
    if publish:
        template = template_publish(template=template, actor=actor)
    return template


def _store_sections(template: QuestionnaireTemplate, sections: list[dict]) -> None:
    questions = []
    for s_order, s in enumerate(sections):
        section = Section.objects.create(
            template=template,
            code=s["code"],
            title_nl=s["title"]["nl"],
            title_en=s["title"]["en"],
            order=s_order,
        )
        for q_order, q in enumerate(s["questions"]):
            questions.append(
                Question(
                    template=template,
                    section=section,
                    order=q_order,
                    code=q["code"],
                    text_nl=q["text"]["nl"],
                    text_en=q["text"]["en"],
                    help_nl=q["help"]["nl"],
                    help_en=q["help"]["en"],
                    answer_type=q["type"],
                    advice_nl=q["advice"]["nl"],
                    advice_en=q["advice"]["en"],
                    **{f: q[f] for f in QUESTION_FIELDS},
                )
            )
    Question.objects.bulk_create(questions, batch_size=500)


def template_to_dict(template: QuestionnaireTemplate) -> dict:
    """The template in the normalised file shape (the inverse of `template_import`)."""
    sections = []
    questions_by_section: dict[int, list[Question]] = {}
    for q in template.questions.order_by("section__order", "order", "pk"):
        questions_by_section.setdefault(q.section_id, []).append(q)
    for section in template.sections.order_by("order", "pk"):
        sections.append(
            {
                "code": section.code,
                "title": {"nl": section.title_nl, "en": section.title_en},
                "questions": [
                    {
                        "code": q.code,
                        "text": {"nl": q.text_nl, "en": q.text_en},
                        "help": {"nl": q.help_nl, "en": q.help_en},
                        "type": q.answer_type,
                        "advice": {"nl": q.advice_nl, "en": q.advice_en},
                        **{f: getattr(q, f) for f in QUESTION_FIELDS},
                    }
                    for q in questions_by_section.get(section.pk, [])
                ],
            }
        )
    return {
        "key": template.key,
        "version": template.version,
        "title": {"nl": template.title_nl, "en": template.title_en},
        "description": {"nl": template.description_nl, "en": template.description_en},
        "sections": sections,
    }


@transaction.atomic
def template_publish(*, template: QuestionnaireTemplate, actor=None) -> QuestionnaireTemplate:
    template = QuestionnaireTemplate.objects.select_for_update().get(pk=template.pk)
    _ensure_draft(template)
    if not template.questions.exists():
        raise ValidationError(_("A questionnaire without questions cannot be published."))
    template.status = TemplateStatus.PUBLISHED
    template.published_at = timezone.now()
    template.save(update_fields=["status", "published_at"])
    audit_record(
        action="questionnaire.published",
        organisation=template.owner,
        actor=actor,
        obj=template,
        before={"status": "draft"},
        after={"status": "published"},
        actor_label="" if actor else "system",
    )
    return template


@transaction.atomic
def template_retire(*, template: QuestionnaireTemplate, actor) -> QuestionnaireTemplate:
    template = QuestionnaireTemplate.objects.select_for_update().get(pk=template.pk)
    if template.status != TemplateStatus.PUBLISHED:
        raise Conflict(_("Only a published questionnaire can be retired."))
    template.status = TemplateStatus.RETIRED
    template.save(update_fields=["status"])
    audit_record(
        action="questionnaire.retired",
        organisation=template.owner,
        actor=actor,
        obj=template,
        before={"status": "published"},
        after={"status": "retired"},
    )
    return template


@transaction.atomic
def template_new_version(
    *, template: QuestionnaireTemplate, actor, owner=None
) -> QuestionnaireTemplate:
    """Copy a published (or retired) version into a new draft; question codes stay the same."""
    template = QuestionnaireTemplate.objects.get(pk=template.pk)
    if template.status == TemplateStatus.DRAFT:
        raise Conflict(_("This version is still a draft; edit it instead of copying it."))
    data = template_to_dict(template)
    latest = (
        QuestionnaireTemplate.objects.filter(key=template.key)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    data["version"] = latest + 1
    return template_import(
        data=data, owner=owner if owner is not None else template.owner, actor=actor
    )


@transaction.atomic
def mapping_save(*, owner, name: str, mapping: dict, actor):

    obj, _created = SpreadsheetMapping.objects.update_or_create(
        owner=owner, name=name.strip()[:100], defaults={"mapping": mapping, "created_by": actor}
    )
    audit_record(
        action="questionnaire.mapping_saved",
        organisation=owner,
        actor=actor,
        obj=obj,
        after=mapping,
    )
    return obj


BANKS_DIR = Path(__file__).resolve().parent / "banks"


def banks_load(*, publish: bool = True) -> list[QuestionnaireTemplate]:
    """Import the shipped question banks that are not in the database yet (idempotent)."""

    loaded = []
    for path in sorted(BANKS_DIR.glob("*.yaml")):
        data = parse_questionnaire(path.read_bytes())
        if QuestionnaireTemplate.objects.filter(key=data["key"], version=data["version"]).exists():
            continue
        loaded.append(template_import(data=data, publish=publish))
    return loaded
