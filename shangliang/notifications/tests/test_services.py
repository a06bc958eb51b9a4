from __future__ import annotations

import pytest
from django.test import override_settings

from shangliang.core import pubsub
from shangliang.notifications.models import Notification
from shangliang.notifications.services import (
    notification_deliver,
    notifications_mark_read,
    notify,
    unread_count,
)


@pytest.fixture
def memory():
    with override_settings(LIVE_BACKEND="memory"):
        pubsub.reset_backend()
        yield
    pubsub.reset_backend()


def test_it_delivers_each_notification_once(world, memory):
    args = {"user_id": world.member.pk, "kind": "k", "key": "e:1", "title": "标题"}
    assert notification_deliver(**args) is True
    assert notification_deliver(**args) is False  # a retried task
    assert Notification.objects.filter(user=world.member).count() == 1
    assert notification_deliver(**{**args, "user_id": world.leader.pk}) is True


def test_it_queues_one_task_per_recipient_after_the_commit(
    world, memory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user_ids=[world.member.pk, world.leader.pk, world.member.pk],
            kind="k",
            key="e:2",
            title="有新消息",
        )
        assert not Notification.objects.exists()  # nothing before the commit
    assert sorted(Notification.objects.values_list("user_id", flat=True)) == sorted(
        [world.member.pk, world.leader.pk]
    )


def test_it_publishes_the_unread_count(world, memory, django_capture_on_commit_callbacks):
    sub = pubsub.subscribe(f"notifications:{world.member.pk}")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notification_deliver(user_id=world.member.pk, kind="k", key="a", title="一")
        assert sub.get(timeout=1) == {"unread": 1}
        with django_capture_on_commit_callbacks(execute=True):
            assert notifications_mark_read(actor=world.member) == 1
        assert sub.get(timeout=1) == {"unread": 0}
    finally:
        sub.close()


def test_it_marks_only_the_actors_own_notifications(world, memory):
    notification_deliver(user_id=world.member.pk, kind="k", key="a", title="一")
    theirs = Notification.objects.get()
    assert notifications_mark_read(actor=world.leader, ids=[theirs.pk]) == 0
    assert unread_count(world.member) == 1
    assert notifications_mark_read(actor=world.member, ids=[theirs.pk]) == 1
    assert unread_count(world.member) == 0
