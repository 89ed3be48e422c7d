"""Rapid questionnaire pages: start one (fourth party, product or selection), watch the live
board, download the spreadsheet and the board's one-page PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
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


def _preview_url(name: str, due: str) -> str:
    query = urlencode({"fourth_party": name[:200], "due_date": due[:10]})
    return f"{reverse('rapid_preview')}?{query}"


@membership_required("incident.assess")
def rapid_preview(request):
    """The step before a rapid questionnaire about a fourth party: every live relationship
    whose products declare a fourth party of a matching name, and why; nothing is sent."""
    name = request.GET.get("fourth_party", "").strip()[:200]
    context = {
        "name": name,
        "due_date": request.GET.get("due_date", "")[:10],
        "groups": selectors.fourth_party_preview(
            care_org=request.membership.organisation, name=name
        ),
    }
    return render(request, "rapid/preview.html", context)


@require_POST
@membership_required("incident.assess")
def rapid_start(request):
    """Product or selection: sent at once. Fourth party: first the preview, then (with
    `confirm`) only the relationships ticked there."""
    post = request.POST
    pick, name = post.get("pick"), post.get("fourth_party", "").strip()
    if pick == "fourth_party" and not post.get("confirm"):
        return redirect(_preview_url(name, post.get("due_date", "")))
    back = _preview_url(name, post.get("due_date", "")) if pick == "fourth_party" else None
    due = parse_date(post.get("due_date") or "") if post.get("due_date") else None
    if post.get("due_date") and due is None:
        messages.error(request, _("Give the due date as a date."))
        return redirect(back or "rapid_list")
    common = {"care_org": request.membership.organisation, "actor": request.user}
    try:
        if pick == "fourth_party":
            rapid = services.rapid_assessment_confirm(
                **common,
                fourth_party=name,
                relationships=post.getlist("relationships"),
                due_date=due,
                request=request,
            )
        else:
            rapid = services.rapid_assessment_start(
                **common,
                product=post.get("product") if pick == "product" else None,
                relationships=post.getlist("relationships") if pick == "selection" else (),
                due_date=due,
                request=request,
            )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(back or "rapid_list")
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
