from django.contrib import admin
from django.urls import include, path

from shangliang.api.urls import api

urlpatterns = [
    path("", include("shangliang.web.urls")),
    path("accounts/", include("shangliang.accounts.urls")),
    path("roster/", include("shangliang.roster.urls")),
    path("proposals/", include("shangliang.proposals.urls")),
    path("opinions/", include("shangliang.opinions.urls")),
    path("meetings/", include("shangliang.meetings.urls")),
    path("duty/", include("shangliang.duty.urls")),
    path("notifications/", include("shangliang.notifications.urls")),
    path("live/", include("shangliang.core.live_urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler500 = "shangliang.core.unavailable.server_error"
