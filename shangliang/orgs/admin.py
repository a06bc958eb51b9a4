from django.contrib import admin

from shangliang.orgs import models


@admin.register(models.Organization)
class OrganizationAdmin(admin.ModelAdmin[models.Organization]):
    list_display = ["name", "level", "parent", "path", "is_active"]
    readonly_fields = ["path"]


for model in (
    models.Term,
    models.Session,
    models.Sector,
    models.Committee,
    models.Group,
    models.Unit,
    models.Workstation,
):
    admin.site.register(model)
