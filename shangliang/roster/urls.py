from django.urls import path

from shangliang.roster import import_views, member_views, views

app_name = "roster"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("orgs/<int:org_id>/", views.roster_list, name="list"),
    path("orgs/<int:org_id>/export/", import_views.roster_export, name="export"),
    path("orgs/<int:org_id>/import/", import_views.roster_import, name="import"),
    path("orgs/<int:org_id>/members/new/", member_views.member_new, name="member_new"),
    path("orgs/<int:org_id>/import/template/", import_views.roster_template, name="template"),
    path("imports/<int:job_id>/", import_views.import_job, name="import_job"),
    path("imports/<int:job_id>/errors/", import_views.import_errors, name="import_errors"),
    path("members/<int:membership_id>/", views.membership_detail, name="membership"),
    path("members/<int:membership_id>/edit/", member_views.member_edit, name="member_edit"),
    path(
        "members/<int:membership_id>/actions/<slug:action>/",
        views.membership_action,
        name="membership_action",
    ),
]
