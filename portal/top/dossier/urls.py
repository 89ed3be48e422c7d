from django.urls import path

from . import views

urlpatterns = [
    path("relationships/<int:pk>/", views.relationship_detail, name="relationship_detail"),
    path("relationships/<int:pk>/risk/", views.relationship_risk, name="relationship_risk"),
]
