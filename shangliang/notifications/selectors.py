from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from shangliang.notifications.models import Notification


def notifications_of(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")
