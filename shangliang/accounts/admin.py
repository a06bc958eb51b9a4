from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from shangliang.accounts.models import Membership, Role, UnitUser, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "name", "phone", "is_active", "is_superuser"]
    search_fields = ["username", "name", "phone"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            "商量",
            {
                "fields": (
                    "name",
                    "phone",
                    "gender",
                    "ethnicity",
                    "birth_month",
                    "party",
                    "workplace",
                    "is_public",
                    "must_change_password",
                )
            },
        ),
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "org", "term", "position", "sector", "status"]
    list_filter = ["status", "position"]
    readonly_fields = ["status", "status_reason", "status_changed_on"]


admin.site.register(Role)
admin.site.register(UnitUser)
