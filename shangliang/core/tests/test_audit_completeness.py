"""Every workflow action leaves exactly one audit event, with its actor and the states
before and after; and the audit trail cannot be changed or deleted.

The actions come from the engine's ``REGISTRY`` (every workflow of every app). For each,
a *driver* in :data:`DRIVERS` brings an object into a state the action starts from and
says who acts and with which fields. An action with no driver fails with a message naming
it: a workflow added to the platform must add its drivers here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property
from typing import Any

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from shangliang.accounts.models import Membership
from shangliang.api.tests.schema import openapi
from shangliang.core.models import AuditEvent
from shangliang.core.workflow import REGISTRY, transition
from shangliang.proposals.models import Assignment, Cosigner, Proposal
from shangliang.proposals.tests.unit_cast import Cast, make_cast, shift
from shangliang.testing import World

# (object, actor, fields): the actor None is the system (a scheduled job)
Step = tuple[Any, Any, dict[str, Any]]
Driver = Callable[["Ctx"], Step]
TODAY = "2026-12-01"


class Ctx:
    """The world, and the casts of the apps, each built when a driver first asks."""

    def __init__(self, world: World) -> None:
        self.world = world

    @cached_property
    def cast(self) -> Cast:
        return make_cast(world=self.world)

    @cached_property
    def ocast(self) -> Any:
        from shangliang.opinions.tests.cast import build_cast

        return build_cast(self.world)


# --- accounts.membership ----------------------------------------------------------------


def _member(ctx: Ctx) -> Membership:
    return ctx.world.county_a_member_m


def _suspended(ctx: Ctx) -> Membership:
    m = _member(ctx)
    transition(m, "suspend", actor=ctx.world.general_office, reason="因病", date=TODAY)
    return m


def _exit_pending(ctx: Ctx) -> Membership:
    m = _member(ctx)
    transition(m, "propose_exit", actor=ctx.world.general_office, kind="resigned", date=TODAY)
    return m


MEMBERSHIP: dict[str, Driver] = {
    "suspend": lambda c: (_member(c), c.world.general_office, {"reason": "因病", "date": TODAY}),
    "reinstate": lambda c: (_suspended(c), c.world.general_office, {"date": TODAY}),
    "propose_exit": lambda c: (
        _member(c),
        c.world.general_office,
        {"kind": "transferred", "date": TODAY},
    ),
    "approve_exit": lambda c: (_exit_pending(c), c.world.leader, {}),
    "reject_exit": lambda c: (_exit_pending(c), c.world.leader, {"note": "暂不批准"}),
}

# --- proposals.proposal ------------------------------------------------------------------


def _draft(ctx: Ctx, joint: bool = False) -> Proposal:
    w = ctx.world
    p = Proposal.objects.create(
        org=w.province,
        session=w.terms[w.province.pk].sessions.get(),
        kind=Proposal.Kind.JOINT if joint else Proposal.Kind.INDIVIDUAL,
        author=w.member_m,
        title="关于完善社区养老服务的建议",
        situation="情况",
        suggestions="建议",
        category="社会",
    )
    if joint:
        Cosigner.objects.create(proposal=p, membership=ctx.cast.second)
    return p


def _in_review(ctx: Ctx) -> Proposal:
    p = _draft(ctx)
    transition(p, "submit", actor=ctx.world.member)
    return p


def _returned(ctx: Ctx) -> Proposal:
    p = _in_review(ctx)
    transition(p, "review", actor=ctx.cast.office, outcome="return", reason="请补充")
    return p


def _accepted(ctx: Ctx) -> Proposal:
    return ctx.cast.proposal()


def _key(ctx: Ctx) -> Proposal:
    p = _accepted(ctx)
    transition(p, "mark_key", actor=ctx.world.leader)
    return p


def _handling(ctx: Ctx, **kw: Any) -> Proposal:
    a = ctx.cast.sole()
    p = a.proposal
    if kw:
        Proposal.objects.filter(pk=p.pk).update(**kw)
    p.refresh_from_db()
    return p


PROPOSAL: dict[str, Driver] = {
    "submit": lambda c: (_draft(c), c.world.member, {}),
    "cosign": lambda c: (_draft(c, joint=True), c.cast.second.user, {}),
    "decline_cosign": lambda c: (_draft(c, joint=True), c.cast.second.user, {}),
    "withdraw": lambda c: (_in_review(c), c.world.member, {"reason": "不再需要"}),
    "review": lambda c: (_in_review(c), c.cast.office, {"outcome": "accept"}),
    "resubmit": lambda c: (_returned(c), c.world.member, {}),
    "assign": lambda c: (
        _accepted(c),
        c.cast.office,
        {"mode": "sole", "units": [{"unit": c.world.unit.pk}]},
    ),
    "mark_key": lambda c: (_accepted(c), c.world.leader, {}),
    "set_supervisor": lambda c: (_key(c), c.world.leader, {"supervisor": c.world.leader.pk}),
    "close": lambda c: (_handling(c), c.cast.office, {}),
    "approve_publication": lambda c: (_handling(c, publish_consent=True), c.cast.office, {}),
    "withdraw_publication": lambda c: (
        _handling(c, publish_consent=True, publish_approved=True),
        c.cast.office,
        {},
    ),
}

# --- proposals.assignment ----------------------------------------------------------------


def _reassign_requested(ctx: Ctx) -> Assignment:
    a = ctx.cast.sole()
    transition(a, "request_reassignment", actor=ctx.world.unit_user, reason="不属于本单位职责")
    return a


def _co_handling(ctx: Ctx) -> Assignment:
    _lead, co = ctx.cast.lead_co()
    transition(co, "sign_for", actor=ctx.cast.transport_user)
    return co


def _drafted(ctx: Ctx) -> Assignment:
    lead, co = ctx.cast.lead_co()
    unit, transport = ctx.world.unit_user, ctx.cast.transport_user
    transition(co, "sign_for", actor=transport)
    transition(co, "send_opinion", actor=transport, text="会办意见")
    transition(lead, "sign_for", actor=unit)
    transition(lead, "record_contact", actor=unit, date=TODAY, way="visit", person="省委员甲")
    transition(lead, "draft_reply", actor=unit, result_class="A", text="答复")
    lead.refresh_from_db()
    assert lead.status == Assignment.Status.DRAFTED, lead.status
    return lead


def _extension_requested(ctx: Ctx) -> Assignment:
    a = ctx.cast.handling()
    until = a.due_on + dt.timedelta(days=20)
    transition(a, "request_extension", actor=ctx.world.unit_user, until=until, reason="调研")
    return a


def _rating_overdue(ctx: Ctx) -> Assignment:
    a = ctx.cast.rating()
    return shift(a, rating_due_on=-1)


ASSIGNMENT: dict[str, Driver] = {
    "sign_for": lambda c: (c.cast.sole(), c.world.unit_user, {}),
    "request_reassignment": lambda c: (c.cast.sole(), c.world.unit_user, {"reason": "职责不符"}),
    "decide_reassignment": lambda c: (
        _reassign_requested(c),
        c.cast.office,
        {"decision": "reject", "note": "维持交办"},
    ),
    "record_contact": lambda c: (
        c.cast.handling(),
        c.world.unit_user,
        {"date": TODAY, "way": "phone", "person": "省委员甲"},
    ),
    "send_opinion": lambda c: (_co_handling(c), c.cast.transport_user, {"text": "会办意见"}),
    "draft_reply": lambda c: (
        c.cast.handling(),
        c.world.unit_user,
        {"result_class": "A", "text": "答复正文"},
    ),
    "countersign": lambda c: (_drafted(c), c.cast.transport_user, {}),
    "approve_reply": lambda c: (c.cast.in_audit(), c.cast.office, {}),
    "return_reply": lambda c: (c.cast.in_audit(), c.cast.office, {"comment": "请补充"}),
    "request_extension": lambda c: (
        (a := c.cast.handling()),
        c.world.unit_user,
        {"until": a.due_on + dt.timedelta(days=20), "reason": "需要调研"},
    ),
    "decide_extension": lambda c: (_extension_requested(c), c.cast.office, {"decision": "approve"}),
    "rate": lambda c: (
        c.cast.rating(),
        c.world.member,
        {"rating": "satisfied", "contacted_before_reply": True},
    ),
    "close_rating": lambda c: (_rating_overdue(c), None, {}),
    "finish": lambda c: (c.cast.lead_co()[1], c.cast.office, {}),
}

# --- proposals.excellent_nomination ----------------------------------------------------


def _nominated(ctx: Ctx) -> Any:
    from shangliang.proposals.services.excellent import excellent_nominate

    return excellent_nominate(
        actor=ctx.cast.office, proposal=ctx.cast.proposal(), reason="成效显著"
    )


def _recommended(ctx: Ctx) -> Any:
    n = _nominated(ctx)
    return transition(n, "review", actor=ctx.cast.office, decision="approve")


def _confirmed(ctx: Ctx) -> Any:
    return transition(_recommended(ctx), "confirm", actor=ctx.world.leader)


EXCELLENT: dict[str, Driver] = {
    "review": lambda c: (_nominated(c), c.cast.office, {"decision": "approve", "note": "推荐"}),
    "confirm": lambda c: (_recommended(c), c.world.leader, {"note": "同意"}),
    "decline": lambda c: (_recommended(c), c.world.leader, {"reason": "成效不足"}),
    "publish": lambda c: (_confirmed(c), c.cast.office, {}),
    "withdraw": lambda c: (_nominated(c), c.cast.office, {"note": "撤回"}),
    "revoke": lambda c: (_confirmed(c), c.world.leader, {"reason": "核实有误"}),
}

# --- meetings.leave ------------------------------------------------------------------------


def _leave(ctx: Ctx) -> Any:
    from shangliang.duty.tests.cast import plenary
    from shangliang.meetings.services import leave_request

    meeting = plenary(ctx.world, ctx.world.general_office, days_ago=-2)
    return leave_request(actor=ctx.world.member, meeting=meeting, reason="出差")


LEAVE: dict[str, Driver] = {
    "approve": lambda c: (_leave(c), c.world.general_office, {"note": "准假"}),
    "reject": lambda c: (_leave(c), c.world.general_office, {"note": "会议重要"}),
    "withdraw": lambda c: (_leave(c), c.world.member, {}),
}

# --- opinions.opinion and opinions.forwarding ---------------------------------------------


def _o_draft(ctx: Ctx) -> Any:
    from shangliang.opinions.services import opinion_save_draft
    from shangliang.opinions.tests.cast import TEXT

    ctx.ocast  # noqa: B018  (the information office and informant exist)
    return opinion_save_draft(actor=ctx.world.member, org=ctx.world.province, **TEXT)


def _o_submitted(ctx: Ctx) -> Any:
    return ctx.ocast.report()


def _o_editing(ctx: Ctx) -> Any:
    return transition(_o_submitted(ctx), "start_editing", actor=ctx.ocast.office)


def _o_returned(ctx: Ctx) -> Any:
    o = _o_submitted(ctx)
    return transition(o, "return_to_reporter", actor=ctx.ocast.office, questions="请补充数据")


def _o_signed(ctx: Ctx) -> Any:
    return ctx.ocast.signed(_o_submitted(ctx))


def _o_published(ctx: Ctx) -> Any:
    return transition(_o_signed(ctx), "publish", actor=ctx.ocast.office, series="sqmy")


def _o_city_signed(ctx: Ctx) -> Any:
    oc = ctx.ocast
    return oc.signed(oc.report(oc.city_member.user, ctx.world.city), oc.city_office)


def _o_two(ctx: Ctx) -> Step:
    into = _o_submitted(ctx)
    return _o_submitted(ctx), ctx.ocast.office, {"into": into.pk}


def _forwarded(ctx: Ctx) -> Any:
    from shangliang.opinions.models import Forwarding

    o = transition(_o_signed(ctx), "forward", actor=ctx.ocast.office, units=[ctx.world.unit.pk])
    return Forwarding.objects.get(opinion=o)


OPINION: dict[str, Driver] = {
    "submit": lambda c: (_o_draft(c), c.world.member, {}),
    "withdraw": lambda c: (_o_submitted(c), c.world.member, {"reason": "情况已解决"}),
    "start_editing": lambda c: (_o_submitted(c), c.ocast.office, {}),
    "return_to_reporter": lambda c: (_o_submitted(c), c.ocast.office, {"questions": "请补充"}),
    "resubmit": lambda c: (_o_returned(c), c.world.member, {}),
    "edit": lambda c: (_o_editing(c), c.ocast.office, {"title": "编辑后的标题", "text": "正文"}),
    "check": lambda c: (
        _o_editing(c),
        c.ocast.office,
        {"gate": "political", "passed": True},
    ),
    "sign_off": lambda c: (_o_all_gates(c), c.ocast.office, {}),
    "keep_on_file": lambda c: (_o_submitted(c), c.ocast.office, {"reason": "留作参考"}),
    "combine": _o_two,
    "publish": lambda c: (_o_signed(c), c.ocast.office, {"series": "sqmy"}),
    "unpublish": lambda c: (_o_published(c), c.ocast.office, {"reason": "本期编错"}),
    "report_upward": lambda c: (_o_city_signed(c), c.ocast.city_office, {}),
    "record_adoption": lambda c: (
        _o_signed(c),
        c.ocast.office,
        {"level": "province", "kind": "single"},
    ),
    "record_instruction": lambda c: (
        _o_signed(c),
        c.ocast.office,
        {"leader_level": "province", "leader": "省政协主席", "text": "请研究", "date": TODAY},
    ),
    "forward": lambda c: (_o_signed(c), c.ocast.office, {"units": [c.world.unit.pk]}),
}


def _o_all_gates(ctx: Ctx) -> Any:
    o = _o_editing(ctx)
    for gate in ("political", "facts", "topic", "content", "wording"):
        o = transition(o, "check", actor=ctx.ocast.office, gate=gate, passed=True)
    return o


FORWARDING: dict[str, Driver] = {
    "reply": lambda c: (_forwarded(c), c.world.unit_user, {"text": "已研究，将纳入计划。"}),
}

DRIVERS: dict[str, dict[str, Driver]] = {
    "accounts.membership": MEMBERSHIP,
    "proposals.proposal": PROPOSAL,
    "proposals.assignment": ASSIGNMENT,
    "proposals.excellent_nomination": EXCELLENT,
    "meetings.leave": LEAVE,
    "opinions.opinion": OPINION,
    "opinions.forwarding": FORWARDING,
}


def every_action() -> list[tuple[str, str]]:
    return sorted((wf.name, a.name) for wf in REGISTRY.values() for a in wf.actions)


@pytest.mark.parametrize(("workflow", "action"), every_action(), ids="{0[0]}.{0[1]}".format)
def test_it_audits_every_workflow_action_once(world: World, workflow: str, action: str) -> None:
    driver = DRIVERS.get(workflow, {}).get(action)
    if driver is None:
        pytest.fail(
            f"No audit-completeness driver for {workflow}.{action}: add one to DRIVERS in "
            "shangliang/core/tests/test_audit_completeness.py (an object in a source state, "
            "an allowed actor and valid fields)."
        )
    obj, actor, fields = driver(Ctx(world))
    name = f"{workflow}.{action}"
    wf = REGISTRY[type(obj)]
    before_state = wf.state_of(obj)
    seen = set(AuditEvent.objects.filter(action=name).values_list("pk", flat=True))
    started = timezone.now()

    obj = transition(obj, action, actor=actor, **fields)

    new = list(AuditEvent.objects.filter(action=name).exclude(pk__in=seen))
    assert len(new) == 1, f"{name} left {len(new)} audit events, expected exactly one"
    event = new[0]
    assert event.actor_id == (actor.pk if actor is not None else None)
    if actor is not None:
        assert event.actor_label, "the actor's name is kept with the event"
    assert event.data["from"] == before_state
    assert event.data["to"] == wf.state_of(obj)
    assert event.target_id == str(obj.pk) and event.target_type
    assert event.created_at >= started - dt.timedelta(seconds=1)


# --- the trail cannot be changed --------------------------------------------------------


def test_it_refuses_to_change_or_delete_an_audit_event(world: World) -> None:
    event = AuditEvent.objects.create(action="test.immutable", data={"a": 1})
    event.action = "test.changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.action == "test.immutable"


def test_the_admin_offers_no_add_change_or_delete(world: World) -> None:
    from django.contrib.auth import get_user_model

    model_admin = admin.site._registry[AuditEvent]
    superuser = get_user_model().objects.create_superuser(
        username="root", password="Test#Pass2026", name="运维"
    )
    request = RequestFactory().get("/admin/core/auditevent/")
    request.user = superuser
    event = AuditEvent.objects.create(action="test.admin")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert not model_admin.get_actions(request), "no bulk action (delete) on the trail"


def test_the_admin_pages_refuse_writes(world: World, client: Any) -> None:
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser(
        username="root", password="Test#Pass2026", name="运维"
    )
    client.force_login(superuser)
    event = AuditEvent.objects.create(action="test.admin", target_label="原样")
    base = "/admin/core/auditevent/"
    assert client.get(base).status_code == 200  # readable
    assert client.get(f"{base}add/").status_code == 403
    r = client.post(f"{base}{event.pk}/change/", {"action": "test.changed"})
    assert r.status_code in (302, 403)  # read-only view: the POST changes nothing
    r = client.post(f"{base}{event.pk}/delete/", {"post": "yes"})
    assert r.status_code == 403
    r = client.post(base, {"action": "delete_selected", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.action == "test.admin" and AuditEvent.objects.filter(pk=event.pk).exists()


def test_no_api_operation_writes_the_audit_trail() -> None:
    """The API may read history (``history`` in details) but has no write on audit."""
    for path, ops in openapi()["paths"].items():
        if "audit" in path.lower() or "history" in path.lower():
            assert set(ops) <= {"get"}, f"{path} offers {sorted(ops)}"
    # and no web page writes it either: the audit page answers GET only
