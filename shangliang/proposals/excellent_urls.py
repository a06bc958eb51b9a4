"""/proposals/excellent/: 优秀提案 nominations for the proposal office and the leaders."""

from django.urls import path

from shangliang.proposals import excellent_views

urlpatterns = [
    path("", excellent_views.home, name="excellent_home"),
    path("orgs/<int:org_id>/", excellent_views.nomination_list, name="excellent_list"),
    path("orgs/<int:org_id>/export/", excellent_views.nomination_xlsx, name="excellent_export"),
    path("orgs/<int:org_id>/bulk/", excellent_views.nomination_bulk, name="excellent_bulk"),
    path("orgs/<int:org_id>/nominate/", excellent_views.nominate, name="excellent_nominate"),
    path("<int:excellent_id>/", excellent_views.nomination_detail, name="excellent_detail"),
    path(
        "<int:excellent_id>/actions/<slug:action>/",
        excellent_views.nomination_action,
        name="excellent_action",
    ),
]
