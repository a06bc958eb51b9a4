from __future__ import annotations

from shangliang.notifications.models import Notification
from shangliang.notifications.services import notification_deliver


def _some(world, n=3) -> None:
    for i in range(n):
        notification_deliver(
            user_id=world.member.pk, kind="k", key=f"k{i}", title=f"通知{i}", link="/proposals/"
        )


def test_it_lists_the_users_notifications_with_a_badge(world, django_assert_max_num_queries):
    _some(world, 3)
    notification_deliver(user_id=world.leader.pk, kind="k", key="x", title="别人的")
    client = world.client_for(world.member)
    response = client.get("/notifications/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "通知2" in html and "别人的" not in html
    assert 'data-testid="unread-badge">3<' in html
    assert f'data-live="/live/notifications/{world.member.pk}/"' in html
    _some(world, 3)
    with django_assert_max_num_queries(12):  # the same however many there are
        client.get("/notifications/", headers={"HX-Request": "true"})
    _some_more = [
        notification_deliver(user_id=world.member.pk, kind="k", key=f"m{i}", title="多")
        for i in range(20)
    ]
    assert all(_some_more)
    with django_assert_max_num_queries(12):
        partial = client.get("/notifications/", headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and "通知0" in partial.content.decode()


def test_it_marks_read(world):
    _some(world, 2)
    client = world.client_for(world.member)
    first = Notification.objects.filter(user=world.member).first()
    assert first is not None
    client.post("/notifications/read/", {"id": first.pk})
    assert Notification.objects.filter(user=world.member, read_at__isnull=True).count() == 1
    response = client.post("/notifications/read/")
    assert response.status_code == 302
    assert not Notification.objects.filter(user=world.member, read_at__isnull=True).exists()
    assert client.get("/notifications/read/").status_code == 405


def test_it_needs_a_login(client):
    assert client.get("/notifications/").status_code == 302
