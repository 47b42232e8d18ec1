from django.contrib import admin

from yigong.core.models import AuditEvent, DistrictSetting


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_id", "organization"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DistrictSetting)
class DistrictSettingAdmin(admin.ModelAdmin):
    list_display = ["key", "value", "updated_at"]
