"""Root URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal.core import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("portal.top.api.urls")),
    path("", include("portal.core.accounts.urls")),
    path("", include("portal.core.audit.urls")),
    path("", include("portal.core.notifications.urls")),
    path("", include("portal.core.jobs.urls")),
    path("", include("portal.core.webhooks.urls")),
    path("", include("portal.core.sso.urls")),
    path("", include("portal.core.scim.urls")),
    path("", include("portal.top.dossier.urls")),
    path("", include("suppliers.urls")),
    path("", include("suppliers.incidents.urls")),
    path("", include("questionnaires.urls")),
    path("", include("questionnaires.csaf.urls")),
    path("", include("contracts.urls")),
    path("", include("portal.top.dashboards.urls")),
    path("", include("portal.top.reports.urls")),
    path("", include("portal.top.privacy.urls")),
]

handler404 = "portal.top.api.errors.page_not_found"

if settings.ADMIN_ENABLED:
    urlpatterns.append(path("admin/", admin.site.urls))
