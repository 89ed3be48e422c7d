"""Writes for organisations (tenants): creating one, changing its settings."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record

from ..models import (
    Organisation,
    OrganisationKind,
    User,
)

KVK_RE = re.compile(r"^\d{8}$")


@transaction.atomic
def organisation_create(
    *, slug: str, name: str, kind: str, kvk_number: str = "", actor: User | None = None
) -> Organisation:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("A name is required.")
    elif any(unicodedata.category(c).startswith("C") for c in name):
        # A name travels into e-mail subjects and file names: no line breaks or control codes.
        errors["name"] = _("A name cannot contain line breaks or control characters.")
    if slug != slugify(slug) or not slug:
        errors["slug"] = _("Use lower-case letters, digits and hyphens only.")
    elif Organisation.objects.filter(slug=slug).exists():
        errors["slug"] = _("An organisation with this slug already exists.")
    if kind not in OrganisationKind.values:
        errors["kind"] = _("Kind must be 'care' or 'supplier'.")
    kvk_number = (kvk_number or "").strip()
    if kvk_number and not KVK_RE.match(kvk_number):
        errors["kvk_number"] = _("A KvK number has exactly 8 digits.")
    elif kvk_number and Organisation.objects.filter(kvk_number=kvk_number).exists():
        errors["kvk_number"] = _("An organisation with this KvK number already exists.")
    if errors:
        raise ValidationError(errors)
    org = Organisation.objects.create(
        slug=slug, name=name.strip(), kind=kind, kvk_number=kvk_number
    )
    audit_record(
        action="organisation.created",
        organisation=org,
        actor=actor,
        obj=org,
        after={"name": org.name, "kind": org.kind, "kvk_number": org.kvk_number},
        actor_label="" if actor else "system",
    )
    return org


@transaction.atomic
def organisation_update_settings(
    *, organisation: Organisation, actor: User, mfa_required: bool, request=None
) -> Organisation:
    before = {"mfa_required": organisation.mfa_required}
    organisation.mfa_required = mfa_required
    organisation.save(update_fields=["mfa_required"])
    audit_record(
        action="organisation.settings_changed",
        organisation=organisation,
        actor=actor,
        obj=organisation,
        before=before,
        after={"mfa_required": mfa_required},
        request=request,
    )
    return organisation
