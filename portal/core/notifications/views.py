"""The user's notifications in the active organisation, and how they want to hear of each kind."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required

from .models import Delivery, Notification
from .services import notice_kinds, preferences_of, preferences_save


@membership_required()
def notification_list(request):
    items = Notification.objects.visible_to(request.membership)[:100]
    return render(request, "notifications/list.html", {"items": items})


@require_POST
@membership_required()
def notification_read_all(request):
    Notification.objects.visible_to(request.membership).filter(read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notification_list")


@membership_required()
def notification_settings(request):
    """Per kind: e-mail at once, a daily digest, or in the portal only (for this person, in
    every organisation they belong to)."""
    kinds = notice_kinds(organisation_kind=request.membership.organisation.kind)
    if request.method == "POST":
        preferences_save(
            user=request.user,
            choices={k.kind: request.POST.get(k.kind, "") for k in kinds},
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notification_settings")
    chosen = preferences_of(request.user)
    rows = [
        {"kind": k.kind, "label": k.label, "delivery": chosen.get(k.kind, Delivery.IMMEDIATE)}
        for k in kinds
    ]
    return render(
        request, "notifications/settings.html", {"rows": rows, "deliveries": Delivery.choices}
    )
