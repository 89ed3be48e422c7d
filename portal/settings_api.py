"""The REST API's settings (Django REST framework and its OpenAPI schema), imported by
portal/settings.py."""

# ---- REST API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.top.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["portal.core.api_permissions.HasActiveMembership"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "portal.top.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "portal.top.api.schema.PortalAutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "portal.top.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ketenwacht API",
    "DESCRIPTION": "Supply-chain security for Dutch healthcare. Authenticate with "
    "`Authorization: Token <key>`; a token acts for one organisation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema documents JSON bodies (and multipart where an endpoint takes a file, declared
    # on the endpoint); the form parsers stay for the pages' own calls. One content type per
    # body keeps generated clients simple (openapi-python-client, tests/portal).
    "PARSER_WHITELIST": ["portal.top.api.parsers.JSONParser"],
    "ENUM_NAME_OVERRIDES": {
        "TierEnum": "suppliers.models.Tier",
        "RelationshipStatusEnum": "suppliers.models.RelationshipStatus",
        "TemplateStatusEnum": "questionnaires.models.TemplateStatus",
        "SupplierTypeEnum": "suppliers.models.SupplierType",
        "FindingStatusEnum": "questionnaires.models.FindingStatus",
        "DecisionStatusEnum": "questionnaires.models.DecisionStatus",
        "AssessmentStatusEnum": "questionnaires.models.AssessmentStatus",
        "ClauseStatusEnum": "contracts.models.ClauseStatus",
        "DocumentKindEnum": "suppliers.models.DocumentKind",
        "ContractDocumentKindEnum": "contracts.models.ContractDocumentKind",
        "CareRoleEnum": "portal.core.scim.models.CARE_ROLE_CHOICES",
        "RoleEnum": "portal.core.accounts.models.Role",
    },
}
