"""Notify people by e-mail (in their own language) and in the app; scheduled messages once only."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation

from .models import Notification, SentMessage


def notify(
    *, user, organisation, render: Callable[[], tuple[str, str]], url: str = ""
) -> Notification:
    """`render` returns (subject, body); it runs with the recipient's language active."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject, body = render()
    note = Notification.objects.create(
        user=user, organisation=organisation, subject=subject[:200], body=body[:4000], url=url[:300]
    )
    link = f"\n\n{settings.SITE_URL}{url}" if url else ""
    transaction.on_commit(
        lambda: send_mail(f"[Ketenwacht] {subject}", body + link, None, [user.email])
    )
    return note


def once(key: str) -> bool:
    """Claim a scheduled message key; False when it was already sent (even by a parallel run)."""
    try:
        with transaction.atomic():
            SentMessage.objects.create(key=key[:200])
    except IntegrityError:
        return False
    return True


def unread_count(*, membership) -> int:
    return Notification.objects.visible_to(membership).filter(read_at__isnull=True).count()
