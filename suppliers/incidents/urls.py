from django.urls import path

from . import views

urlpatterns = [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_report, name="incident_report"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/updates/", views.incident_add_update, name="incident_add_update"),
    path(
        "incidents/<int:pk>/updates/<int:update_pk>/file/",
        views.incident_attachment,
        name="incident_download",
    ),
    path(
        "incidents/<int:pk>/acknowledge/", views.incident_acknowledge, name="incident_acknowledge"
    ),
    path("incidents/<int:pk>/impact/", views.incident_impact, name="incident_impact"),
    path("incidents/<int:pk>/duties/<int:duty_pk>/", views.incident_duty, name="incident_duty"),
    path(
        "incidents/<int:pk>/reassess/<int:relationship_pk>/",
        views.incident_mark_due,
        name="incident_mark_due",
    ),
]
