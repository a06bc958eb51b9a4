"""Daily jobs of handling: close the rating windows that passed, and count the replies due
soon or overdue (there is no notification model yet: the counts go to the log, and the
to-do lists of units, the office and leaders show them live)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from shangliang.core.scheduler import periodic
from shangliang.proposals.models import Assignment
from shangliang.proposals.services.rating import ratings_close_expired
from shangliang.proposals.steps import today
from shangliang.proposals.todo_unit import SOON_HORIZON
from shangliang.proposals.unit_rows import DEFAULT_REMINDER_DAYS, reminder_days_by_org
from shangliang.proposals.unit_selectors import ESCALATE_DAYS, OWING

log = logging.getLogger(__name__)


@periodic("proposals.close_rating_windows", "10 0 * * *")
def close_rating_windows() -> None:
    moved = ratings_close_expired()
    log.info("proposals: %s rating window(s) closed", moved)


def deadline_counts(day: dt.date) -> dict[int, Counter[str]]:
    """{org id: Counter(overdue=..., escalated=..., due_soon=...)} of owed replies."""
    rows = list(
        Assignment.objects.filter(
            status__in=OWING, due_on__lte=day + dt.timedelta(days=SOON_HORIZON)
        ).values_list("due_on", "proposal__org_id")
    )
    reminders = reminder_days_by_org(org for _due, org in rows)
    counts: dict[int, Counter[str]] = {}
    for due, org in rows:
        left = (due - day).days
        c = counts.setdefault(org, Counter())
        if left < 0:
            c["overdue"] += 1
            if -left > ESCALATE_DAYS:
                c["escalated"] += 1
        elif left <= reminders.get(org, DEFAULT_REMINDER_DAYS):
            c["due_soon"] += 1
    return counts


@periodic("proposals.deadline_reminders", "0 8 * * *")
def deadline_reminders() -> None:
    for org, c in sorted(deadline_counts(today()).items()):
        log.info(
            "proposals: org %s: %s due soon, %s overdue (%s escalated to the leaders)",
            org,
            c["due_soon"],
            c["overdue"],
            c["escalated"],
        )
