"""Pages for trust profiles: the supplier's profiles with access requests and the access log;
the care directory, requesting access, reading a granted profile and assessing from it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict, error_text
from suppliers.models import Product, Relationship

from ..models import QuestionnaireTemplate
from ..selectors import library_describe
from . import selectors, services
from .models import Visibility


@membership_required("profile.read")
def profiles(request):
    org = request.membership.organisation
    q = request.GET.get("q", "").strip()[:100]
    found = selectors.profiles_for(request.membership, q)
    rows = [(p, selectors.access_of(p, org) if org.is_care else "owner") for p in found]
    products = Product.objects.filter(supplier=org) if org.is_supplier else []
    return render(
        request,
        "questionnaires/trust_profiles.html",
        {"rows": rows, "q": q, "products": products, "visibilities": Visibility.choices[:2]},
    )


@require_POST
@membership_required("supplier.manage_profile")
def publish(request):
    org = request.membership.organisation
    product = get_object_or_404(Product, supplier=org, pk=_int(request.POST.get("product")))
    try:
        profile = services.profile_publish(
            supplier=org,
            product=product,
            visibility=request.POST.get("visibility", ""),
            terms=request.POST.get("terms", "")[:8000],
            actor=request.user,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("trust_profiles")
    messages.success(request, _("The trust profile is published."))
    return redirect("trust_profile_detail", pk=profile.pk)


@membership_required("profile.read")
def detail(request, pk: int):
    profile = get_object_or_404(selectors.profiles_for(request.membership), pk=pk)
    org = request.membership.organisation
    context = {"profile": profile, "is_owner": org.is_supplier}
    if org.is_supplier:
        context["requests"] = selectors.requests_for(request.membership).filter(profile=profile)
        context["log"] = profile.log.select_related("care_org", "user")[:50]
        context["answers"] = _described(request, profile, own=True)
    else:
        context["access"] = selectors.access_of(profile, org)
        if context["access"] == "granted":
            services.profile_log_view(profile=profile, membership=request.membership)
            context["answers"] = _described(request, profile, own=False)
            context["relationships"] = Relationship.objects.filter(
                care_org=org, supplier=profile.supplier
            )
            context["templates"] = _templates(org)
    return render(request, "questionnaires/trust_profile_detail.html", context)


@require_POST
@membership_required("profile.request")
def request_access(request, pk: int):
    profile = get_object_or_404(selectors.profiles_for(request.membership), pk=pk)
    try:
        services.profile_request_access(
            profile=profile,
            care_org=request.membership.organisation,
            actor=request.user,
            message=request.POST.get("message", "")[:4000],
            accept_terms=request.POST.get("accept_terms") == "on",
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Your request has been sent to the supplier."))
    return redirect("trust_profile_detail", pk=profile.pk)


DECISIONS = {
    "grant": services.access_grant,
    "deny": services.access_deny,
    "revoke": services.access_revoke,
}


@require_POST
@membership_required("supplier.manage_profile")
def decide(request, pk: int, decision: str):
    if decision not in DECISIONS:
        raise Http404
    access = get_object_or_404(selectors.requests_for(request.membership), pk=pk)
    try:
        DECISIONS[decision](access=access, actor=request.user, request=request)
    except Conflict as exc:
        messages.error(request, str(exc))
    return redirect("trust_profile_detail", pk=access.profile_id)


@require_POST
@membership_required("assessment.send")
def assess(request, pk: int):
    org = request.membership.organisation
    profile = get_object_or_404(selectors.profiles_for(request.membership), pk=pk)
    if not selectors.has_access(profile, org):
        raise Http404
    relationship = get_object_or_404(
        Relationship, care_org=org, pk=_int(request.POST.get("relationship"))
    )
    template = get_object_or_404(_templates(org), pk=_int(request.POST.get("template")))
    try:
        assessment = services.assessment_from_profile(
            profile=profile,
            relationship=relationship,
            template=template,
            actor=request.user,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("trust_profile_detail", pk=profile.pk)
    messages.success(request, _("The assessment was started from the trust profile."))
    return redirect("assessment_detail", pk=assessment.pk)


def _templates(org):
    published = QuestionnaireTemplate.objects.filter(status="published")
    return published.filter(owner=org) | published.filter(owner__isnull=True)


def _described(request, profile, *, own: bool):
    """Answers in words; a supplier's private ones only on its own page."""
    lang = "en" if request.LANGUAGE_CODE.startswith("en") else "nl"
    return library_describe(selectors.profile_answers(profile, include_private=own), lang)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
