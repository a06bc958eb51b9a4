"""Accepted and assigned proposals for the handling tests, built through the engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from shangliang.accounts.models import Membership, Role, UnitUser, User
from shangliang.core.workflow import transition
from shangliang.orgs.models import Unit
from shangliang.proposals.models import Assignment, Cosigner, Proposal
from shangliang.testing import UserFactory, World, make_member, make_role


@dataclass
class Cast:
    world: World
    office: User
    transport: Unit
    transport_user: User
    second: Membership

    def proposal(
        self, title: str = "关于推进县域义务教育优质均衡发展的建议", **kw: Any
    ) -> Proposal:
        """An accepted (numbered) proposal of the province's member, with a cosigner."""
        w = self.world
        p = Proposal.objects.create(
            org=w.province,
            session=w.terms[w.province.pk].sessions.get(),
            kind=Proposal.Kind.JOINT,
            author=w.member_m,
            title=title,
            situation="情况",
            suggestions="建议",
            category="社会",
            **kw,
        )
        Cosigner.objects.create(
            proposal=p, membership=self.second, status=Cosigner.Status.CONFIRMED
        )
        transition(p, "submit", actor=w.member)
        for _stage in range(3):
            transition(p, "review", actor=self.office, outcome="accept")
        return p

    def sole(self, unit: Unit | None = None, **kw: Any) -> Assignment:
        """A proposal assigned to one unit (the education department by default), to sign."""
        p = self.proposal(**kw)
        unit = unit or self.world.unit
        transition(p, "assign", actor=self.office, mode="sole", units=[{"unit": unit.pk}])
        return Assignment.objects.get(proposal=p)

    def lead_co(self) -> tuple[Assignment, Assignment]:
        p = self.proposal()
        transition(
            p,
            "assign",
            actor=self.office,
            mode="lead_co",
            units=[
                {"unit": self.world.unit.pk, "role": "lead"},
                {"unit": self.transport.pk, "role": "co"},
            ],
        )
        return (
            Assignment.objects.get(proposal=p, role="lead"),
            Assignment.objects.get(proposal=p, role="co"),
        )

    def handling(self, **kw: Any) -> Assignment:
        a = self.sole(**kw)
        transition(a, "sign_for", actor=self.world.unit_user)
        transition(
            a,
            "record_contact",
            actor=self.world.unit_user,
            date=timezone.localdate(),
            way="visit",
            person="省委员甲",
        )
        return a

    def in_audit(self, **kw: Any) -> Assignment:
        a = self.handling(**kw)
        transition(a, "draft_reply", actor=self.world.unit_user, result_class="A", text="答复正文")
        return a

    def rating(self, **kw: Any) -> Assignment:
        a = self.in_audit(**kw)
        transition(a, "approve_reply", actor=self.office)
        return a


def shift(a: Assignment, **days: int) -> Assignment:
    """Move the assignment's dates: shift(a, due_on=-3) puts the reply deadline 3 days ago."""
    today = timezone.localdate()
    Assignment.objects.filter(pk=a.pk).update(
        **{field: today + dt.timedelta(days=n) for field, n in days.items()}
    )
    a.refresh_from_db()
    return a


def make_cast(world: World) -> Cast:
    office = make_role(
        world.province, Role.Kind.PROPOSAL_OFFICE, username="p_office", name="提案处"
    )
    transport = Unit.objects.create(org=world.province, name="测试省交通运输厅")
    transport_user = UserFactory(username="transport", name="交通厅联络员")
    UnitUser.objects.create(user=transport_user, unit=transport)
    second = make_member(
        world.province, world.terms[world.province.pk], username="m2", name="第二委员"
    )
    return Cast(
        world=world,
        office=office,
        transport=transport,
        transport_user=transport_user,
        second=second,
    )


@pytest.fixture(name="cast")
def cast_fixture(world: World) -> Cast:
    return make_cast(world)
