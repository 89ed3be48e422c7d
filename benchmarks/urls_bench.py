"""URLs for the load test only: the project's URLs plus a bare view, the floor to compare with.
Never included in the portal's own URL configuration."""

from django.http import HttpResponse
from django.urls import path

from portal import urls as project_urls
from portal.core.accounts.models import Organisation


def bare(request):
    """One query and a tiny response, no session: what Django itself costs on this machine."""
    name = Organisation.objects.order_by("pk").values_list("name", flat=True).first()
    return HttpResponse(f"ok {name}", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *project_urls.urlpatterns]
handler404 = getattr(project_urls, "handler404", "django.views.defaults.page_not_found")
