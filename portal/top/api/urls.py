"""The API router: `/api/v1/` plus the offline schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from contracts.api import RelationshipClauseViewSet, RelationshipExitNoteView
from contracts.contract_api import (
    ContractViewSet,
    RelationshipCertificateViewSet,
    RelationshipContractViewSet,
)
from portal.core.accounts.api import InvitationViewSet, MemberViewSet, TokenViewSet
from portal.core.audit.api import AuditEventViewSet
from portal.core.jobs.api import JobView
from portal.core.notifications.api import NotificationViewSet
from portal.core.scim.api import GroupRoleViewSet, ScimTokenViewSet
from portal.core.sso.api import SsoConfigurationView
from portal.core.webhooks.api import WebhookViewSet
from portal.top.dashboards.api import DashboardView
from portal.top.reports.api import ReportDetailView, ReportFileView, ReportRequestView
from questionnaires.api import TemplateViewSet
from questionnaires.assessment_api import AssessmentViewSet
from questionnaires.csaf.api import AdvisoryViewSet
from questionnaires.decision_api import DecisionViewSet, RelationshipDecisionView
from questionnaires.finding_api import FindingViewSet, RelationshipFindingViewSet
from questionnaires.joint.api import JointAssessmentViewSet
from questionnaires.library_api import LibraryViewSet
from questionnaires.rapid.api import RapidAssessmentViewSet
from questionnaires.sharing.api import AccessRequestViewSet, FromProfileView, TrustProfileViewSet
from suppliers.api import RelationshipViewSet, SupplierViewSet
from suppliers.incidents.api import IncidentViewSet
from suppliers.portfolio_api import FourthPartiesView, ReassessmentsView, RiskAppetiteView
from suppliers.product_api import DocumentViewSet, ProductViewSet

from . import views


class IntegerIdRouter(DefaultRouter):
    """Objects are addressed by integer `id` (API.md): `/relationships/abc/` is a 404 from the URL
    resolver, never a query with a value the database cannot compare. A viewset with a lookup of
    its own (clauses by code) keeps it."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None:
            viewset = type(viewset.__name__, (viewset,), {"lookup_value_regex": "[0-9]+"})
        return super().get_lookup_regex(viewset, lookup_prefix)


router = IntegerIdRouter(trailing_slash=True)
router.include_root_view = False
router.register("templates", TemplateViewSet, basename="template")
router.register("suppliers", SupplierViewSet, basename="supplier")
router.register("relationships", RelationshipViewSet, basename="relationship")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("findings", FindingViewSet, basename="finding")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("scim/tokens", ScimTokenViewSet, basename="scim-token")
router.register("scim/group-roles", GroupRoleViewSet, basename="scim-group-role")
router.register("products", ProductViewSet, basename="product")
router.register("documents", DocumentViewSet, basename="document")
router.register("contracts", ContractViewSet, basename="contract")
router.register("library", LibraryViewSet, basename="library")
router.register("trust-profiles", TrustProfileViewSet, basename="trust-profile")
router.register("joint-assessments", JointAssessmentViewSet, basename="joint-assessment")
router.register("access-requests", AccessRequestViewSet, basename="access-request")
router.register("members", MemberViewSet, basename="member")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("tokens", TokenViewSet, basename="token")
router.register("audit", AuditEventViewSet, basename="audit")
router.register(
    r"relationships/(?P<relationship_pk>[0-9]+)/contracts",
    RelationshipContractViewSet,
    basename="relationship-contracts",
)
router.register(
    r"relationships/(?P<relationship_pk>[0-9]+)/certificates",
    RelationshipCertificateViewSet,
    basename="relationship-certificates",
)
router.register("rapid-assessments", RapidAssessmentViewSet, basename="rapid-assessment")
router.register("advisories", AdvisoryViewSet, basename="advisory")
router.register(
    r"relationships/(?P<relationship_pk>[0-9]+)/findings",
    RelationshipFindingViewSet,
    basename="relationship-findings",
)

router.register(
    r"relationships/(?P<relationship_pk>[0-9]+)/clauses",
    RelationshipClauseViewSet,
    basename="relationship-clauses",
)

v1 = [
    path("me/", views.me, name="api-me"),
    path(
        "assessments/from-profile/", FromProfileView.as_view(), name="api-assessment-from-profile"
    ),
    path("dashboard/", DashboardView.as_view(), name="api-dashboard"),
    path("jobs/<int:pk>/", JobView.as_view(), name="api-job"),
    path("risk-appetite/", RiskAppetiteView.as_view(), name="api-risk-appetite"),
    path("sso/", SsoConfigurationView.as_view(), name="api-sso"),
    path("reassessments/", ReassessmentsView.as_view(), name="api-reassessments"),
    path("fourth-parties/", FourthPartiesView.as_view(), name="api-fourth-parties"),
    path("reports/<slug:kind>/<int:pk>/", ReportDetailView.as_view(), name="report-detail"),
    path("reports/<slug:kind>/<int:pk>/download/", ReportFileView.as_view(), name="report-file"),
    path("reports/<slug:kind>/", ReportRequestView.as_view(), name="report-request"),
    path(
        "relationships/<int:pk>/exit-note/",
        RelationshipExitNoteView.as_view(),
        name="relationship-exit-note",
    ),
    path(
        "relationships/<int:pk>/decision/",
        RelationshipDecisionView.as_view(),
        name="relationship-decision",
    ),
    *router.urls,
]

urlpatterns = [
    path("v1/", include(v1)),
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny]),
        name="api-schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[AllowAny]),
        name="api-docs",
    ),
]
