"""Notifications: the caller's own, newest first, and marking them read."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema
from pydantic import Field

from shangliang.api.paging import page_of
from shangliang.api.schemas import Id, PageIn, errors
from shangliang.core.http import AuthedRequest
from shangliang.notifications.models import Notification
from shangliang.notifications.selectors import notifications_of
from shangliang.notifications.services import notifications_mark_read, unread_count

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPage(Schema):
    count: int
    page: int
    page_size: int
    unread: int
    results: list[NotificationOut]


class NotificationFiltersIn(Schema):
    unread: bool = Field(False, description="Only the unread ones.")


class MarkReadIn(Schema):
    ids: list[Id] | None = Field(
        None, max_length=500, description="The notifications to mark; omitted: all of yours."
    )


class MarkReadOut(Schema):
    marked: int
    unread: int


def _out(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.pk,
        kind=n.kind,
        title=n.title,
        body=n.body,
        link=n.link,
        created_at=n.created_at,
        read_at=n.read_at,
    )


@router.get(
    "/notifications",
    response={200: NotificationPage, **errors(401, 422)},
    summary="Your notifications, newest first, with the unread count",
)
def notifications_list(
    request: AuthedRequest, filters: Query[NotificationFiltersIn], paging: Query[PageIn]
) -> NotificationPage:
    count, rows = page_of(notifications_of(request.user, unread_only=filters.unread), paging)
    return NotificationPage(
        count=count,
        page=paging.page,
        page_size=paging.page_size,
        unread=unread_count(request.user),
        results=[_out(n) for n in rows],
    )


@router.post(
    "/notifications/read",
    response={200: MarkReadOut, **errors(400, 401, 422)},
    summary="Mark your notifications read (the listed ones, or all)",
    description="Ids that are not yours are ignored.",
)
def notifications_read(request: AuthedRequest, payload: MarkReadIn) -> MarkReadOut:
    marked = notifications_mark_read(actor=request.user, ids=payload.ids)
    return MarkReadOut(marked=marked, unread=unread_count(request.user))
