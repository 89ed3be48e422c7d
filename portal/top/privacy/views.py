"""Pages: an organisation's data export (admin / owner) and erasing a supplier member."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.accounts.decorators import membership_required
from portal.core.accounts.models import Membership
from portal.core.tenancy import get_visible_or_404

from .erasure import erasure_problems, person_erase
from .export import organisation_export
from .forms import EraseForm


@membership_required("org.export")
def export(request, slug: str):
    """GET explains what the archive holds; POST builds it and sends it as a download."""
    organisation = request.membership.organisation
    if slug != organisation.slug:
        raise Http404
    if request.method == "POST":
        archive = tempfile.TemporaryFile()  # FileResponse closes (and so removes) it
        organisation_export(
            organisation=organisation, out=archive, actor=request.user, request=request
        )
        archive.seek(0)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = FileResponse(
            archive,
            as_attachment=True,
            filename=f"ketenwacht-{organisation.slug}-{stamp}.zip",
            content_type="application/zip",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return render(request, "privacy/export.html", {"organisation": organisation})


@membership_required("member.erase")
def member_erase(request, pk: int):
    """The confirm step, then the erasure of one member's personal data (AVG art. 17)."""
    target = get_visible_or_404(Membership, request.membership, pk=pk)
    person = target.user
    organisation = request.membership.organisation
    problems = erasure_problems(user=person, actor=request.user, organisation=organisation)
    form = EraseForm(request.POST or None, email=person.email)
    if request.method == "POST" and not problems and form.is_valid():
        try:
            person_erase(
                user=person,
                confirmation=form.cleaned_data["confirmation"],
                actor=request.user,
                organisation=organisation,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            person.refresh_from_db()
            messages.success(
                request,
                _(
                    "The personal data has been erased. Their work stays, attributed to "
                    "%(pseudonym)s."
                )
                % {"pseudonym": person.name},
            )
            return redirect("members")
    return render(
        request,
        "privacy/erase.html",
        {"target": target, "person": person, "form": form, "problems": problems},
    )
