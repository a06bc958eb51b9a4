"""Builders for the duty tests: proposals moved through the real workflow, with the
events delivered (the ledger subscribes to them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shangliang.accounts.models import Membership, Role, User
from shangliang.core.workflow import transition
from shangliang.meetings.models import Meeting
from shangliang.meetings.services import meeting_create
from shangliang.proposals.models import Proposal
from shangliang.proposals.services.drafting import (
    proposal_act,
    proposal_create_draft,
    proposal_invite_cosigners,
)
from shangliang.testing import World, make_member, make_role

TEXT = {
    "title": "关于推进县域义务教育优质均衡发展的建议",
    "situation": "县域内城乡学校办学条件差距较大。",
    "suggestions": "一是统筹教师编制；二是加大薄弱学校投入。",
    "category": "社会",
}


def office(world: World) -> User:
    return make_role(world.province, Role.Kind.PROPOSAL_OFFICE, username="p_office")


def second(world: World, username: str = "member2", name: str = "省委员乙") -> Membership:
    return make_member(world.province, world.terms[world.province.pk], username=username, name=name)


def submit(
    world: World, capture: Any, *, cosigner: Membership | None = None, **fields: Any
) -> Proposal:
    with capture(execute=True):
        kind = Proposal.Kind.JOINT if cosigner else Proposal.Kind.INDIVIDUAL
        p = proposal_create_draft(
            actor=world.member, membership=world.member_m, **{**TEXT, "kind": kind, **fields}
        )
        if cosigner:
            proposal_invite_cosigners(actor=world.member, proposal=p, memberships=[cosigner.pk])
            transition(p, "cosign", actor=cosigner.user)
        p = proposal_act(actor=world.member, proposal=p, action="submit")
    return p


def accept(p: Proposal, office_user: User, capture: Any) -> Proposal:
    with capture(execute=True):
        for _stage in range(3):
            p = transition(p, "review", actor=office_user, outcome="accept")
    return p


def plenary(world: World, org_staff: User, *, days_ago: int = 1, **kw: Any) -> Meeting:
    start = timezone.now() - dt.timedelta(days=days_ago)
    return meeting_create(
        actor=org_staff,
        org=world.province,
        kind=kw.pop("kind", Meeting.Kind.PLENARY),
        title=kw.pop("title", "省政协全体会议"),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        **kw,
    )


def ledger_of(m: Membership) -> list[tuple[str, int, Any]]:
    """(item, sign, points under the current rules) of the member's rows, sorted."""
    from shangliang.duty.models import LedgerEntry
    from shangliang.duty.selectors import priced

    rows = priced(list(LedgerEntry.objects.filter(membership=m).order_by("id")))
    return sorted((r.item, r.sign, r.points) for r in rows)  # type: ignore[attr-defined]
