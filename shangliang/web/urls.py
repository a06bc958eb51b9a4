from django.urls import path

from shangliang.web import org_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit, name="audit"),
    path("orgs/", org_views.org_list, name="orgs"),
    path("orgs/<int:org_id>/", org_views.org_detail, name="org_detail"),
]
