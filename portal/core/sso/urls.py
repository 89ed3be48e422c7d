from django.urls import path

from . import views

urlpatterns = [
    path("org/sso/", views.sso_settings, name="sso_settings"),
    path("sso/", views.sso_start, name="sso_start"),
]
