"""Pages for trust profiles: the supplier's profiles with the visibility per item, access
requests and the access log; the care directory, requesting access, reading a profile (its
summary, or all that is not private once granted), downloading documents and assessing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict, error_text
from suppliers.models import Product, Relationship, SupplierDocument

from ..models import QuestionnaireTemplate
from ..selectors import library_describe
from . import selectors, services
from .models import SEEN_BY_ALL, Visibility


@membership_required("profile.read")
def profiles(request):
    org = request.membership.organisation
    q = request.GET.get("q", "").strip()[:100]
    found = selectors.profiles_for(request.membership, q)
    rows = [
        (
            p,
            selectors.access_of(p, org) if org.is_care else "owner",
            selectors.summary_certificates(p),
        )
        for p in found
    ]
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
    levels = selectors.levels_for(profile, org)
    context = {
        "profile": profile,
        "is_owner": org.is_supplier,
        "answers": _described(request, profile, levels),
        "documents": selectors.profile_documents(profile, levels=levels),
        "can_download": levels != SEEN_BY_ALL,
    }
    if org.is_supplier:
        context["requests"] = selectors.requests_for(request.membership).filter(profile=profile)
        context["log"] = profile.log.select_related("care_org", "user")[:50]
        context["all_documents"] = _document_rows(profile)
        context["levels"] = Visibility.choices
    else:
        context["access"] = selectors.access_of(profile, org)
        if context["access"] == "granted":
            services.profile_log_view(profile=profile, membership=request.membership)
            context["relationships"] = Relationship.objects.filter(
                care_org=org, supplier=profile.supplier
            )
            context["templates"] = _templates(org)
    return render(request, "questionnaires/trust_profile_detail.html", context)


def _document_rows(profile):
    """Every document of the supplier with its choice in this profile ('excluded' if left out)."""
    chosen = {d.document_id: d.visibility for d in profile.documents.all()}
    docs = SupplierDocument.objects.filter(supplier=profile.supplier).order_by("title", "pk")
    return [(d, chosen.get(d.pk, services.EXCLUDED)) for d in docs]


@require_POST
@membership_required("supplier.manage_profile")
def items(request, pk: int):
    """The owner's table: one select per answer and per document, saved at once."""
    profile = get_object_or_404(selectors.profiles_for(request.membership), pk=pk)
    answers = {k[7:]: v for k, v in request.POST.items() if k.startswith("answer:")}
    documents = {}
    for key, value in request.POST.items():
        if key.startswith("document:"):
            documents[_int(key[9:])] = value
    try:
        services.profile_items_set(
            profile=profile,
            answers=answers,
            documents=documents,
            actor=request.user,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The visibility of the items is saved."))
    return redirect("trust_profile_detail", pk=profile.pk)


@membership_required("profile.read")
def document(request, pk: int, document: int):
    """Download an included document: the owner, or a care organisation with access (logged);
    anyone else, and any private or left-out document, a 404."""
    profile = get_object_or_404(selectors.profiles_for(request.membership), pk=pk)
    org = request.membership.organisation
    doc = selectors.downloadable(profile, org, document)
    if doc is None:
        raise Http404
    if org.is_care:
        services.profile_log_view(
            profile=profile, membership=request.membership, action="downloaded", detail=doc.title
        )
    response = FileResponse(
        doc.file.open("rb"), as_attachment=True, filename=doc.name, content_type=doc.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


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
    if assessment.follow_up is not None:
        n = len(assessment.follow_up.only_codes)
        messages.info(
            request,
            ngettext(
                "%(n)d question the profile does not cover was sent to the supplier.",
                "%(n)d questions the profile does not cover were sent to the supplier.",
                n,
            )
            % {"n": n},
        )
    return redirect("assessment_detail", pk=assessment.pk)


def _templates(org):
    published = QuestionnaireTemplate.objects.filter(status="published")
    return published.filter(owner=org) | published.filter(owner__isnull=True)


def _described(request, profile, levels):
    """The answers this organisation may see, in words (private ones only for the owner)."""
    lang = "en" if request.LANGUAGE_CODE.startswith("en") else "nl"
    entries = library_describe(selectors.profile_answers(profile, levels=levels), lang)
    for e in entries:
        e.level, e.chosen = profile.answer_level(e.code), profile.answer_visibility.get(e.code, "")
    return entries


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
