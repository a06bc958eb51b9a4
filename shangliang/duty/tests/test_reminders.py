"""Year-end reminders of the minimum duties, as notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shangliang.duty.reminders import minimum_reminders_send
from shangliang.duty.scoring import recompute_year
from shangliang.duty.tests.cast import second
from shangliang.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_it_reminds_members_who_lack_a_minimum_once_a_week(
    world, django_capture_on_commit_callbacks
):
    member3 = second(world, "member3", "省委员丙")
    year = timezone.localdate().year
    recompute_year(org_id=world.province.pk, year=year)
    november = dt.date(year, 11, 2)
    with django_capture_on_commit_callbacks(execute=True):
        sent = minimum_reminders_send(day=november)
    assert sent >= 1
    mine = Notification.objects.get(user=member3.user)
    assert mine.kind == "duty.minimums"
    assert "一件提案" in mine.title and "一次学习培训" in mine.title
    assert mine.link.endswith(f"/duty/members/{member3.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        minimum_reminders_send(day=november + dt.timedelta(days=1))  # the same week
    assert Notification.objects.filter(user=member3.user).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        minimum_reminders_send(day=november + dt.timedelta(days=7))  # the next week
    assert Notification.objects.filter(user=member3.user).count() == 2


def test_it_does_not_remind_before_the_last_quarter(world, django_capture_on_commit_callbacks):
    second(world, "member3", "省委员丙")
    year = timezone.localdate().year
    recompute_year(org_id=world.province.pk, year=year)
    with django_capture_on_commit_callbacks(execute=True):
        assert minimum_reminders_send(day=dt.date(year, 6, 1)) == 0
    assert not Notification.objects.exists()
