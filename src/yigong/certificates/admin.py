from django.contrib import admin

from yigong.certificates.models import Certificate, CorrectionRequest


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "volunteer", "issuer", "period_start", "period_end", "minutes", "issued_on"]
    list_filter = ["kind"]
    search_fields = ["number"]
    list_select_related = ["volunteer", "issuer"]
    readonly_fields = [f.name for f in Certificate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "volunteer", "organization", "status", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["volunteer", "organization"]
    readonly_fields = [f.name for f in CorrectionRequest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
