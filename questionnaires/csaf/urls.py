from django.urls import path

from . import views

urlpatterns = [
    path("advisories/", views.csaf_list, name="csaf_list"),
    path("advisories/upload/", views.csaf_upload, name="csaf_upload"),
    path("advisories/<int:pk>/", views.csaf_detail, name="csaf_detail"),
    path("advisories/<int:pk>/send/", views.csaf_send, name="csaf_send"),
    path("advisories/<int:pk>/dismiss/", views.csaf_dismiss, name="csaf_dismiss"),
]
