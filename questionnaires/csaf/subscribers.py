"""The daily step of this app: poll the configured CSAF provider feeds."""

from __future__ import annotations

from portal.core.events import subscribe

from .feeds import feeds_poll


def register() -> None:
    subscribe("daily", label="csaf_feeds")(feeds_poll)
