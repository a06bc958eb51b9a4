"""What handling puts on home pages: units (to sign, overdue, due soon, to countersign),
members (replies to rate), the office (replies to audit, reassignment and extension
requests) and leaders (assignments escalated for being long overdue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import paths_for, scope_q
from shangliang.core.todo import TodoItem, todo_provider
from shangliang.proposals.models import Assignment
from shangliang.proposals.steps import today
from shangliang.proposals.unit_rows import DEFAULT_REMINDER_DAYS, reminder_days_by_org
from shangliang.proposals.unit_selectors import (
    ESCALATE_DAYS,
    OWING,
    ratings_waiting_for,
    top_org_id,
    unit_ids_for,
)

A = Assignment.Status
SOON_HORIZON = 60  # days: no committee reminds earlier than this


def due_soon(qs: Any, day: dt.date) -> int:
    """Owed replies due within their committee's reminder_days (not yet overdue)."""
    rows = list(
        qs.filter(
            status__in=OWING, due_on__gte=day, due_on__lte=day + dt.timedelta(days=SOON_HORIZON)
        ).values_list("due_on", "proposal__org_id")
    )
    reminders = reminder_days_by_org(org for _due, org in rows)
    return sum(
        1 for due, org in rows if (due - day).days <= reminders.get(org, DEFAULT_REMINDER_DAYS)
    )


@todo_provider
def unit_todos(user: Any) -> list[TodoItem]:
    units = unit_ids_for(user)
    if not units:
        return []
    day = today()
    inbox = reverse("proposals:unit_inbox")
    mine = Assignment.objects.filter(unit_id__in=units)
    sign = mine.filter(status=A.TO_SIGN).aggregate(n=Count("pk"), first=Min("sign_due_on"))
    sign_detail, sign_urgent = "", False
    if sign["first"] is not None:
        left = (sign["first"] - day).days
        sign_urgent = left <= 1
        sign_detail = (
            _("最早的签收期限已过") if left < 0 else _("最近的签收期限还剩 %(n)s 天") % {"n": left}
        )
    overdue = mine.filter(status__in=OWING, due_on__lt=day).count()
    co_mine = Assignment.objects.filter(
        proposal_id=OuterRef("proposal_id"), role=Assignment.Role.CO, unit_id__in=units
    ).exclude(status=A.CANCELLED)
    drafts = (
        Assignment.objects.filter(role=Assignment.Role.LEAD, status=A.DRAFTED)
        .alias(co_mine=Exists(co_mine))
        .filter(co_mine=True)
        .values_list("countersigned_units", flat=True)
    )
    to_countersign = sum(1 for signed in drafts if not set(units) & set(signed or []))
    return [
        TodoItem(
            gettext_lazy("待签收提案"),
            inbox + "?tab=to_sign",
            sign["n"],
            detail=sign_detail,
            urgent=sign_urgent,
        ),
        TodoItem(gettext_lazy("答复已逾期"), inbox + "?tab=handling", overdue, urgent=True),
        TodoItem(
            gettext_lazy("答复即将到期"),
            inbox + "?tab=handling",
            due_soon(mine, day),
            detail=gettext_lazy("请在答复期限前完成答复"),
        ),
        TodoItem(gettext_lazy("待会签的主办答复"), inbox + "?tab=countersign", to_countersign),
    ]


@todo_provider
def member_ratings(user: Any) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    day = today()
    waiting = ratings_waiting_for(user=user).filter(rating_due_on__gte=day)
    found = waiting.aggregate(n=Count("pk"), first=Min("rating_due_on"))
    detail = ""
    if found["first"] is not None:
        detail = _("最早于 %(d)s 截止") % {"d": found["first"].isoformat()}
    urgent = found["first"] is not None and (found["first"] - day).days <= 3
    url = reverse("proposals:ratings_mine")
    return [TodoItem(gettext_lazy("待我测评的答复"), url, found["n"], detail=detail, urgent=urgent)]


@todo_provider
def office_handling(user: Any) -> list[TodoItem]:
    paths = paths_for(user, [Role.Kind.PROPOSAL_OFFICE])
    org_id = top_org_id(user, [Role.Kind.PROPOSAL_OFFICE])
    if not paths or org_id is None:
        return []
    from shangliang.proposals.todo_member_office import office_assignment_counts

    counts = office_assignment_counts(user, paths, consumer="office_handling")
    return [
        TodoItem(
            gettext_lazy("答复待审核"),
            reverse("proposals:handling_audit", args=[org_id]),
            counts["audit"],
        ),
        TodoItem(
            gettext_lazy("调整交办申请"),
            reverse("proposals:handling_reassignments", args=[org_id]),
            counts["reassign"],
            urgent=True,
        ),
        TodoItem(
            gettext_lazy("延期申请"),
            reverse("proposals:handling_extensions", args=[org_id]),
            counts["extension"],
        ),
    ]


@todo_provider
def leader_escalations(user: Any) -> list[TodoItem]:
    paths = paths_for(user, [Role.Kind.LEADER])
    org_id = top_org_id(user, [Role.Kind.LEADER])
    if not paths or org_id is None:
        return []
    limit = today() - dt.timedelta(days=ESCALATE_DAYS)
    count = Assignment.objects.filter(
        scope_q(paths, prefix="proposal__org__"), status__in=OWING, due_on__lt=limit
    ).count()
    url = reverse("proposals:handling_board", args=[org_id]) + "?level=2"
    return [
        TodoItem(
            gettext_lazy("逾期提案（已提请领导督办）"),
            url,
            count,
            detail=_("逾期超过 %(n)s 天未答复") % {"n": ESCALATE_DAYS},
            urgent=True,
        )
    ]
