"""The user's notifications in the active organisation."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required

from .models import Notification


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
