from django.contrib import admin

from yigong.volunteers.models import Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    """Personal numbers stay masked in the admin; reveals go through the audited service."""

    list_display = ["registration_number", "name", "id_masked", "home_community", "status"]
    list_filter = ["status", "id_type"]
    search_fields = ["registration_number", "name"]
    exclude = ["id_number", "guardian_phone"]
    readonly_fields = ["registration_number", "id_masked", "id_type", "birth_date", "sex", "registered_at",
                       "privacy_notice_version", "consented_at", "district_code"]
    raw_id_fields = ["user", "home_community"]
