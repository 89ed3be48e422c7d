from django.urls import path

from . import views

urlpatterns = [
    path("org/webhooks/", views.webhook_list, name="webhook_list"),
    path("org/webhooks/<int:pk>/", views.webhook_detail, name="webhook_detail"),
    path("org/webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path("org/webhooks/<int:pk>/ping/", views.webhook_ping, name="webhook_ping"),
    path(
        "org/webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        views.delivery_redeliver,
        name="webhook_redeliver",
    ),
]
