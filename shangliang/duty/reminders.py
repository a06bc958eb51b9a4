"""Year-end reminders of the minimum duties (一年一个"至少"): in the last quarter, every
week, each serving member who still lacks one gets a notification listing what is missing.
The list is read from the score table (``DutyScore.lacking``, written by the recompute), so
the job is one query however many members there are."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shangliang.accounts.models import Membership
from shangliang.core.scheduler import periodic
from shangliang.duty.items import REQUIREMENTS
from shangliang.duty.models import DutyScore
from shangliang.duty.todo import REMIND_FROM_MONTH
from shangliang.notifications.services import notify


def minimum_reminders_send(*, day: dt.date) -> int:
    """Notify the members who lack a minimum duty this year; returns how many. One
    notification per member and ISO week (a replay in the same week adds nothing)."""
    if day.month < REMIND_FROM_MONTH:
        return 0
    rows = (
        DutyScore.objects.filter(
            year=day.year,
            membership__status=Membership.Status.ACTIVE,
            membership__term__is_current=True,
        )
        .exclude(lacking="")
        .values_list("membership_id", "membership__user_id", "lacking")
    )
    week = day.isocalendar()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for membership_id, user_id, lacking in rows.iterator():
            codes = [c for c in lacking.split(",") if c in REQUIREMENTS]
            if not codes:
                continue
            missing = "、".join(str(REQUIREMENTS[c][0]) for c in codes)
            notify(
                user_ids=[user_id],
                kind="duty.minimums",
                key=f"duty.minimums:{membership_id}:{week.year}-W{week.week:02d}",
                title=_("%(year)s年尚缺的最低履职要求：%(missing)s")
                % {
                    "year": day.year,
                    "missing": missing,
                },
                body=_("请在年底前补齐。"),
                link=reverse("duty:member", args=[membership_id]),
            )
            sent += 1
    return sent


@periodic("duty.minimum_reminders", "0 9 * * 1")
def send_minimum_reminders() -> None:
    minimum_reminders_send(day=timezone.localdate())
