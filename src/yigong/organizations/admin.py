from django.contrib import admin

from yigong.organizations.models import Membership, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "team_type", "status", "parent", "region"]
    list_filter = ["kind", "status", "team_type"]
    search_fields = ["name"]
    raw_id_fields = ["parent", "region", "approved_by"]
    readonly_fields = ["path"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "status", "created_at"]
    list_filter = ["role", "status"]
    raw_id_fields = ["user", "organization", "decided_by"]
