from django.urls import path

from . import checklist_views as cv
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
    path("relationships/<int:pk>/clauses/", cv.checklist, name="checklist"),
    path(
        "relationships/<int:pk>/clauses/regenerate/",
        cv.checklist_regenerate,
        name="checklist_regenerate",
    ),
    path("relationships/<int:pk>/clauses/<int:item>/", cv.checklist_item, name="checklist_item"),
    path(
        "relationships/<int:pk>/clauses/<int:item>/edit/",
        cv.checklist_item_edit,
        name="checklist_item_edit",
    ),
    path(
        "relationships/<int:pk>/clauses.xlsx",
        cv.checklist_export_xlsx,
        name="checklist_xlsx",
    ),
    path("relationships/<int:pk>/clauses.pdf", cv.checklist_export_pdf, name="checklist_pdf"),
    path("clauses/", cv.clause_library, name="clause_library"),
]

from .exitnote import views as ev  # noqa: E402

urlpatterns += [
    path("relationships/<int:pk>/exit-note/", ev.exit_note, name="exit_note"),
    path(
        "relationships/<int:pk>/exit-note/generate/",
        ev.exit_note_generate,
        name="exit_note_generate",
    ),
    path(
        "relationships/<int:pk>/exit-note/sections/<slug:key>/",
        ev.exit_section_save,
        name="exit_section_save",
    ),
    path(
        "relationships/<int:pk>/exit-note/sections/<slug:key>/proposal/",
        ev.exit_proposal,
        name="exit_proposal",
    ),
    path(
        "relationships/<int:pk>/exit-note/approve/", ev.exit_note_approve, name="exit_note_approve"
    ),
    path(
        "relationships/<int:pk>/exit-note/new-version/",
        ev.exit_note_new_version,
        name="exit_note_new_version",
    ),
    path(
        "relationships/<int:pk>/exit-note/versions/",
        ev.exit_note_versions,
        name="exit_note_versions",
    ),
    path("relationships/<int:pk>/exit-tests/", ev.exit_test_add, name="exit_test_add"),
    path("relationships/<int:pk>/exit-note.pdf", ev.exit_note_pdf_view, name="exit_note_pdf"),
]
