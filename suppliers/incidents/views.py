"""Incident pages: the supplier reports and adds stages; each care organisation reads its own
copy, acknowledges, assesses its impact and ticks its duties."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict, TooLarge, error_text
from portal.core.permissions import has_perm
from portal.core.uploads import UploadRefused
from suppliers.models import Product

from . import selectors, services
from .models import Affected, Duty, IncidentUpdate, Recipient, UpdateKind


class ReportForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("What happened"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    products = forms.MultipleChoiceField(
        label=gettext_lazy("Products affected"), widget=forms.CheckboxSelectMultiple
    )
    detected_at = forms.DateTimeField(
        label=gettext_lazy("Detected at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    health_data = forms.BooleanField(
        label=gettext_lazy("Health data may be affected"), required=False
    )
    availability = forms.BooleanField(
        label=gettext_lazy("Availability is affected"), required=False
    )

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].choices = [(str(p.pk), p.name) for p in products]


class UpdateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Stage"), choices=UpdateKind.choices)
    text = forms.CharField(
        label=gettext_lazy("Text"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(label=gettext_lazy("Attachment (optional)"), required=False)


class ImpactForm(forms.Form):
    affected = forms.ChoiceField(label=gettext_lazy("Affected here?"), choices=Affected.choices)
    patient_care_impact = forms.CharField(
        label=gettext_lazy("Effect on patient care"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _incident(request, pk):
    incident = selectors.incidents_for(membership=request.membership).filter(pk=pk).first()
    if incident is None:
        raise Http404
    return incident


def _apply_errors(form, exc) -> None:
    if isinstance(exc, Conflict):
        form.add_error(None, exc.message)
    elif hasattr(exc, "error_dict"):
        for field, msgs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, msgs)
    else:
        form.add_error(None, exc.messages)


@membership_required("incident.read")
def incident_list(request):
    membership = request.membership
    incidents = list(selectors.incidents_for(membership=membership)[:200])
    copies = {}
    if membership.organisation.kind == "care":
        copies = {
            r.incident_id: r
            for r in Recipient.objects.filter(
                care_org=membership.organisation_id, incident__in=incidents
            )
        }
    rows = [{"incident": i, "copy": copies.get(i.pk)} for i in incidents]
    return render(
        request,
        "incidents/list.html",
        {
            "rows": rows,
            "supplier_side": membership.organisation.kind == "supplier",
            "can_report": has_perm(membership, "incident.report"),
        },
    )


@membership_required("incident.report")
def incident_report(request):
    org = request.membership.organisation
    products = list(Product.objects.filter(supplier=org).order_by("name"))
    form = ReportForm(request.POST or None, products=products)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        chosen = {int(x) for x in d["products"]}
        try:
            incident = services.incident_report(
                supplier=org,
                actor=request.user,
                title=d["title"],
                description=d["description"],
                products=[p for p in products if p.pk in chosen],
                detected_at=d["detected_at"],
                health_data=d["health_data"],
                availability=d["availability"],
                request=request,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            n = incident.recipients.count()
            messages.success(
                request,
                _("The incident was delivered to %(n)s customer(s). The NIS2 clock is running.")
                % {"n": n},
            )
            return redirect("incident_detail", pk=incident.pk)
    if not products:
        messages.info(request, _("Add your products first: an incident is reported on products."))
    return render(request, "incidents/report.html", {"form": form, "has_products": bool(products)})


@membership_required("incident.read")
def incident_detail(request, pk: int):
    membership = request.membership
    incident = _incident(request, pk)
    copy = selectors.copy_of(membership=membership, incident=incident)
    supplier_side = membership.organisation.kind == "supplier"
    context = {
        "incident": incident,
        "supplier_side": supplier_side,
        "deadlines": selectors.deadlines_view(incident),
        "timeline": selectors.timeline(incident=incident, recipient=copy),
        "copy": copy,
        "can_update": supplier_side and has_perm(membership, "incident.report"),
        "can_assess": (not supplier_side) and has_perm(membership, "incident.assess"),
    }
    if supplier_side:
        context["acknowledgements"] = selectors.acknowledgements(incident=incident)
        context["update_form"] = UpdateForm()
    elif copy is not None:
        context.update(selectors.impact_context(copy, incident))
        context["impact_form"] = ImpactForm(
            initial={
                "affected": copy.affected,
                "patient_care_impact": copy.patient_care_impact,
                "notes": copy.notes,
            }
        )
    return render(request, "incidents/detail.html", context)


@require_POST
@membership_required("incident.report")
def incident_add_update(request, pk: int):
    incident = _incident(request, pk)
    form = UpdateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.incident_update(
                incident=incident,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                file=form.cleaned_data.get("file"),
                request=request,
            )
        except (ValidationError, Conflict, UploadRefused, TooLarge) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Your update was delivered to your customers."))
    else:
        messages.error(request, _("Choose a stage and write the update."))
    return redirect("incident_detail", pk=incident.pk)


def _copy(request, pk):
    incident = _incident(request, pk)
    copy = selectors.copy_of(membership=request.membership, incident=incident)
    if copy is None:
        raise Http404
    return incident, copy


@require_POST
@membership_required("incident.assess")
def incident_acknowledge(request, pk: int):
    incident, copy = _copy(request, pk)
    services.incident_acknowledge(recipient=copy, actor=request.user, request=request)
    messages.success(request, _("Acknowledged: the supplier sees that you have the notice."))
    return redirect("incident_detail", pk=incident.pk)


@require_POST
@membership_required("incident.assess")
def incident_impact(request, pk: int):
    incident, copy = _copy(request, pk)
    form = ImpactForm(request.POST)
    notes = {
        str(r.pk): request.POST.get(f"rel-{r.pk}", "")[:2000] for r in copy.relationships.all()
    }
    if form.is_valid():
        try:
            services.impact_assess(
                recipient=copy,
                actor=request.user,
                relationship_notes=notes,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Your impact assessment is saved."))
    else:
        messages.error(request, _("Choose whether the incident affects you."))
    return redirect("incident_detail", pk=incident.pk)


@require_POST
@membership_required("incident.assess")
def incident_duty(request, pk: int, duty_pk: int):
    incident, copy = _copy(request, pk)
    duty = get_object_or_404(Duty, pk=duty_pk, recipient=copy)
    action = request.POST.get("action", "")
    services.duty_set(
        duty=duty,
        actor=request.user,
        done=action == "done",
        not_applicable=action == "not_applicable",
        request=request,
    )
    return redirect("incident_detail", pk=incident.pk)


@require_POST
@membership_required("incident.assess")
def incident_mark_due(request, pk: int, relationship_pk: int):
    incident, copy = _copy(request, pk)
    rel = get_object_or_404(copy.relationships.all(), pk=relationship_pk)
    services.incident_mark_reassessment(
        recipient=copy, relationship=rel, actor=request.user, request=request
    )
    messages.success(
        request,
        _("%(rel)s is due for reassessment from today.") % {"rel": rel.name},
    )
    return redirect("incident_detail", pk=incident.pk)


@membership_required("incident.read")
def incident_attachment(request, pk: int, update_pk: int):
    incident = _incident(request, pk)
    update = get_object_or_404(IncidentUpdate, pk=update_pk, incident=incident)
    if not update.file:
        raise Http404
    return FileResponse(
        update.file.open("rb"),
        as_attachment=True,
        filename=update.file_name,
        content_type=update.content_type or "application/octet-stream",
    )
