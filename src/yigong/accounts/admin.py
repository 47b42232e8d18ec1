from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from yigong.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "display_name"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Yigong", {"fields": ["display_name", "preferred_language"]}),
    )
