from django.urls import path, register_converter

from shangliang.web import (
    org_admin_calendar,
    org_admin_export,
    org_admin_parts,
    org_admin_views,
    org_views,
    views,
)


class PartKindConverter:
    """The parts of a committee an administrator manages, by their URL name."""

    regex = "sectors|committees|groups|units|workstations"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ExportKindConverter(PartKindConverter):
    regex = "units|workstations"


register_converter(PartKindConverter, "part")
register_converter(ExportKindConverter, "export")

M = "orgs/<int:org_id>/manage/"

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit, name="audit"),
    path("orgs/", org_views.org_list, name="orgs"),
    path("orgs/<int:org_id>/", org_views.org_detail, name="org_detail"),
    # a committee administrator's pages (orgs.configure)
    path(M, org_admin_views.org_manage, name="org_manage"),
    path(M + "edit/", org_admin_views.org_edit, name="org_edit"),
    path(M + "children/new/", org_admin_views.child_new, name="manage_child_new"),
    path(M + "terms/", org_admin_views.terms, name="manage_terms"),
    path(M + "terms/new/", org_admin_views.term_new, name="manage_term_new"),
    path(M + "terms/<int:term_id>/edit/", org_admin_views.term_edit, name="manage_term_edit"),
    path(
        M + "terms/<int:term_id>/current/",
        org_admin_views.term_set_current,
        name="manage_term_current",
    ),
    path(
        M + "terms/<int:term_id>/sessions/new/",
        org_admin_views.session_new,
        name="manage_session_new",
    ),
    path(
        M + "sessions/<int:session_id>/edit/",
        org_admin_views.session_edit,
        name="manage_session_edit",
    ),
    path(M + "units/<int:unit_id>/", org_admin_parts.unit_detail, name="manage_unit"),
    path(M + "<export:kind>/export/", org_admin_export.export, name="manage_export"),
    path(M + "<part:kind>/", org_admin_parts.parts, name="manage_parts"),
    path(M + "<part:kind>/new/", org_admin_parts.part_new, name="manage_part_new"),
    path(
        M + "<part:kind>/<int:part_id>/edit/",
        org_admin_parts.part_edit,
        name="manage_part_edit",
    ),
    path(
        M + "<part:kind>/<int:part_id>/deactivate/",
        org_admin_parts.part_set_active,
        {"active": False},
        name="manage_part_deactivate",
    ),
    path(
        M + "<part:kind>/<int:part_id>/reactivate/",
        org_admin_parts.part_set_active,
        {"active": True},
        name="manage_part_reactivate",
    ),
    # the working-day calendar
    path("calendar/", org_admin_calendar.calendar_page, name="calendar"),
    path("calendar/check/", org_admin_calendar.calendar_check, name="calendar_check"),
    path("calendar/load/", org_admin_calendar.calendar_load, name="calendar_load"),
    path(
        "calendar/<int:day_id>/delete/",
        org_admin_calendar.calendar_delete,
        name="calendar_delete",
    ),
]
