from django.contrib import admin

from yigong.activities.models import Activity, InsuranceCover, Position, Shift, ShiftSlot, SignUp


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "organization", "project", "status", "recruitment", "auto_approve")
    list_filter = ("status", "recruitment", "risk_level", "insurance_required")
    search_fields = ("title", "organization__name", "place")
    raw_id_fields = ("project", "organization", "region", "created_by")
    filter_horizontal = ("teams",)
    inlines = [PositionInline]


class SlotInline(admin.TabularInline):
    model = ShiftSlot
    extra = 0
    readonly_fields = ("approved",)  # kept by the sign-up services under a row lock


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ("activity", "starts_at", "ends_at", "series", "cancelled")
    list_filter = ("cancelled",)
    raw_id_fields = ("activity",)
    inlines = [SlotInline]


@admin.register(SignUp)
class SignUpAdmin(admin.ModelAdmin):
    """Read-only: sign-ups change only through the services, which keep the place counters."""

    list_display = ("volunteer", "shift", "slot", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("volunteer", "shift", "slot", "decided_by")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(InsuranceCover)
class InsuranceCoverAdmin(admin.ModelAdmin):
    list_display = ("volunteer", "policy_number", "insurer", "valid_from", "valid_until", "organization")
    search_fields = ("policy_number", "volunteer__name", "volunteer__registration_number")
    raw_id_fields = ("volunteer", "organization", "recorded_by")
