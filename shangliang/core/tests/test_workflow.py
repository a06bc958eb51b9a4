from __future__ import annotations

import pytest

from shangliang.accounts.models import Membership
from shangliang.core.audit import history_for
from shangliang.core.errors import Conflict, Forbidden, Invalid
from shangliang.core.models import AuditEvent
from shangliang.core.workflow import available_actions, transition


def test_it_suspends_with_audit_row(world):
    m = world.county_a_member_m
    transition(m, "suspend", actor=world.county_a_office, reason="长期缺席", date="2026-12-01")
    m.refresh_from_db()
    assert m.status == Membership.Status.SUSPENDED
    assert m.status_reason == "长期缺席"
    events = list(history_for(m))
    assert len(events) == 1
    assert events[0].action == "accounts.membership.suspend"
    assert events[0].actor == world.county_a_office
    assert events[0].data["from"] == "active" and events[0].data["to"] == "suspended"
    assert events[0].org == world.county_a


def test_it_accepts_chinese_dates(world):
    m = world.county_a_member_m
    transition(m, "suspend", actor=world.county_a_office, reason="请假", date="2026年3月5日")
    m.refresh_from_db()
    assert str(m.status_changed_on) == "2026-03-05"


def test_it_rejects_outsider(world):
    m = world.county_b_member_m
    with pytest.raises(Forbidden):
        transition(m, "suspend", actor=world.county_a_office, reason="x", date="2026-12-01")
    m.refresh_from_db()
    assert m.status == Membership.Status.ACTIVE
    assert not history_for(m).exists()


def test_it_requires_fields_and_writes_nothing(world):
    m = world.county_a_member_m
    with pytest.raises(Invalid) as exc:
        transition(m, "suspend", actor=world.county_a_office, reason="", date="2026-12-01")
    assert "reason" in exc.value.fields
    with pytest.raises(Invalid):
        transition(m, "suspend", actor=world.county_a_office, reason="x", date="not a date")
    m.refresh_from_db()
    assert m.status == Membership.Status.ACTIVE
    assert AuditEvent.objects.filter(action__startswith="accounts.membership.").count() == 0


def test_a_stale_second_step_gets_a_conflict(world):
    first = Membership.objects.get(pk=world.county_a_member_m.pk)
    stale = Membership.objects.get(pk=world.county_a_member_m.pk)
    transition(first, "suspend", actor=world.county_a_office, reason="a", date="2026-12-01")
    with pytest.raises(Conflict):
        transition(stale, "suspend", actor=world.county_a_office, reason="b", date="2026-12-01")
    assert history_for(first).count() == 1


def test_exit_needs_a_leader(world):
    m = world.county_a_member_m
    transition(
        m,
        "propose_exit",
        actor=world.county_a_office,
        kind="resigned",
        reason="",
        date="2026-12-01",
    )
    names = [a.name for a in available_actions(world.county_a_office, m)]
    assert "approve_exit" not in names
    with pytest.raises(Forbidden):
        transition(m, "approve_exit", actor=world.county_a_office)
    assert [a.name for a in available_actions(world.county_a_leader, m)] == [
        "approve_exit",
        "reject_exit",
    ]
    transition(m, "approve_exit", actor=world.county_a_leader)
    m.refresh_from_db()
    assert m.status == Membership.Status.EXITED
    assert m.status_reason.startswith("本人辞去委员职务")


def test_upper_committee_staff_reach_down_but_not_up(world):
    assert "suspend" in [
        a.name for a in available_actions(world.general_office, world.county_a_member_m)
    ]
    assert available_actions(world.county_a_office, world.member_m) == []


def test_the_exit_reason_is_recorded_in_chinese_whatever_the_ui_language(world):
    from django.utils import translation

    m = world.county_a_member_m
    with translation.override("en"):
        transition(
            m,
            "propose_exit",
            actor=world.county_a_office,
            kind="transferred",
            reason="调往外省",
            date="2026-12-01",
        )
    m.refresh_from_db()
    assert m.status_reason == "工作调动：调往外省"


def test_routed_and_staying_actions():
    from django.db import models as m

    from shangliang.core.workflow import STAY, Action, Workflow

    class S(m.TextChoices):
        A = "a", "A"
        B = "b", "B"
        C = "c", "C"

    class Thing(m.Model):
        status = m.CharField(max_length=1)

        class Meta:
            app_label = "core"
            managed = False

        def __str__(self) -> str:
            return self.status

    wf = Workflow(
        name="test.thing",
        model=Thing,
        states=S,
        actions=[
            Action("note", "N", (S.A,), STAY, lambda u, o: True),
            Action(
                "decide",
                "D",
                (S.A,),
                S.A,
                lambda u, o: True,
                route=lambda o, u, f: S.B if f.get("x") else S.C,
                routes=(S.B, S.C),
            ),
        ],
    )
    from shangliang.core.workflow import REGISTRY

    REGISTRY.pop(Thing)
    note, decide = wf.actions
    assert note.resolve(None, None, "a", {}) == "a"
    assert decide.resolve(None, None, "a", {"x": 1}) == "b"
    assert decide.resolve(None, None, "a", {}) == "c"
    assert {(s, t) for s, t, _a in wf.edges()} == {("a", "a"), ("a", "b"), ("a", "c")}
