"""Read-only admin for the audit log: no add, change or delete, not even for superusers."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "organisation", "actor_label", "action", "object_label")
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "object_label")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}
