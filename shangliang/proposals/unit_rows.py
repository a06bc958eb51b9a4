"""Deadline warnings for lists of assignments (the inbox, the board, the exports)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from shangliang.proposals.models import Assignment, ProposalSettings
from shangliang.proposals.unit_selectors import ESCALATE_DAYS, OWING

DEFAULT_REMINDER_DAYS = 7
SIGN_SOON_DAYS = 2


@dataclass(frozen=True)
class Row:
    a: Assignment
    due_state: str  # "overdue" (red), "soon" (amber), "" (in time or nothing owed)
    days_left: int  # days to the reply deadline; negative once overdue
    sign_state: str  # the same for the sign-for window, while the assignment is to be signed
    sign_days_left: int
    countersigned: bool  # by one of the viewer's units (a co-handler countersigning a lead)

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left) if self.a.status in OWING else 0

    @property
    def level(self) -> int:
        """督办级别: 1 overdue; 2 overdue by more than ESCALATE_DAYS (escalated to leaders)."""
        days = self.days_overdue
        return 2 if days > ESCALATE_DAYS else 1 if days > 0 else 0


def reminder_days_by_org(org_ids: Iterable[int]) -> dict[int, int]:
    """ProposalSettings.reminder_days of each committee, in one query."""
    return dict(
        ProposalSettings.objects.filter(org_id__in=set(org_ids)).values_list(
            "org_id", "reminder_days"
        )
    )


def rows_for(
    assignments: Iterable[Assignment], *, today: dt.date, units: Iterable[int] = ()
) -> list[Row]:
    items = list(assignments)
    reminders = reminder_days_by_org(a.proposal.org_id for a in items)
    mine = set(units)
    rows = []
    for a in items:
        days_left = (a.due_on - today).days
        soon = reminders.get(a.proposal.org_id, DEFAULT_REMINDER_DAYS)
        due_state = ""
        if a.status in OWING:
            due_state = "overdue" if days_left < 0 else "soon" if days_left <= soon else ""
        sign_left = (a.sign_due_on - today).days
        sign_state = ""
        if a.status == Assignment.Status.TO_SIGN:
            sign_state = (
                "overdue" if sign_left < 0 else "soon" if sign_left <= SIGN_SOON_DAYS else ""
            )
        rows.append(
            Row(
                a=a,
                due_state=due_state,
                days_left=days_left,
                sign_state=sign_state,
                sign_days_left=sign_left,
                countersigned=bool(mine & set(a.countersigned_units)),
            )
        )
    return rows
