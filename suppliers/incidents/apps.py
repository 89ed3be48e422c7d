from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Incidents in the chain (DESIGN §13): supplier notices, the NIS2 clock, each care
    organisation's own copy with its impact and duties."""

    name = "suppliers.incidents"
    label = "incidents"

    def ready(self) -> None:
        from . import events, subscribers  # noqa: PLC0415 - needs the app registry

        events.define_events()
        subscribers.register()
