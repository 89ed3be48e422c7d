"""Writes for suppliers and relationships: register, link by KvK, intake, tier.

Registering a supplier with a new contact e-mail invites its owner (invitation-only sign-up).
Every intake change recomputes the tier at once and is audited with before and after.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.core.accounts.models import Membership, Organisation, OrganisationKind
from portal.core.accounts.services import KVK_RE, invitation_create, organisation_create
from portal.core.audit.services import audit_record
from portal.core.events import emit
from portal.core.exceptions import Conflict

from .models import (
    INTAKE_FACTORS,
    Product,
    Relationship,
    RelationshipStatus,
    RiskCause,
    SubProcessor,
    SupplierLink,
    SupplierType,
)
from .risk import appetite_for, compute, risk_record
from .tiering import IntakeError, check_intake


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "leverancier"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def supplier_register(
    *,
    care_org: Organisation,
    name: str,
    contact_email: str = "",
    kvk_number: str = "",
    actor,
    request=None,
) -> SupplierLink:
    """Create a supplier organisation, or link the existing one with the same KvK number."""
    name, kvk_number, contact_email = (
        name.strip(),
        (kvk_number or "").strip(),
        (contact_email or "").strip().lower(),
    )
    if kvk_number and not KVK_RE.match(kvk_number):
        raise ValidationError({"kvk_number": _("A KvK number has exactly 8 digits.")})
    supplier = Organisation.objects.filter(kvk_number=kvk_number).first() if kvk_number else None
    if supplier is not None and supplier.kind != OrganisationKind.SUPPLIER:
        raise ValidationError(
            {"kvk_number": _("This KvK number belongs to a care organisation, not a supplier.")}
        )
    if supplier is None:
        if not name:
            raise ValidationError({"name": _("A name is required.")})
        supplier = organisation_create(
            slug=_unique_slug(name), name=name, kind="supplier", kvk_number=kvk_number, actor=actor
        )
    link, created = SupplierLink.objects.get_or_create(
        care_org=care_org,
        supplier=supplier,
        defaults={"contact_email": contact_email, "created_by": actor},
    )
    if created:
        audit_record(
            action="supplier.registered",
            organisation=care_org,
            actor=actor,
            obj=link,
            after={"supplier": supplier.name, "kvk_number": supplier.kvk_number},
            request=request,
        )
    # A supplier without people yet: its contact person is invited as owner.
    if contact_email and not Membership.objects.active().filter(organisation=supplier).exists():
        invitation_create(
            organisation=supplier,
            email=contact_email,
            role="owner",
            actor=actor,
            on_behalf_of=care_org,
            request=request,
        )
    return link


def _clean_types(types) -> list[str]:
    if not isinstance(types, list | tuple) or not types:
        raise ValidationError({"supplier_types": _("Choose at least one supplier type.")})
    bad = [t for t in types if t not in SupplierType.values]
    if bad:
        raise ValidationError(
            {"supplier_types": _("Unknown supplier type: %(t)s") % {"t": ", ".join(map(str, bad))}}
        )
    return list(dict.fromkeys(types))


def _clean_intake(intake) -> dict[str, int]:
    try:
        return check_intake(intake if isinstance(intake, dict) else {})
    except IntakeError as exc:
        raise ValidationError({"intake": str(exc)}) from exc


def apply_tier(relationship: Relationship, appetite: dict | None = None) -> None:
    """Recompute the inherent tier (and, with it, the residual risk) from the intake."""
    compute(relationship, appetite or appetite_for(relationship.care_org))
    relationship.scored_at = timezone.now()


@transaction.atomic
def relationship_create(
    *,
    care_org,
    supplier,
    name: str,
    supplier_types,
    intake,
    actor,
    owner=None,
    products=(),
    status="prospect",
    request=None,
) -> Relationship:
    if not SupplierLink.objects.filter(care_org=care_org, supplier=supplier).exists():
        raise ValidationError({"supplier": _("Register this supplier first.")})
    if not name.strip():
        raise ValidationError({"name": _("A name is required.")})
    if status not in RelationshipStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    clean = _clean_intake(intake)
    rel = Relationship(
        care_org=care_org,
        supplier=supplier,
        name=name.strip()[:200],
        supplier_types=_clean_types(supplier_types),
        owner=owner or actor,
        status=status,
        **{f"intake_{k}": v for k, v in clean.items()},
    )
    apply_tier(rel)
    rel.save()
    risk_record(rel, RiskCause.CREATED)
    if products:
        rel.products.set([p for p in products if p.supplier_id == supplier.pk])
    audit_record(
        action="relationship.created",
        organisation=care_org,
        actor=actor,
        obj=rel,
        after={"intake": clean, "tier": rel.inherent_tier, "supplier_types": rel.supplier_types},
        request=request,
    )
    emit("relationship.created", relationship=rel, actor=actor)
    return rel


@transaction.atomic
def relationship_update(
    *, relationship: Relationship, actor, version: int | None = None, request=None, **changes
) -> Relationship:
    """Change name, types, status, owner or intake; an intake change re-scores at once."""
    rel = (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("care_org")
        .get(pk=relationship.pk)
    )
    if version is not None and version != rel.version:
        raise Conflict(
            _("Someone else changed this relationship meanwhile. Reload and try again."),
            current={"version": rel.version},
        )
    before = {
        "name": rel.name,
        "status": rel.status,
        "supplier_types": rel.supplier_types,
        "intake": rel.intake,
        "owner": rel.owner_id,
        "tier": rel.inherent_tier,
        "residual_risk": rel.residual_risk,
    }
    if "name" in changes:
        if not str(changes["name"]).strip():
            raise ValidationError({"name": _("A name is required.")})
        rel.name = str(changes["name"]).strip()[:200]
    if "supplier_types" in changes:
        rel.supplier_types = _clean_types(changes["supplier_types"])
    if "status" in changes:
        if changes["status"] not in RelationshipStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        rel.status = changes["status"]
    if "owner" in changes:
        owner = changes["owner"]
        if (
            owner is not None
            and not Membership.objects.active()
            .filter(user=owner, organisation=rel.care_org)
            .exists()
        ):
            raise ValidationError({"owner": _("The owner must be a member of your organisation.")})
        rel.owner = owner
    if "intake" in changes:
        merged = {**rel.intake, **(changes["intake"] or {})}
        clean = _clean_intake(merged)
        for k, v in clean.items():
            setattr(rel, f"intake_{k}", v)
    apply_tier(rel)
    rel.version += 1
    rel.save()
    if "intake" in changes:
        if risk_record(rel, RiskCause.INTAKE) is not None:
            emit("relationship.intake_changed", relationship=rel, actor=actor)
    after = {
        "name": rel.name,
        "status": rel.status,
        "supplier_types": rel.supplier_types,
        "intake": rel.intake,
        "owner": rel.owner_id,
        "tier": rel.inherent_tier,
        "residual_risk": rel.residual_risk,
    }
    changed = {k: v for k, v in after.items() if before[k] != v}
    if changed:
        audit_record(
            action="relationship.changed",
            organisation=rel.care_org,
            actor=actor,
            obj=rel,
            before={k: before[k] for k in changed},
            after=changed,
            request=request,
        )
    return rel


__all__ = [
    "INTAKE_FACTORS",
    "supplier_register",
    "relationship_create",
    "relationship_update",
    "apply_tier",
]


COUNTRY_RE = __import__("re").compile(r"^[A-Z]{2}$")


@transaction.atomic
def product_save(
    *,
    supplier,
    actor,
    name: str,
    description: str = "",
    supplier_types=(),
    product=None,
    request=None,
):
    """A supplier maintains its own products; care organisations only pick them."""

    if not name.strip():
        raise ValidationError({"name": _("A name is required.")})
    types = _clean_types(list(supplier_types)) if supplier_types else []
    if product is None:
        product = Product.objects.create(
            supplier=supplier,
            name=name.strip()[:200],
            description=description[:4000],
            supplier_types=types,
        )
        action = "product.created"
    else:
        product.name, product.description, product.supplier_types = (
            name.strip()[:200],
            description[:4000],
            types,
        )
        product.save()
        action = "product.changed"
    audit_record(
        action=action,
        organisation=supplier,
        actor=actor,
        obj=product,
        after={"name": product.name, "supplier_types": types},
        request=request,
    )
    return product


@transaction.atomic
def subprocessor_add(
    *,
    product,
    actor,
    name: str,
    service: str,
    country: str,
    parent_country: str = "",
    data_access: bool = False,
    request=None,
):

    country, parent_country = country.strip().upper(), parent_country.strip().upper()
    errors = {}
    if not name.strip():
        errors["name"] = _("A name is required.")
    if not service.strip():
        errors["service"] = _("Say what the party does for this product.")
    if not COUNTRY_RE.match(country):
        errors["country"] = _("Use a two-letter country code, such as NL or US.")
    if parent_country and not COUNTRY_RE.match(parent_country):
        errors["parent_country"] = _("Use a two-letter country code, such as NL or US.")
    if errors:
        raise ValidationError(errors)
    sub = SubProcessor.objects.create(
        product=product,
        name=name.strip()[:200],
        service=service.strip()[:200],
        country=country,
        parent_country=parent_country,
        data_access=data_access,
    )
    audit_record(
        action="subprocessor.added",
        organisation=product.supplier,
        actor=actor,
        obj=sub,
        after={
            "product": product.name,
            "name": sub.name,
            "country": country,
            "parent": parent_country,
        },
        request=request,
    )
    return sub


@transaction.atomic
def relationship_set_products(*, relationship, products, actor, request=None):
    """The care organisation picks which of the supplier's products the relationship covers."""
    chosen = [p for p in products if p.supplier_id == relationship.supplier_id]
    before = sorted(relationship.products.values_list("name", flat=True))
    relationship.products.set(chosen)
    audit_record(
        action="relationship.products_changed",
        organisation=relationship.care_org,
        actor=actor,
        obj=relationship,
        before={"products": before},
        after={"products": sorted(p.name for p in chosen)},
        request=request,
    )
    return relationship
