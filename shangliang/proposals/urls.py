from django.urls import include, path

app_name = "proposals"
urlpatterns = [
    path("public/", include("shangliang.proposals.portal_urls")),
    path("excellent/", include("shangliang.proposals.excellent_urls")),
    path("", include("shangliang.proposals.member_urls")),
    path("office/", include("shangliang.proposals.office_urls")),
    path("unit/", include("shangliang.proposals.unit_urls")),
    path("figures/", include("shangliang.proposals.figures_urls")),
]
