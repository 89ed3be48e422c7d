from django.urls import path

from . import views

urlpatterns = [
    path("relationships/<int:pk>/contracts/", views.contract_list, name="contract_list"),
    path("contracts/<int:pk>/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/renew/", views.contract_renew, name="contract_renew"),
    path(
        "contracts/<int:pk>/documents/",
        views.contract_document_upload,
        name="contract_document_upload",
    ),
    path(
        "contract-documents/<int:pk>/",
        views.contract_document_download,
        name="contract_document_download",
    ),
    path(
        "relationships/<int:pk>/certificates/<int:document>/review/",
        views.certificate_review,
        name="certificate_review",
    ),
    path(
        "relationships/<int:pk>/certificates/<int:document>/",
        views.certificate_download,
        name="certificate_download",
    ),
    path("relationships/<int:pk>/clauses/", views.checklist, name="checklist"),
    path(
        "relationships/<int:pk>/clauses/regenerate/",
        views.checklist_regenerate,
        name="checklist_regenerate",
    ),
    path("relationships/<int:pk>/clauses/<int:item>/", views.checklist_item, name="checklist_item"),
    path(
        "relationships/<int:pk>/clauses.xlsx",
        views.checklist_export_xlsx,
        name="checklist_xlsx",
    ),
    path("relationships/<int:pk>/clauses.pdf", views.checklist_export_pdf, name="checklist_pdf"),
    path("clauses/", views.clause_library, name="clause_library"),
]
