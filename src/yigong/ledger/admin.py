from django.contrib import admin

from yigong.ledger.models import LedgerEntry, LedgerHead


class ReadOnlyAdmin(admin.ModelAdmin):
    """The ledger is append-only: the admin may look, never add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "district_code", "seq", "registration_number", "organization_name", "activity_title",
                    "service_date", "minutes", "kind", "source", "recorded_at"]
    list_filter = ["kind", "source", "district_code"]
    search_fields = ["registration_number", "activity_title", "organization_name"]
    date_hierarchy = "service_date"
    list_select_related = True
    show_full_result_count = False


@admin.register(LedgerHead)
class LedgerHeadAdmin(ReadOnlyAdmin):
    list_display = ["district_code", "count", "last_entry_id", "last_hash"]
