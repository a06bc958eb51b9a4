import datetime as dt

import pytest
from django.utils import timezone

from shangliang.duty.tests.cast import plenary
from shangliang.meetings.models import Attendance, LeaveRequest
from shangliang.meetings.services import checkin_token

pytestmark = pytest.mark.django_db


def test_staff_create_a_meeting_on_the_page(world):
    client = world.client_for(world.general_office)
    start = timezone.localtime() + dt.timedelta(days=3)
    r = client.post(
        f"/meetings/orgs/{world.province.pk}/new/",
        {
            "kind": "standing",
            "title": "常委会议",
            "place": "会堂",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "half_days": "1",
        },
    )
    assert r.status_code == 302
    assert Attendance.objects.filter(membership=world.member_m).exists()


def test_members_cannot_create_meetings(world):
    r = world.client_for(world.member).get(f"/meetings/orgs/{world.province.pk}/new/")
    assert r.status_code == 404


def test_the_board_shows_the_qr_and_follows_the_live_check_ins(world):
    m = plenary(world, world.general_office, days_ago=0)
    client = world.client_for(world.general_office)
    html = client.get(f"/meetings/{m.pk}/").content.decode()
    assert f'data-live="/live/meeting/{m.pk}/"' in html and 'hx-trigger="live, every 30s"' in html
    assert f"/meetings/{m.pk}/qr.svg" in html
    svg = client.get(f"/meetings/{m.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert world.client_for(world.member).get(f"/meetings/{m.pk}/qr.svg").status_code == 404


def test_a_member_checks_in_on_the_phone_page(world, django_capture_on_commit_callbacks):
    m = plenary(world, world.general_office, days_ago=0)
    client = world.client_for(world.member)
    url = f"/meetings/{m.pk}/check-in/{checkin_token(m)}/"
    assert "确认签到" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert Attendance.objects.get(meeting=m).status == "attended"


def test_a_member_requests_leave_on_the_page(world):
    m = plenary(world, world.general_office, days_ago=-2)
    client = world.client_for(world.member)
    client.post(f"/meetings/{m.pk}/leave/", {"reason": "出差"})
    lv = LeaveRequest.objects.get()
    r = world.client_for(world.general_office).post(f"/meetings/leave/{lv.pk}/approve/")
    assert r.status_code == 302
    lv.refresh_from_db()
    assert lv.status == "approved"


def test_another_organisations_member_gets_404(world):
    m = plenary(world, world.general_office, days_ago=-2)
    assert world.client_for(world.county_a_member).get(f"/meetings/{m.pk}/").status_code == 404


def test_only_who_may_view_the_meeting_may_follow_its_live_board(world):
    from shangliang.meetings.permissions import can_listen

    m = plenary(world, world.general_office, days_ago=0)
    assert can_listen(world.general_office, str(m.pk))
    assert not can_listen(world.county_a_member, str(m.pk))
    assert not can_listen(world.general_office, "nope")
    assert world.client_for(world.county_a_member).get(f"/live/meeting/{m.pk}/").status_code == 404
