"""What opinion reports put on reporters' and the information office's home pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import paths_for
from shangliang.core.todo import TodoItem, todo_provider
from shangliang.opinions.models import Feedback, Forwarding, Opinion

S = Opinion.Status


@todo_provider
def reporter_todos(user: Any) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    own = Opinion.objects.filter(author=user, kind=Opinion.Kind.ORIGINAL).aggregate(
        returned=Count("pk", filter=Q(status=S.RETURNED)),
        drafts=Count("pk", filter=Q(status=S.DRAFT)),
    )
    unread = Feedback.objects.filter(user=user, read_at__isnull=True).count()
    mine = reverse("opinions:mine")
    return [
        TodoItem(_("退回补充的社情民意信息"), mine, own["returned"] or 0, urgent=True),
        TodoItem(_("未报送的社情民意草稿"), mine, own["drafts"] or 0),
        TodoItem(_("社情民意反馈（未读）"), reverse("opinions:feedback"), unread),
    ]


@todo_provider
def office_todos(user: Any) -> list[TodoItem]:
    paths = paths_for(user, [Role.Kind.INFO_OFFICE]) if user.is_authenticated else []
    if not paths:
        return []
    top = min(paths, key=lambda p: (p.count("/"), p))
    org_id = int(top.strip("/").split("/")[-1])
    counts = Opinion.objects.filter(org_id=org_id).aggregate(
        submitted=Count("pk", filter=Q(status=S.SUBMITTED)),
        editing=Count("pk", filter=Q(status=S.EDITING)),
        signed=Count("pk", filter=Q(status=S.SIGNED_OFF)),
    )
    base = reverse("opinions:office_queue", args=[org_id])

    def url(status: str) -> str:
        return base + "?" + urlencode({"status": status})

    return [
        TodoItem(_("社情民意待编辑"), url(S.SUBMITTED), counts["submitted"] or 0, urgent=True),
        TodoItem(_("社情民意编辑中"), url(S.EDITING), counts["editing"] or 0),
        TodoItem(_("社情民意已签发待编发"), url(S.SIGNED_OFF), counts["signed"] or 0),
    ]


@todo_provider
def unit_todos(user: Any) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    n = Forwarding.objects.filter(unit__users__user=user, status=Forwarding.Status.TO_REPLY).count()
    return [TodoItem(_("转送的社情民意待回复"), reverse("opinions:unit_inbox"), n)]
