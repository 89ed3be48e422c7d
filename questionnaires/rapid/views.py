"""Rapid questionnaire pages: start one (fourth party, product or selection), watch the live
board, download the spreadsheet and the board's one-page PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import error_text
from portal.core.permissions import has_perm
from portal.core.xlsx import XLSX_TYPE
from suppliers import reach
from suppliers.models import Product, SubProcessor

from . import exports, selectors, services


def _rapid(request, pk):
    rapid = selectors.rapid_for(membership=request.membership).filter(pk=pk).first()
    if rapid is None:
        raise Http404
    return rapid


def _choices(care_org) -> dict:
    live = reach.live_relationships(care_org).order_by().values("pk")
    products = Product.objects.filter(relationships__in=live).select_related("supplier").distinct()
    parties = (
        SubProcessor.objects.filter(product__relationships__in=live)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    return {
        "products": products.order_by("supplier__name", "name"),
        "parties": sorted({p for p in parties}, key=str.lower),
        "relationships": reach.live_relationships(care_org)
        .select_related("supplier")
        .order_by("name"),
    }


@membership_required("care.read")
def rapid_list(request):
    membership = request.membership
    context = {
        "rounds": list(selectors.rapid_for(membership=membership)[:100]),
        "can_send": has_perm(membership, "incident.assess"),
        "preset": request.GET.get("fourth_party", "")[:200],
    }
    if context["can_send"]:
        context.update(_choices(membership.organisation))
    return render(request, "rapid/list.html", context)


@require_POST
@membership_required("incident.assess")
def rapid_start(request):
    post = request.POST
    due = parse_date(post.get("due_date") or "") if post.get("due_date") else None
    if post.get("due_date") and due is None:
        messages.error(request, _("Give the due date as a date."))
        return redirect("rapid_list")
    try:
        rapid = services.rapid_assessment_start(
            care_org=request.membership.organisation,
            actor=request.user,
            fourth_party=post.get("fourth_party", "") if post.get("pick") == "fourth_party" else "",
            product=post.get("product") if post.get("pick") == "product" else None,
            relationships=post.getlist("relationships") if post.get("pick") == "selection" else (),
            due_date=due,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("rapid_list")
    return redirect("rapid_detail", pk=rapid.pk)


@membership_required("care.read")
def rapid_detail(request, pk: int):
    rapid = _rapid(request, pk)
    data = selectors.board(rapid)
    return render(request, "rapid/detail.html", {"rapid": rapid, "job": rapid.job, **data})


@membership_required("care.read")
def rapid_export(request, pk: int):
    rapid = _rapid(request, pk)
    body = exports.board_xlsx(rapid, selectors.board(rapid))
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ketenwacht-rapid-{rapid.pk}.xlsx"'
    return response


@membership_required("care.read")
def rapid_summary_pdf(request, pk: int):
    rapid = _rapid(request, pk)
    body = exports.board_pdf(rapid, selectors.board(rapid))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ketenwacht-rapid-{rapid.pk}.pdf"'
    return response
