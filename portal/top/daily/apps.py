from django.apps import AppConfig


class DailyConfig(AppConfig):
    name = "portal.top.daily"
    label = "daily"
