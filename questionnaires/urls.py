from django.urls import path

from . import views

urlpatterns = [
    path("questionnaires/", views.template_list, name="questionnaire_list"),
    path("questionnaires/upload/", views.template_upload, name="questionnaire_upload"),
    path("questionnaires/spreadsheet/", views.spreadsheet_import, name="questionnaire_xlsx"),
    path(
        "questionnaires/spreadsheet/discard/",
        views.spreadsheet_discard,
        name="questionnaire_xlsx_discard",
    ),
    path("questionnaires/<int:pk>/", views.template_detail, name="questionnaire_detail"),
    path("questionnaires/<int:pk>/preview/", views.template_preview, name="questionnaire_preview"),
    path("questionnaires/<int:pk>/export/", views.template_export, name="questionnaire_export"),
    path("questionnaires/<int:pk>/publish/", views.template_publish, name="questionnaire_publish"),
    path(
        "questionnaires/<int:pk>/new-version/",
        views.template_new_version,
        name="questionnaire_new_version",
    ),
    path("questionnaires/<int:pk>/retire/", views.template_retire, name="questionnaire_retire"),
]
