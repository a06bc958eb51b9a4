"""The cast of the opinion tests: the province's information office and informant (from
``opinion_personas``), a second province member, a city member with the city's information
office, and a report helper that goes through the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from shangliang.accounts.models import Membership, Role, User
from shangliang.opinions.models import Opinion
from shangliang.opinions.services import opinion_act, opinion_save_draft
from shangliang.orgs.models import Organization
from shangliang.testing import World, make_member, make_role, opinion_personas

TEXT: dict[str, Any] = {
    "title": "关于解决城区中小学放学后托管难的建议",
    "situation": "城区双职工家庭普遍反映，小学放学时间早于下班时间，孩子无人接送、无人看管。",
    "analysis": "学校课后服务覆盖面不足，社区托管机构收费高、资质参差不齐。",
    "suggestions": "扩大学校课后延时服务覆盖面；支持社区举办普惠托管；加强对托管机构的监管。",
}


@dataclass
class Cast:
    world: World
    office: User
    informant: User
    second: Membership
    city_member: Membership
    city_office: User

    def report(
        self, user: User | None = None, org: Organization | None = None, **fields: Any
    ) -> Opinion:
        """A submitted report (by ``member`` at the province unless told otherwise)."""
        user = user or self.world.member
        o = opinion_save_draft(actor=user, org=org or self.world.province, **{**TEXT, **fields})
        return opinion_act(actor=user, opinion=o, action="submit")

    def signed(self, o: Opinion, office: User | None = None) -> Opinion:
        """Edit, pass every gate and sign off."""
        office = office or self.office
        o = opinion_act(actor=office, opinion=o, action="start_editing")
        for gate in ("political", "facts", "topic", "content", "wording"):
            o = opinion_act(actor=office, opinion=o, action="check", gate=gate, passed=True)
        return opinion_act(actor=office, opinion=o, action="sign_off")


@pytest.fixture
def cast(world: World) -> Cast:
    return build_cast(world)


def build_cast(world: World) -> Cast:
    opinion_personas(world)
    assert world.info_office is not None and world.informant is not None
    second = make_member(
        world.province, world.terms[world.province.pk], username="m2", name="第二委员"
    )
    city_member = make_member(
        world.city, world.terms[world.city.pk], username="city_member", name="市委员乙"
    )
    city_office = make_role(
        world.city, Role.Kind.INFO_OFFICE, username="city_info", name="市信息科"
    )
    return Cast(world, world.info_office, world.informant, second, city_member, city_office)
