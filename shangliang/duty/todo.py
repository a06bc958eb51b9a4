"""What the duty records put on people's home pages: a member's missing minimums in the
last quarter (reminders before year end), staff's exit warnings and entries to confirm,
leaders' excellent-member nominations."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shangliang.accounts.models import Membership, Role
from shangliang.accounts.permissions import paths_for, scope_q
from shangliang.core.todo import TodoItem, todo_provider
from shangliang.duty.models import ExcellentMember, ExitFlag, ManualEntry
from shangliang.duty.permissions import MANAGERS
from shangliang.duty.scoring import scheme_for
from shangliang.duty.selectors import minimums_of

REMIND_FROM_MONTH = 10  # the last quarter


@todo_provider
def missing_minimums(user: Any) -> list[TodoItem]:
    today = timezone.localdate()
    if today.month < REMIND_FROM_MONTH or not user.is_authenticated:
        return []
    m = Membership.objects.filter(
        user=user, term__is_current=True, status=Membership.Status.ACTIVE
    ).first()
    if m is None:
        return []
    scheme = scheme_for(m.org_id, today.year)
    missing = [
        k for k, ok in minimums_of(m.pk, today.year, list(scheme.minimums)).items() if not ok
    ]
    url = reverse("duty:member", args=[m.pk])
    return [
        TodoItem(
            _("本年度尚未完成的最低履职要求"),
            url,
            len(missing),
            detail=_("年底前请补齐"),
            urgent=today.month == 12,
        )
    ]


@todo_provider
def duty_staff(user: Any) -> list[TodoItem]:
    paths = paths_for(user, MANAGERS)
    if not paths:
        return []
    top = min(paths, key=lambda p: (p.count("/"), p))
    org_id = int(top.strip("/").split("/")[-1])
    flags = ExitFlag.objects.filter(scope_q(paths), status=ExitFlag.Status.OPEN).count()
    entries = (
        ManualEntry.objects.filter(scope_q(paths), status=ManualEntry.Status.PENDING)
        .exclude(created_by=user)
        .count()
    )
    return [
        TodoItem(_("退出预警待处理"), reverse("duty:org", args=[org_id]), flags, urgent=True),
        TodoItem(_("补录履职活动待确认"), reverse("duty:entries", args=[org_id]), entries),
    ]


@todo_provider
def nominations(user: Any) -> list[TodoItem]:
    paths = paths_for(user, [Role.Kind.LEADER])
    if not paths:
        return []
    top = min(paths, key=lambda p: (p.count("/"), p))
    org_id = int(top.strip("/").split("/")[-1])
    n = ExcellentMember.objects.filter(scope_q(paths), status=ExcellentMember.Status.NOMINATED)
    return [TodoItem(_("优秀委员提名待确认"), reverse("duty:org", args=[org_id]), n.count())]
