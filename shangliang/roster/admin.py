from django.contrib import admin
from django.http import HttpRequest

from shangliang.roster.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    """Read-only: imports are made on the roster pages, where the checks run."""

    list_display = ["pk", "org", "term", "uploaded_by", "status", "total_rows", "created_at"]
    list_filter = ["status"]
    list_select_related = ["org", "term", "uploaded_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
