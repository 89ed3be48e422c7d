from django.apps import AppConfig


class CsafConfig(AppConfig):
    """CSAF advisories and provider feeds (DESIGN §13)."""

    name = "questionnaires.csaf"
    label = "csaf"

    def ready(self) -> None:
        from . import subscribers  # noqa: PLC0415 - needs the app registry

        subscribers.register()
