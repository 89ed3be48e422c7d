"""Tenancy: the one scoping helper every tenant-owned queryset uses.

`Model.objects.visible_to(membership)` narrows a queryset to what the membership's
organisation may see. A foreign object is then simply absent: views turn that into a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from portal.core.accounts.models import Membership


class TenantQuerySet(models.QuerySet):
    """A queryset whose rows belong to one organisation through `organisation_field`.

    Subclasses with a more complex visibility (a supplier sees assessments addressed to it,
    a care org those it sent) override `visible_to`.
    """

    organisation_field = "organisation"

    def visible_to(self, membership: Membership | None) -> models.QuerySet:
        if membership is None or not membership.is_active:
            return self.none()
        return self.filter(**{self.organisation_field: membership.organisation_id})


def visible_to(queryset_or_model: Any, membership: Membership | None) -> models.QuerySet:
    """Scope a model or queryset to a membership; the single entry point used by selectors."""
    qs = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    if not hasattr(qs, "visible_to"):
        raise TypeError(f"{qs.model.__name__} has no tenant scoping (visible_to)")
    return qs.visible_to(membership)


def get_visible_or_404(queryset_or_model: Any, membership: Membership | None, **lookup: Any):
    """Fetch one object the membership may see, or raise 404 (never 403) for anything else."""
    try:
        return visible_to(queryset_or_model, membership).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


class TwoSidedQuerySet(TenantQuerySet):
    """Rows shared by a care organisation and a supplier: each side sees its own.

    `care_field` and `supplier_field` name the organisation on each side; `supplier_excludes`
    hides rows the supplier may not see yet (for example draft assessments).
    """

    care_field = "care_org"
    supplier_field = "supplier"
    supplier_excludes: dict = {}

    def visible_to(self, membership: Membership | None) -> models.QuerySet:
        if membership is None or not membership.is_active:
            return self.none()
        if membership.organisation.kind == "care":
            return self.filter(**{self.care_field: membership.organisation_id})
        qs = self.filter(**{self.supplier_field: membership.organisation_id})
        return qs.exclude(**self.supplier_excludes) if self.supplier_excludes else qs
