"""This app's steps: poll the configured CSAF provider feeds daily; tell the security
officers when a feed proposes an advisory (after commit, on the mail queue)."""

from __future__ import annotations

from portal.core.events import subscribe

from .feeds import feeds_poll
from .notices import notify_proposed


def register() -> None:
    subscribe("daily", label="csaf_feeds")(feeds_poll)
    subscribe("advisory.proposed", label="csaf.notify_security", after_commit=True, queue="mail")(
        notify_proposed
    )
