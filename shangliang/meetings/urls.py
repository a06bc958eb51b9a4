from django.urls import URLPattern, URLResolver, path

from shangliang.meetings import views

app_name = "meetings"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.meeting_list, name="list"),
    path("orgs/<int:org_id>/new/", views.meeting_new, name="new"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/qr.svg", views.meeting_qr, name="qr"),
    path("<int:meeting_id>/check-in/<str:token>/", views.meeting_check_in, name="check_in"),
    path("<int:meeting_id>/leave/", views.meeting_leave, name="leave"),
    path("<int:meeting_id>/finalize/", views.finalize, name="finalize"),
    path(
        "<int:meeting_id>/attendances/<int:attendance_id>/mark/", views.mark_attended, name="mark"
    ),
    path(
        "<int:meeting_id>/attendances/<int:attendance_id>/correct/", views.correct, name="correct"
    ),
    path("leave/<int:leave_id>/<str:action>/", views.leave_act, name="leave_act"),
]
