"""Pages: the care administrator's SCIM tokens and group-to-role table."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.accounts.decorators import membership_required
from portal.core.tenancy import get_visible_or_404

from . import selectors, services
from .forms import GroupRoleForm, TokenForm
from .models import GroupRoleMapping, ScimToken
from .services.roles import ROLE_ORDER


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@membership_required("scim.manage")
def scim_settings(request):
    membership = request.membership
    token_form, mapping_form = TokenForm(), GroupRoleForm()
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "mapping":
            mapping_form = GroupRoleForm(request.POST)
            if mapping_form.is_valid():
                try:
                    services.mapping_add(
                        organisation=membership.organisation,
                        actor=request.user,
                        request=request,
                        **mapping_form.cleaned_data,
                    )
                except ValidationError as exc:
                    _form_errors(mapping_form, exc)
                else:
                    messages.success(request, _("Group mapping saved; roles are updated."))
                    return redirect("scim_settings")
        else:
            token_form = TokenForm(request.POST)
            if token_form.is_valid():
                try:
                    _token, new_key = services.scim_token_create(
                        organisation=membership.organisation,
                        name=token_form.cleaned_data["name"],
                        actor=request.user,
                        request=request,
                    )
                except ValidationError as exc:
                    _form_errors(token_form, exc)
                else:
                    token_form = TokenForm()
    mappings = selectors.mappings_for(membership=membership)
    mapped = {m.group_name.lower(): m for m in mappings}
    total, active = selectors.scim_user_count(membership=membership)
    return render(
        request,
        "scim/settings.html",
        {
            "tenant_url": request.build_absolute_uri(reverse("scim_users")).rsplit("/Users", 1)[0],
            "tokens": selectors.tokens_for(membership=membership),
            "mappings": sorted(mappings, key=lambda m: (ROLE_ORDER.index(m.role), m.group_name)),
            "groups": [
                (g, mapped.get(g.display_name.lower()))
                for g in selectors.groups_for(membership=membership)
            ],
            "people_total": total,
            "people_active": active,
            "token_form": token_form,
            "mapping_form": mapping_form,
            "new_key": new_key,
        },
    )


@membership_required("scim.manage")
def scim_token_revoke(request, pk: int):
    token = get_visible_or_404(ScimToken, request.membership, pk=pk, revoked_at__isnull=True)
    if request.method == "POST":
        services.scim_token_revoke(token=token, actor=request.user, request=request)
        messages.success(
            request, _("SCIM token revoked; the identity provider can no longer use it.")
        )
        return redirect("scim_settings")
    return render(request, "scim/token_revoke.html", {"token": token})


@membership_required("scim.manage")
def scim_mapping_delete(request, pk: int):
    mapping = get_visible_or_404(GroupRoleMapping, request.membership, pk=pk)
    if request.method == "POST":
        try:
            services.mapping_delete(mapping=mapping, actor=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Group mapping deleted; roles are updated."))
        return redirect("scim_settings")
    return render(request, "scim/mapping_delete.html", {"mapping": mapping})
