from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "portal.top.api"
    label = "api"

    def ready(self) -> None:
        from . import schema  # noqa: F401,PLC0415  (registers the OpenAPI auth extension)
