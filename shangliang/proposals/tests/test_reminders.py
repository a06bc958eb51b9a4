"""The daily jobs: rating windows that passed are closed through the engine; deadline counts."""

from __future__ import annotations

import logging

from shangliang.core.models import AuditEvent
from shangliang.core.scheduler import JOBS, run_job
from shangliang.core.workflow import available_actions, transition
from shangliang.proposals.models import Assignment, Proposal
from shangliang.proposals.reminders import deadline_counts
from shangliang.proposals.services.rating import ratings_close_expired
from shangliang.proposals.steps import today
from shangliang.proposals.tests.unit_cast import cast_fixture, shift  # noqa: F401


def test_the_jobs_are_scheduled_daily():
    assert JOBS["proposals.close_rating_windows"].cron == "10 0 * * *"
    assert JOBS["proposals.deadline_reminders"].cron == "0 8 * * *"


def test_a_passed_window_without_ratings_finishes_the_assignment(
    cast, django_capture_on_commit_callbacks
):
    a = shift(cast.rating(), rating_due_on=-1)
    with django_capture_on_commit_callbacks(execute=True):
        run_job("proposals.close_rating_windows")
    a.refresh_from_db()
    assert a.status == Assignment.Status.DONE and a.done_at
    assert Proposal.objects.get(pk=a.proposal_id).status == Proposal.Status.CLOSED
    event = AuditEvent.objects.get(action="proposals.assignment.close_rating")
    assert event.actor is None and event.data["to"] == "done"


def test_a_dissatisfied_rating_given_still_leads_to_a_second_round(cast):
    a = cast.rating()
    transition(
        a, "rate", actor=cast.world.member, rating="dissatisfied", contacted_before_reply=True
    )
    shift(a, rating_due_on=-1)
    assert ratings_close_expired() == 1
    a.refresh_from_db()
    assert a.status == Assignment.Status.HANDLING and a.round == 2 and a.rating_due_on is None


def test_an_open_window_is_left_alone(cast):
    a = shift(cast.rating(), rating_due_on=0)
    assert ratings_close_expired() == 0
    a.refresh_from_db()
    assert a.status == Assignment.Status.RATING


def test_nobody_closes_a_window_by_hand(cast):
    a = shift(cast.rating(), rating_due_on=-1)
    for user in (cast.office, cast.world.member, cast.world.unit_user):
        assert "close_rating" not in [x.name for x in available_actions(user, a)]


def test_it_counts_and_logs_deadlines(cast, caplog):
    shift(cast.sole(), due_on=-20)
    shift(cast.sole(title="关于逾期的建议"), due_on=-1)
    shift(cast.sole(title="关于快到期的建议"), due_on=3)
    shift(cast.sole(title="关于还早的建议"), due_on=30)
    counts = deadline_counts(today())[cast.world.province.pk]
    assert (counts["overdue"], counts["escalated"], counts["due_soon"]) == (2, 1, 1)
    with caplog.at_level(logging.INFO, logger="shangliang.proposals.reminders"):
        run_job("proposals.deadline_reminders")
    assert "1 due soon, 2 overdue (1 escalated" in caplog.text


def test_it_notifies_the_unit_of_replies_due_soon_and_overdue_once(
    cast, django_capture_on_commit_callbacks
):
    from shangliang.notifications.models import Notification
    from shangliang.proposals.reminders import deadline_notifications_send

    late = shift(cast.sole(title="关于逾期的建议"), due_on=-1)
    soon = shift(cast.sole(title="关于快到期的建议"), due_on=3)
    shift(cast.sole(title="关于还早的建议"), due_on=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_notifications_send(day=today()) == 2
    mine = {n.kind: n for n in Notification.objects.filter(user=cast.world.unit_user)}
    assert set(mine) == {"assignment.overdue", "assignment.due_soon"}
    assert "关于逾期的建议" in mine["assignment.overdue"].title
    assert mine["assignment.overdue"].link.endswith(f"/unit/{late.pk}/")
    assert "关于快到期的建议" in mine["assignment.due_soon"].title
    assert mine["assignment.due_soon"].link.endswith(f"/unit/{soon.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        deadline_notifications_send(day=today())  # the next run: nothing new
    assert Notification.objects.filter(user=cast.world.unit_user).count() == 2
    assert not Notification.objects.filter(user=cast.world.member).exists()
