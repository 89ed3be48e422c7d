"""Sending questionnaires (care side): one relationship, the list of assessments, and many
relationships at once as a background job."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict, error_text
from portal.core.jobs.models import Job
from portal.core.permissions import has_perm
from portal.core.xlsx import wants_xlsx, xlsx_response
from suppliers import selectors as supplier_selectors

from . import assessments as svc
from . import selectors
from .models import Assignment
from .tasks import bulk_send


class SendForm(forms.Form):
    template = forms.ChoiceField(label=gettext_lazy("Questionnaire"))
    due_date = forms.DateField(
        label=gettext_lazy("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    message = forms.CharField(
        label=gettext_lazy("Message to the supplier"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [
            (t.pk, f"{t.title} (v{t.version}, {t.question_count})") for t in templates
        ]


_error_text = error_text


@membership_required("assessment.send")
def assessment_send(request, pk: int):
    rel = get_object_or_404(
        supplier_selectors.relationships_for(membership=request.membership), pk=pk
    )
    templates = list(selectors.templates_for(membership=request.membership, published_only=True))
    proposed = selectors.propose_template(membership=request.membership, relationship=rel)
    form = SendForm(
        request.POST or None,
        templates=templates,
        initial={
            "template": proposed.pk if proposed else None,
            "due_date": timezone.localdate() + timedelta(days=30),
        },
    )
    if request.method == "POST" and form.is_valid():
        template = next(t for t in templates if str(t.pk) == form.cleaned_data["template"])
        try:
            a = svc.assessment_create(
                relationship=rel,
                template=template,
                due_date=form.cleaned_data["due_date"],
                message=form.cleaned_data["message"],
                actor=request.user,
                request=request,
            )
            svc.assessment_send(assessment=a, actor=request.user, request=request)
        except (ValidationError, Conflict) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(
                request, _("%(s)s has received the questionnaire.") % {"s": rel.supplier.name}
            )
            return redirect("assessment_detail", pk=a.pk)
    return render(
        request,
        "questionnaires/assessment_send.html",
        {"rel": rel, "form": form, "proposed": proposed},
    )


@membership_required()
def assessment_list(request):
    membership = request.membership
    if not (has_perm(membership, "care.read") or has_perm(membership, "supplier.answer")):
        return render(request, "403.html", status=403)
    rows = list(selectors.assessments_for(membership=membership).order_by("due_date")[:200])
    progress = svc.progress_of_many(rows)  # three queries for all of them
    items = [(a, progress[a.pk]) for a in rows]
    mine = set()
    if membership.organisation.kind == "supplier":
        mine = set(
            Assignment.objects.filter(
                assignee=request.user, assessment__in=[a for a, _p in items]
            ).values_list("assessment_id", flat=True)
        )
        items.sort(key=lambda item: item[0].pk not in mine)  # what is yours first
    if wants_xlsx(request):
        supplier_side = membership.organisation.kind == "supplier"
        return xlsx_response(
            "ketenwacht-assessments.xlsx",
            _("Assessments"),
            [
                _("Customer") if supplier_side else _("Supplier"),
                _("Relationship"),
                _("Questionnaire"),
                _("Status"),
                _("Due date"),
                _("Answered"),
                _("Questions"),
            ],
            (
                [
                    a.relationship.care_org.name if supplier_side else a.relationship.supplier.name,
                    a.relationship.name,
                    a.template.title,
                    a.get_status_display(),
                    a.due_date,
                    p["answered"],
                    p["total"],
                ]
                for a, p in items
            ),
        )
    return render(
        request,
        "questionnaires/assessment_list.html",
        {"items": items, "today": timezone.localdate(), "mine": mine},
    )


@require_POST
@membership_required("assessment.send")
def assessment_bulk_send(request):
    """Send the proposed questionnaire to many relationships at once, as a background job."""

    ids = [int(x) for x in request.POST.getlist("relationships") if x.isdecimal()]
    visible = list(
        supplier_selectors.relationships_for(membership=request.membership)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    if not visible:
        messages.error(request, _("Select at least one relationship."))
        return redirect("supplier_list")
    due = request.POST.get("due_date") or (timezone.localdate() + timedelta(days=30)).isoformat()
    job = Job.objects.create(
        organisation=request.membership.organisation,
        user=request.user,
        kind="bulk_send",
        params={"relationships": visible, "due_date": due},
        total=len(visible),
    )
    transaction.on_commit(lambda: bulk_send.delay(job.pk))
    return redirect("job_detail", pk=job.pk)
