"""Pages: an organisation's webhook endpoints, their delivery log, ping and redelivery."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required

from . import selectors, services
from .forms import ActiveForm, EndpointForm

LOG_LENGTH = 50


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@membership_required("webhooks.manage")
def webhook_list(request):
    membership = request.membership
    names = services.event_choices(membership.organisation)
    form = EndpointForm(event_names=names)
    new_secret, created = None, None
    if request.method == "POST":
        form = EndpointForm(request.POST, event_names=names)
        if form.is_valid():
            try:
                created, new_secret = services.webhook_create(
                    organisation=membership.organisation,
                    actor=request.user,
                    request=request,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                form = EndpointForm(event_names=names)
    return render(
        request,
        "webhooks/list.html",
        {
            "endpoints": selectors.endpoints_for(membership=membership),
            "form": form,
            "created": created,
            "new_secret": new_secret,
        },
    )


@membership_required("webhooks.manage")
def webhook_detail(request, pk: int):
    endpoint = selectors.endpoint_get(membership=request.membership, pk=pk)
    names = services.event_choices(endpoint.organisation)
    form = EndpointForm(
        initial={
            "url": endpoint.url,
            "description": endpoint.description,
            "events": endpoint.events,
        },
        event_names=names,
    )
    if request.method == "POST":
        if request.POST.get("action") == "active":
            active = ActiveForm(request.POST)
            active.is_valid()
            services.webhook_update(
                endpoint=endpoint,
                actor=request.user,
                is_active=active.cleaned_data.get("is_active", False),
                request=request,
            )
            messages.success(request, _("Webhook endpoint saved."))
            return redirect("webhook_detail", pk=endpoint.pk)
        form = EndpointForm(request.POST, event_names=names)
        if form.is_valid():
            try:
                services.webhook_update(
                    endpoint=endpoint, actor=request.user, request=request, **form.cleaned_data
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Webhook endpoint saved."))
                return redirect("webhook_detail", pk=endpoint.pk)
    return render(
        request,
        "webhooks/detail.html",
        {
            "endpoint": endpoint,
            "form": form,
            "deliveries": selectors.deliveries_of(endpoint=endpoint)[:LOG_LENGTH],
        },
    )


@membership_required("webhooks.manage")
def webhook_delete(request, pk: int):
    endpoint = selectors.endpoint_get(membership=request.membership, pk=pk)
    if request.method == "POST":
        services.webhook_delete(endpoint=endpoint, actor=request.user, request=request)
        messages.success(request, _("Webhook endpoint deleted."))
        return redirect("webhook_list")
    return render(request, "webhooks/delete.html", {"endpoint": endpoint})


@require_POST
@membership_required("webhooks.manage")
def webhook_ping(request, pk: int):
    endpoint = selectors.endpoint_get(membership=request.membership, pk=pk)
    services.webhook_ping(endpoint=endpoint, actor=request.user, request=request)
    messages.success(request, _("Test event sent; its result is in the delivery log."))
    return redirect("webhook_detail", pk=endpoint.pk)


@require_POST
@membership_required("webhooks.manage")
def delivery_redeliver(request, pk: int, delivery_pk: int):
    endpoint = selectors.endpoint_get(membership=request.membership, pk=pk)
    delivery = selectors.delivery_get(endpoint=endpoint, pk=delivery_pk)
    services.delivery_redeliver(delivery=delivery, actor=request.user, request=request)
    messages.success(request, _("Sent again; its result is in the delivery log."))
    return redirect("webhook_detail", pk=endpoint.pk)
