from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ContractsConfig(AppConfig):
    name = "contracts"

    def ready(self) -> None:
        """Subscribe to the lower layers' domain events (DESIGN §3) and keep the shipped clause
        library in step with the repository after every migrate."""
        from . import subscribers  # noqa: PLC0415 - needs the app registry
        from .library import library_load_after_migrate  # noqa: PLC0415 - needs the app registry

        subscribers.register()
        post_migrate.connect(library_load_after_migrate, sender=self)
