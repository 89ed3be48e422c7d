from django.urls import path

from . import assessment_views as av
from . import builder_views as b
from . import decision_views as dv
from . import evidence_views as ev
from . import finding_views as fv
from . import match_views, views
from . import send_views as snd
from . import spreadsheet_views as sv
from .incident_links import views as iv
from .joint import views as jv
from .rapid import views as rv
from .sharing import views as tp

urlpatterns = [
    path("questionnaires/", views.template_list, name="questionnaire_list"),
    path("questionnaires/upload/", views.template_upload, name="questionnaire_upload"),
    path("questionnaires/spreadsheet/", sv.spreadsheet_upload, name="questionnaire_xlsx"),
    path(
        "questionnaires/spreadsheet/<str:token>/",
        sv.spreadsheet_mapping,
        name="questionnaire_xlsx_mapping",
    ),
    path(
        "questionnaires/spreadsheet/<str:token>/confirm/",
        sv.spreadsheet_confirm,
        name="questionnaire_xlsx_confirm",
    ),
    path(
        "questionnaires/spreadsheet/<str:token>/discard/",
        sv.spreadsheet_discard,
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
    path("relationships/<int:pk>/assess/", snd.assessment_send, name="assessment_send"),
    path("assessments/", snd.assessment_list, name="assessment_list"),
    path("assessments/bulk-send/", snd.assessment_bulk_send, name="assessment_bulk_send"),
    path("assessments/<int:pk>/", av.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/answers/<str:code>/", av.answer_save, name="assessment_answer_save"),
    path("assessments/<int:pk>/submit/", av.assessment_submit, name="assessment_submit"),
    path("assessments/<int:pk>/assign/", av.assessment_assign, name="assessment_assign"),
    path(
        "assessments/<int:pk>/answers/<str:code>/evidence/",
        ev.evidence_upload,
        name="assessment_evidence_upload",
    ),
    path(
        "assessments/<int:pk>/answers/<str:code>/evidence/shared/",
        ev.evidence_pick,
        name="assessment_evidence_pick",
    ),
    path("evidence/<int:pk>/", ev.evidence_download, name="evidence_download"),
    path(
        "assessments/<int:pk>/xlsx/", ev.assessment_xlsx_download, name="assessment_xlsx_download"
    ),
    path(
        "assessments/<int:pk>/xlsx/upload/",
        ev.assessment_xlsx_upload,
        name="assessment_xlsx_upload",
    ),
    path("assessments/<int:pk>/history/", av.assessment_history, name="assessment_history"),
    path(
        "assessments/<int:pk>/answers/<str:code>/messages/",
        av.answer_message,
        name="assessment_answer_message",
    ),
    path("findings/<int:pk>/propose/", dv.decision_propose, name="decision_propose"),
    path(
        "relationships/<int:pk>/accept-risk/",
        dv.decision_propose_residual,
        name="decision_propose_residual",
    ),
    path(
        "incidents/<int:pk>/findings/<int:relationship_pk>/",
        iv.incident_raise_finding,
        name="incident_raise_finding",
    ),
    path("rapid-assessments/", rv.rapid_list, name="rapid_list"),
    path("rapid-assessments/start/", rv.rapid_start, name="rapid_start"),
    path("rapid-assessments/preview/", rv.rapid_preview, name="rapid_preview"),
    path("rapid-assessments/<int:pk>/", rv.rapid_detail, name="rapid_detail"),
    path("rapid-assessments/<int:pk>/export/", rv.rapid_export, name="rapid_export"),
    path("rapid-assessments/<int:pk>/summary.pdf", rv.rapid_summary_pdf, name="rapid_summary"),
    path("findings/", fv.finding_list, name="finding_list"),
    path("findings/<int:pk>/", fv.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/respond/", fv.finding_respond, name="finding_respond"),
    path("findings/<int:pk>/close/", fv.finding_close, name="finding_close"),
    path("decisions/", dv.decision_register, name="decision_register"),
    path("decisions/export.xlsx", dv.decision_register_xlsx, name="decision_register_xlsx"),
    path("decisions/<int:pk>/decide/", dv.decision_decide, name="decision_decide"),
    path("library/", av.library, name="answer_library"),
    path("joint/", jv.joint_list, name="joint_list"),
    path("joint/<int:pk>/", jv.joint_detail, name="joint_detail"),
    path("joint/<int:pk>/adopt/", jv.joint_adopt, name="joint_adopt"),
    path("joint/<int:pk>/ask/", jv.joint_ask, name="joint_ask"),
    path("joint/<int:pk>/<slug:decision>/", jv.joint_respond, name="joint_respond"),
    path("assessments/<int:pk>/joint/", jv.joint_start, name="joint_start"),
    path("trust-profiles/", tp.profiles, name="trust_profiles"),
    path("trust-profiles/publish/", tp.publish, name="trust_profile_publish"),
    path("trust-profiles/<int:pk>/", tp.detail, name="trust_profile_detail"),
    path("trust-profiles/<int:pk>/request/", tp.request_access, name="trust_profile_request"),
    path("trust-profiles/<int:pk>/assess/", tp.assess, name="trust_profile_assess"),
    path("trust-profiles/<int:pk>/items/", tp.items, name="trust_profile_items"),
    path(
        "trust-profiles/<int:pk>/documents/<int:document>/",
        tp.document,
        name="trust_profile_document",
    ),
    path("access-requests/<int:pk>/<slug:decision>/", tp.decide, name="trust_profile_decide"),
    path("library/<int:pk>/delete/", av.library_delete, name="answer_library_delete"),
    path(
        "assessments/<int:pk>/answers/<str:code>/review/",
        av.answer_review,
        name="assessment_answer_review",
    ),
    path("assessments/<int:pk>/clarify/", av.assessment_clarify, name="assessment_clarify"),
    path("assessments/<int:pk>/complete/", av.assessment_complete, name="assessment_complete"),
    path("questionnaires/new/", b.template_new, name="questionnaire_new"),
    path("questionnaires/<int:pk>/build/", b.template_builder, name="questionnaire_builder"),
    path(
        "questionnaires/<int:pk>/match/",
        match_views.questionnaire_match,
        name="questionnaire_match",
    ),
    path("questionnaires/<int:pk>/sections/add/", b.section_edit, name="questionnaire_section_add"),
    path(
        "questionnaires/<int:pk>/sections/<int:section_pk>/",
        b.section_edit,
        name="questionnaire_section_edit",
    ),
    path(
        "questionnaires/<int:pk>/sections/<int:section_pk>/delete/",
        b.section_delete,
        name="questionnaire_section_delete",
    ),
    path(
        "questionnaires/<int:pk>/sections/<int:section_pk>/questions/add/",
        b.question_edit,
        name="questionnaire_question_add",
    ),
    path(
        "questionnaires/<int:pk>/sections/<int:section_pk>/questions/<int:question_pk>/",
        b.question_edit,
        name="questionnaire_question_edit",
    ),
    path(
        "questionnaires/<int:pk>/questions/<int:question_pk>/delete/",
        b.question_delete,
        name="questionnaire_question_delete",
    ),
    path(
        "questionnaires/<int:pk>/move/<str:kind>/<int:item_pk>/<str:direction>/",
        b.move_item,
        name="questionnaire_move",
    ),
]
