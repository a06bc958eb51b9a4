from django.urls import path

from shangliang.roster import views

app_name = "roster"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("orgs/<int:org_id>/", views.roster_list, name="list"),
    path("members/<int:membership_id>/", views.membership_detail, name="membership"),
    path(
        "members/<int:membership_id>/actions/<slug:action>/",
        views.membership_action,
        name="membership_action",
    ),
]
