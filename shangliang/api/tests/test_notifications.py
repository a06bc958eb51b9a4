from __future__ import annotations

from shangliang.api.tests.schema import ApiClient
from shangliang.notifications.models import Notification
from shangliang.notifications.services import notification_deliver


def test_it_lists_only_the_callers_notifications(world):
    for i in range(3):
        notification_deliver(user_id=world.member.pk, kind="k", key=f"k{i}", title=f"通知{i}")
    notification_deliver(user_id=world.leader.pk, kind="k", key="x", title="别人的")
    api = ApiClient(world.member)
    r = api.get("notifications?page_size=2")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 3 and body["unread"] == 3 and len(body["results"]) == 2
    assert body["results"][0]["title"] == "通知2"
    assert ApiClient().get("notifications").status_code == 401


def test_it_marks_read(world):
    notification_deliver(user_id=world.member.pk, kind="k", key="a", title="一")
    notification_deliver(user_id=world.member.pk, kind="k", key="b", title="二")
    mine = Notification.objects.filter(user=world.member).first()
    assert mine is not None
    assert ApiClient(world.leader).post("notifications/read", {"ids": [mine.pk]}).json() == {
        "marked": 0,
        "unread": 0,
    }
    api = ApiClient(world.member)
    assert api.post("notifications/read", {"ids": [mine.pk]}).json() == {"marked": 1, "unread": 1}
    assert api.post("notifications/read", {}).json() == {"marked": 1, "unread": 0}
    assert api.get("notifications?unread=true").json()["count"] == 0
