from django.urls import path

from . import endpoints, views

urlpatterns = [
    path("org/provisioning/", views.scim_settings, name="scim_settings"),
    path(
        "org/provisioning/tokens/<int:pk>/revoke/",
        views.scim_token_revoke,
        name="scim_token_revoke",
    ),
    path(
        "org/provisioning/mappings/<int:pk>/delete/",
        views.scim_mapping_delete,
        name="scim_mapping_delete",
    ),
    # SCIM 2.0 (RFC 7644); the bearer token names the care organisation.
    path("scim/v2/Users", endpoints.users, name="scim_users"),
    path("scim/v2/Users/<str:scim_id>", endpoints.user, name="scim_user"),
    path("scim/v2/Groups", endpoints.groups, name="scim_groups"),
    path("scim/v2/Groups/<str:scim_id>", endpoints.group, name="scim_group"),
    path(
        "scim/v2/ServiceProviderConfig",
        endpoints.service_provider_config,
        name="scim_service_provider_config",
    ),
    path("scim/v2/ResourceTypes", endpoints.resource_types, name="scim_resource_types"),
    path("scim/v2/ResourceTypes/<str:name>", endpoints.resource_type, name="scim_resource_type"),
    path("scim/v2/Schemas", endpoints.schemas, name="scim_schemas"),
    path("scim/v2/Schemas/<str:urn>", endpoints.schema, name="scim_schema"),
]
