from django.apps import AppConfig


class CsafConfig(AppConfig):
    """CSAF advisories and provider feeds (DESIGN §13)."""

    name = "questionnaires.csaf"
    label = "csaf"

    def ready(self) -> None:
        from . import events, subscribers  # noqa: PLC0415 - needs the app registry

        events.define_events()
        subscribers.register()
