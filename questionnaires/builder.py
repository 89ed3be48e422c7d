"""The questionnaire builder's writes: drafts, sections and questions, always validated.

Every change goes through `validate_question` (the same rules as the file importer), refuses
anything but a draft, and checks the template's revision so a stale form never overwrites a
newer edit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from portal.core import rules
from portal.core.audit.services import audit_record
from portal.core.exceptions import Conflict

from .models import Question, QuestionnaireTemplate, Section
from .services import QUESTION_FIELDS, _ensure_draft
from .yaml_io import CODE_RE, KEY_RE, validate_question


def _lock(template: QuestionnaireTemplate, revision: int | None) -> QuestionnaireTemplate:
    locked = QuestionnaireTemplate.objects.select_for_update().get(pk=template.pk)
    _ensure_draft(locked)
    if revision is not None and locked.revision != revision:
        raise Conflict(
            _("Someone else changed this questionnaire meanwhile. Reload the page and try again.")
        )
    return locked


def _bump(template: QuestionnaireTemplate) -> None:
    QuestionnaireTemplate.objects.filter(pk=template.pk).update(revision=F("revision") + 1)


@transaction.atomic
def template_create(
    *, owner, actor, key: str, title_nl: str, title_en: str
) -> QuestionnaireTemplate:
    errors = {}
    if not KEY_RE.match(key or ""):
        errors["key"] = _("Use lower-case letters, digits and hyphens.")
    elif QuestionnaireTemplate.objects.filter(key=key).exists():
        errors["key"] = _("This key is already in use; choose another or start a new version.")
    if not title_nl.strip():
        errors["title_nl"] = _("A Dutch title is required.")
    if not title_en.strip():
        errors["title_en"] = _("An English title is required.")
    if errors:
        raise ValidationError(errors)
    template = QuestionnaireTemplate.objects.create(
        key=key,
        version=1,
        title_nl=title_nl.strip(),
        title_en=title_en.strip(),
        owner=owner,
        created_by=actor,
    )
    audit_record(
        action="questionnaire.created",
        organisation=owner,
        actor=actor,
        obj=template,
        after={"key": key},
    )
    return template


@transaction.atomic
def section_save(
    *,
    template,
    actor,
    code: str,
    title_nl: str,
    title_en: str,
    section: Section | None = None,
    revision=None,
) -> Section:
    template = _lock(template, revision)
    code = (code or "").strip().upper()
    errors = {}
    if not CODE_RE.match(code):
        errors["code"] = _("Use upper-case letters, digits, '.', '-' or '_' (max 20).")
    elif template.sections.filter(code=code).exclude(pk=getattr(section, "pk", None)).exists():
        errors["code"] = _("This section code is already used in this questionnaire.")
    if not title_nl.strip() or not title_en.strip():
        errors["title_nl"] = _("Both titles are required.")
    if errors:
        raise ValidationError(errors)
    if section is None:
        order = (template.sections.aggregate(m=Max("order"))["m"] or 0) + 1
        section = Section.objects.create(
            template=template,
            code=code,
            title_nl=title_nl.strip(),
            title_en=title_en.strip(),
            order=order,
        )
        action = "questionnaire.section_added"
    else:
        section.code, section.title_nl, section.title_en = code, title_nl.strip(), title_en.strip()
        section.save(update_fields=["code", "title_nl", "title_en"])
        action = "questionnaire.section_changed"
    _bump(template)
    audit_record(
        action=action, organisation=template.owner, actor=actor, obj=section, after={"code": code}
    )
    return section


@transaction.atomic
def section_delete(*, section: Section, actor, revision=None) -> None:
    template = _lock(section.template, revision)
    if template.sections.count() == 1 and section.questions.exists():
        raise ValidationError(_("The last section cannot be deleted while it has questions."))
    codes = list(section.questions.values_list("code", flat=True))
    used = _codes_used_elsewhere(template, codes, exclude_section=section)
    if used:
        raise ValidationError(
            _("Questions in other sections depend on %(codes)s; change those conditions first.")
            % {"codes": ", ".join(sorted(used))}
        )
    audit_record(
        action="questionnaire.section_deleted",
        organisation=template.owner,
        actor=actor,
        obj=section,
        before={"code": section.code, "questions": codes},
    )
    section.delete()
    _bump(template)


def _codes_used_elsewhere(template, codes, exclude_section=None, exclude_question=None) -> set[str]:

    facts = {rules.answer_fact(c) for c in codes}
    used = set()
    qs = template.questions.exclude(show_if=None)
    if exclude_section is not None:
        qs = qs.exclude(section=exclude_section)
    if exclude_question is not None:
        qs = qs.exclude(pk=exclude_question.pk)
    for q in qs:
        for fact in rules.facts_used(q.show_if) & facts:
            used.add(fact.removeprefix("answer."))
    return used


@transaction.atomic
def move(*, obj, direction: str, actor, revision=None) -> None:
    """Move a section or a question one place up or down."""
    template = _lock(obj.template, revision)
    siblings = list(
        template.sections.order_by("order", "pk")
        if isinstance(obj, Section)
        else obj.section.questions.order_by("order", "pk")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == obj.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for order, item in enumerate(siblings):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])
    _bump(template)
    audit_record(
        action="questionnaire.reordered",
        organisation=template.owner,
        actor=actor,
        obj=obj,
        after={"direction": direction},
    )


@transaction.atomic
def question_save(
    *, section: Section, actor, raw: dict, question: Question | None = None, revision=None
) -> Question:
    """Create or change a question from the builder form's raw dict (file-format shape)."""
    template = _lock(section.template, revision)
    others = set(
        template.questions.exclude(pk=getattr(question, "pk", None)).values_list("code", flat=True)
    )
    clean = validate_question(raw, other_codes=others, all_codes=others | {raw.get("code")})
    if question is not None and question.code != clean["code"]:
        used = _codes_used_elsewhere(template, [question.code], exclude_question=question)
        if used:
            raise ValidationError(
                {"code": _("Other questions depend on this code; change those conditions first.")}
            )
    fields = {
        "code": clean["code"],
        "text_nl": clean["text"]["nl"],
        "text_en": clean["text"]["en"],
        "help_nl": clean["help"]["nl"],
        "help_en": clean["help"]["en"],
        "answer_type": clean["type"],
        "advice_nl": clean["advice"]["nl"],
        "advice_en": clean["advice"]["en"],
        **{f: clean[f] for f in QUESTION_FIELDS},
    }
    if question is None:
        order = (section.questions.aggregate(m=Max("order"))["m"] or 0) + 1
        question = Question.objects.create(
            template=template, section=section, order=order, **fields
        )
        action, before = "questionnaire.question_added", None
    else:
        before = {k: getattr(question, k) for k in fields}
        for key, value in fields.items():
            setattr(question, key, value)
        question.save()
        action = "questionnaire.question_changed"
    _bump(template)
    audit_record(
        action=action,
        organisation=template.owner,
        actor=actor,
        obj=question,
        before=before,
        after={"code": question.code},
    )
    return question


@transaction.atomic
def question_delete(*, question: Question, actor, revision=None) -> None:
    template = _lock(question.template, revision)
    used = _codes_used_elsewhere(template, [question.code], exclude_question=question)
    if used:
        raise ValidationError(
            _("Other questions show only when %(code)s is answered; change those conditions first.")
            % {"code": question.code}
        )
    audit_record(
        action="questionnaire.question_deleted",
        organisation=template.owner,
        actor=actor,
        obj=question,
        before={"code": question.code, "text": question.text_nl},
    )
    question.delete()
    _bump(template)
