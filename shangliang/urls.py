from django.contrib import admin
from django.urls import include, path

from shangliang.api.urls import api

urlpatterns = [
    path("", include("shangliang.web.urls")),
    path("accounts/", include("shangliang.accounts.urls")),
    path("roster/", include("shangliang.roster.urls")),
    path("proposals/", include("shangliang.proposals.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
