from django.urls import path

from . import document_views, product_views, risk_views, views

urlpatterns = [
    path("suppliers/", views.supplier_list, name="supplier_list"),
    path("suppliers/new/", views.supplier_new, name="supplier_new"),
    path("relationships/new/", views.relationship_new, name="relationship_new"),
    path("relationships/<int:pk>/intake/", views.relationship_intake, name="relationship_intake"),
    path(
        "relationships/<int:pk>/products/",
        views.relationship_products,
        name="relationship_products",
    ),
    path("settings/risk-appetite/", risk_views.risk_appetite, name="risk_appetite"),
    path("settings/risk-appetite/save/", risk_views.risk_appetite_save, name="risk_appetite_save"),
    path("reassessments/", risk_views.reassessment_list, name="reassessment_list"),
    path("fourth-parties/", risk_views.fourth_parties, name="fourth_parties"),
    path("documents/", document_views.document_list, name="document_list"),
    path("documents/<int:pk>/", document_views.document_edit, name="document_edit"),
    path(
        "documents/<int:pk>/download/", document_views.document_download, name="document_download"
    ),
    path("documents/<int:pk>/delete/", document_views.document_delete_view, name="document_delete"),
    path("products/", product_views.product_list, name="product_list"),
    path(
        "products/<int:pk>/fourth-parties/", product_views.subprocessor_add, name="subprocessor_add"
    ),
]
