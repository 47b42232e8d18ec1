from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "yigong.attendance"
    label = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from yigong.volunteers.services import EXPORT_SECTIONS

        EXPORT_SECTIONS["attendance"] = _export_attendance


def _export_attendance(volunteer) -> dict:
    """Check-ins, check-outs and the activity ratings given, for the volunteer's personal-data download
    (service records and ratings received are in the archive's section)."""
    from yigong.attendance.models import ActivityRating, Attendance

    def iso(value):
        return value.isoformat() if value else None

    return {
        "check_ins": [
            {"shift": a.shift_id, "checked_in_at": iso(a.checked_in_at), "check_in_method": a.check_in_method,
             "checked_out_at": iso(a.checked_out_at), "check_out_method": a.check_out_method,
             "minutes_entered_by_organizer": a.manual_minutes, "reason": a.manual_reason}
            for a in Attendance.objects.filter(volunteer=volunteer).order_by("id")
        ],
        "activity_ratings_given": [
            {"activity": r.activity.title, "stars": r.stars, "comment": r.comment, "rated_at": iso(r.rated_at)}
            for r in ActivityRating.objects.filter(volunteer=volunteer).select_related("activity").order_by("id")
        ],
    }
