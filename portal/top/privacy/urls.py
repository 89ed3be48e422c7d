from django.urls import path

from . import views

urlpatterns = [
    path("org/<slug:slug>/export/", views.export, name="organisation_export"),
    path("org/members/<int:pk>/erase/", views.member_erase, name="member_erase"),
]
