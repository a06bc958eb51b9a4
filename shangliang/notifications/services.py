"""Notifications: created by one task per recipient after the change that caused them
commits, each keyed so that a retried or replayed task never notifies twice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from shangliang.core.pubsub import channel, publish
from shangliang.notifications.models import Notification

CHANNEL = "notifications"


def can_listen(user: Any, key: str) -> bool:
    """A user listens to their own notifications only."""
    return str(user.pk) == key


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def _announce_count(user_id: int) -> None:
    count = Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
    publish(channel(CHANNEL, user_id), {"unread": count})


def notify(
    *, user_ids: Iterable[int], kind: str, key: str, title: str, body: str = "", link: str = ""
) -> None:
    """Queue one delivery task per recipient, after the current transaction commits."""
    from shangliang.notifications.tasks import deliver_notification

    recipients = sorted(set(user_ids))

    def enqueue() -> None:
        for user_id in recipients:
            deliver_notification.enqueue(user_id, kind, key, title[:200], body, link[:500])

    transaction.on_commit(enqueue)


def notification_deliver(
    *, user_id: int, kind: str, key: str, title: str, body: str = "", link: str = ""
) -> bool:
    """Create the notification unless it exists; True if this call created it."""
    try:
        with transaction.atomic():
            _, created = Notification.objects.get_or_create(
                user_id=user_id,
                key=key,
                defaults={"kind": kind, "title": title, "body": body, "link": link},
            )
    except IntegrityError:  # a concurrent delivery of the same one won
        created = False
    if created:
        _announce_count(user_id)
    return created


def notifications_mark_read(*, actor: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them, or those of ``ids``); returns how
    many changed. Only ever the actor's own rows: other ids are ignored."""
    with transaction.atomic():
        qs = Notification.objects.filter(user=actor, read_at__isnull=True)
        if ids is not None:
            qs = qs.filter(pk__in=list(ids))
        changed = qs.update(read_at=timezone.now())
        if changed:
            _announce_count(actor.pk)
    return changed
