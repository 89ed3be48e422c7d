"""Notify people in the app and by e-mail, in their own language and as they chose per kind
(at once, in a daily digest, or in the portal only); scheduled messages go out once only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Delivery, Notification, NotificationPreference, SentMessage


@dataclass(frozen=True)
class NoticeKind:
    """A kind of notification people can choose a delivery for; `side` is who receives it."""

    kind: str
    label: object  # a lazy translation
    side: str  # "care", "supplier" or "both"


_KINDS: dict[str, NoticeKind] = {}


def notice_kind(kind: str, label, *, side: str) -> str:
    """Register a kind (idempotent), so that its recipients can choose how they hear of it."""
    _KINDS.setdefault(kind, NoticeKind(kind, label, side))
    return kind


def notice_kinds(*, organisation_kind: str) -> list[NoticeKind]:
    return [k for k in _KINDS.values() if k.side in ("both", organisation_kind)]


def preference_for(user, kind: str) -> str:
    if not kind:
        return Delivery.IMMEDIATE
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or Delivery.IMMEDIATE


def preferences_of(user) -> dict[str, str]:
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))


@transaction.atomic
def preferences_save(*, user, choices: dict[str, str]) -> None:
    """Store a delivery per kind; unknown kinds or deliveries are ignored (the form checks)."""
    for kind, delivery in choices.items():
        if kind not in _KINDS or delivery not in Delivery.values:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )


def _mail(*, user, organisation, subject: str, body: str, url: str) -> None:
    """One e-mail: the message, its link, and how to tell the mail is genuine."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = render_to_string(
            "notifications/email/notice.txt",
            {
                "body": body,
                "link": f"{settings.SITE_URL}{url}" if url else "",
                "organisation": organisation,
                "site": settings.SITE_URL,
                "settings_url": settings.SITE_URL + reverse("notification_settings"),
            },
        )
    send_mail(f"[Ketenwacht] {subject}", text, None, [user.email])


def notify(
    *, user, organisation, render: Callable[[], tuple[str, str]], url: str = "", kind: str = ""
) -> Notification:
    """`render` returns (subject, body); it runs with the recipient's language active. The
    e-mail follows the recipient's choice for `kind` (at once unless they chose otherwise)."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject, body = render()
    delivery = preference_for(user, kind)
    note = Notification.objects.create(
        user=user,
        organisation=organisation,
        kind=kind[:60],
        subject=str(subject)[:200],
        body=str(body)[:4000],
        url=url[:300],
        delivery=delivery,
        mailed_at=timezone.now() if delivery == Delivery.IMMEDIATE else None,
    )
    if delivery == Delivery.IMMEDIATE:
        transaction.on_commit(
            lambda: _mail(
                user=user, organisation=organisation, subject=note.subject, body=note.body, url=url
            )
        )
    return note


def digests_send(*, today: date) -> int:
    """The daily digest: one e-mail per person and organisation with what they chose to hear of
    once a day; each notification is mailed once, even when the daily run runs twice."""
    sent = 0
    pending = (
        Notification.objects.filter(delivery=Delivery.DIGEST, mailed_at__isnull=True)
        .select_related("user", "organisation")
        .order_by("user_id", "organisation_id", "created_at")
    )
    groups: dict[tuple[int, int], list[Notification]] = {}
    for note in pending:
        groups.setdefault((note.user_id, note.organisation_id), []).append(note)
    for notes in groups.values():
        with transaction.atomic():
            claimed = Notification.objects.filter(
                pk__in=[n.pk for n in notes], mailed_at__isnull=True
            ).update(mailed_at=timezone.now())
            if claimed != len(notes):
                continue  # a parallel run took (some of) these
            user, organisation = notes[0].user, notes[0].organisation
            with translation.override(user.language or settings.LANGUAGE_CODE):
                text = render_to_string(
                    "notifications/email/digest.txt",
                    {
                        "notes": notes,
                        "organisation": organisation,
                        "site": settings.SITE_URL,
                        "settings_url": settings.SITE_URL + reverse("notification_settings"),
                        "today": today,
                    },
                )
                subject = translation.gettext("Your daily summary for %(org)s") % {
                    "org": organisation.name
                }
            transaction.on_commit(
                lambda s=subject, t=text, to=user.email: send_mail(
                    f"[Ketenwacht] {s}", t, None, [to]
                )
            )
            sent += 1
    return sent


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
