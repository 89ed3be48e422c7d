from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"

    def ready(self) -> None:
        """Define this app's domain events, then subscribe its steps to events (DESIGN §3)."""
        from . import events, subscribers  # noqa: PLC0415 - needs the app registry
        from .sharing import events as sharing_events  # noqa: PLC0415 - as above

        events.define_events()
        sharing_events.define_events()
        subscribers.register()
