from django.urls import path

from shangliang.core.live_views import live_stream

app_name = "live"
urlpatterns = [
    path("<slug:prefix>/<str:key>/", live_stream, name="stream"),
]
