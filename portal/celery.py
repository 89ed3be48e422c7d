"""The Celery application. Eager by default (tasks run inline), a real worker in production."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("ketenwacht")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
