"""Daily jobs of handling: close the rating windows that passed, and remind the handling
units of replies due soon or overdue (a notification to each of the unit's users, once per
assignment and deadline for "due soon" and once for "overdue"; the counts also go to the
log, and the to-do lists of units, the office and leaders show them live)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from shangliang.accounts.models import UnitUser
from shangliang.core.scheduler import periodic
from shangliang.notifications.services import notify
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
    deadline_notifications_send(day=today())
    for org, c in sorted(deadline_counts(today()).items()):
        log.info(
            "proposals: org %s: %s due soon, %s overdue (%s escalated to the leaders)",
            org,
            c["due_soon"],
            c["overdue"],
            c["escalated"],
        )


def deadline_notifications_send(*, day: dt.date) -> int:
    """Notify the users of each unit that owes a reply due within the committee's reminder
    days, or overdue; returns how many assignments were notified. Keyed by the assignment
    and its due date, so a daily replay adds nothing and an extension reminds again."""
    rows = list(
        Assignment.objects.filter(
            status__in=OWING, due_on__lte=day + dt.timedelta(days=SOON_HORIZON)
        ).values_list("pk", "due_on", "unit_id", "proposal__org_id", "proposal__title")
    )
    reminders = reminder_days_by_org(org for _pk, _due, _unit, org, _title in rows)
    users: defaultdict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in UnitUser.objects.filter(
        unit_id__in={unit for _pk, _due, unit, _org, _title in rows}, user__is_active=True
    ).values_list("unit_id", "user_id"):
        users[unit_id].append(user_id)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for pk, due, unit_id, org, title in rows:
            left = (due - day).days
            if left < 0:
                kind, heading = "assignment.overdue", _("提案答复已逾期：%(t)s")
            elif left <= reminders.get(org, DEFAULT_REMINDER_DAYS):
                kind, heading = "assignment.due_soon", _("提案答复即将到期：%(t)s")
            else:
                continue
            if not users[unit_id]:
                continue
            notify(
                user_ids=users[unit_id],
                kind=kind,
                key=f"{kind}:{pk}:{due.isoformat()}",
                title=heading % {"t": title},
                body=_("答复期限：%(d)s") % {"d": due.isoformat()},
                link=reverse("proposals:unit_assignment", args=[pk]),
            )
            sent += 1
    return sent
