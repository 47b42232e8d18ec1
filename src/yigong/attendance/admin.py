from django.contrib import admin

from yigong.attendance.models import ActivityRating, Attendance, ServiceRating, ShiftConfirmation


class LookOnlyAdmin(admin.ModelAdmin):
    """Attendance changes go through the services (reasons, audit, locks); the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attendance)
class AttendanceAdmin(LookOnlyAdmin):
    list_display = ["signup", "shift", "volunteer", "checked_in_at", "check_in_method", "checked_out_at",
                    "check_out_method", "manual_minutes"]
    list_select_related = ["signup", "shift", "volunteer"]
    raw_id_fields = ["signup", "shift", "volunteer"]


@admin.register(ShiftConfirmation)
class ShiftConfirmationAdmin(LookOnlyAdmin):
    list_display = ["shift", "confirmed_by", "confirmed_at", "entries", "minutes"]


@admin.register(ServiceRating)
class ServiceRatingAdmin(LookOnlyAdmin):
    list_display = ["signup", "volunteer", "stars", "rated_by", "rated_at"]


@admin.register(ActivityRating)
class ActivityRatingAdmin(LookOnlyAdmin):
    list_display = ["activity", "volunteer", "stars", "rated_at"]
