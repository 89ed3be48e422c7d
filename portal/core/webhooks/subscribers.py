"""The webhooks subscribe after commit to every domain event (DESIGN §3 and §15)."""

from __future__ import annotations

from portal.core.events import subscribe_all

from .delivery import event_fan_out


@subscribe_all(label="webhooks.fan_out", queue="mail")
def fan_out(envelope: dict) -> None:
    """Endpoints that subscribed to this event and may receive it each get a delivery."""
    event_fan_out(envelope)
