from django.urls import path

from . import views

urlpatterns = [
    path("org/switch/", views.switch_organisation, name="switch_organisation"),
    path("org/members/", views.members, name="members"),
    path("org/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("org/members/<int:pk>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path("org/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("settings/", views.user_settings, name="user_settings"),
    path("settings/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
