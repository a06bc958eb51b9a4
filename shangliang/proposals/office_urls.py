from django.urls import path

from shangliang.proposals import office_review_views, office_views

urlpatterns = [
    path("", office_views.home, name="office_home"),
    path("orgs/<int:org_id>/", office_views.queue, name="office_queue"),
    path("orgs/<int:org_id>/export/", office_views.export, name="office_export"),
    path("orgs/<int:org_id>/bulk/", office_views.bulk, name="office_bulk"),
    path("orgs/<int:org_id>/settings/", office_views.settings_page, name="office_settings"),
    path(
        "orgs/<int:org_id>/assignments/<slug:kind>/",
        office_views.assignments,
        name="office_assignments",
    ),
    path(
        "orgs/<int:org_id>/assignments/<slug:kind>/export/",
        office_views.assignments_xlsx,
        name="office_assignments_export",
    ),
    path("proposals/<int:pk>/review/", office_review_views.review, name="office_review"),
    path("proposals/<int:pk>/assign/", office_review_views.assign, name="office_assign"),
    path(
        "assignments/<int:assignment_id>/actions/<slug:action>/",
        office_review_views.assignment_action,
        name="office_assignment_action",
    ),
]
