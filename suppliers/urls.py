from django.urls import path

from . import views

urlpatterns = [
    path("suppliers/", views.supplier_list, name="supplier_list"),
    path("suppliers/new/", views.supplier_new, name="supplier_new"),
    path("relationships/new/", views.relationship_new, name="relationship_new"),
    path("relationships/<int:pk>/", views.relationship_detail, name="relationship_detail"),
    path("relationships/<int:pk>/intake/", views.relationship_intake, name="relationship_intake"),
]
