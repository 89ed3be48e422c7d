from django.apps import AppConfig

from portal.core.events import subscribe


class DailyConfig(AppConfig):
    name = "portal.top.daily"
    label = "daily"

    def ready(self) -> None:
        """The daily run ends with the digest e-mails, after every app's reminders of the day."""
        from portal.core.notifications.services import digests_send  # noqa: PLC0415 - needs the app registry

        subscribe("daily", label="digests")(digests_send)
