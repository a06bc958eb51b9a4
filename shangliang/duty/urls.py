from django.urls import URLPattern, URLResolver, path

from shangliang.duty import archive_views, org_views, report_views, rules_views

app_name = "duty"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", archive_views.duty_home, name="home"),
    path("members/<int:membership_id>/", archive_views.member_page, name="member"),
    path("members/<int:membership_id>/pdf/", archive_views.member_pdf, name="member_pdf"),
    path("report/", report_views.report_page, name="report"),
    path("orgs/<int:org_id>/", org_views.org_page, name="org"),
    path("orgs/<int:org_id>/export/", org_views.org_export, name="org_export"),
    path("orgs/<int:org_id>/nominate/", org_views.nominate, name="nominate"),
    path(
        "orgs/<int:org_id>/nominations/<int:nomination_id>/",
        org_views.nomination_decide,
        name="nomination_decide",
    ),
    path("orgs/<int:org_id>/flags/<int:flag_id>/", org_views.flag_decide, name="flag_decide"),
    path("orgs/<int:org_id>/entries/", org_views.entries, name="entries"),
    path(
        "orgs/<int:org_id>/entries/<int:entry_id>/decide/",
        org_views.entry_decide,
        name="entry_decide",
    ),
    path(
        "orgs/<int:org_id>/entries/<int:entry_id>/evidence/",
        org_views.entry_evidence,
        name="entry_evidence",
    ),
    path("orgs/<int:org_id>/rules/", rules_views.rules_page, name="rules"),
    path("orgs/<int:org_id>/rules/preset/", rules_views.rules_preset, name="rules_preset"),
    path(
        "orgs/<int:org_id>/rules/jobs/<int:job_id>/",
        rules_views.recompute_job,
        name="recompute_job",
    ),
]
