"""What the suppliers app does when domain events happen (registered by SuppliersConfig.ready)."""

from __future__ import annotations

from portal.core.events import subscribe

from .risk import reassessments_notify


def register() -> None:
    subscribe("daily", label="reassessments")(reassessments_notify)
