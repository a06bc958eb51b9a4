"""The cast of the proposals API tests, built as proposals/tests/test_lifecycle.py builds
it: the province's proposal office, a second member, and a second handling unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from shangliang.accounts.models import Membership, Role, UnitUser, User
from shangliang.api.tests.schema import ApiClient
from shangliang.orgs.models import Unit
from shangliang.proposals.models import Cosigner, Proposal
from shangliang.testing import UserFactory, World, make_member, make_role

TITLE = "关于推进县域义务教育优质均衡发展的建议"
DRAFT = {
    "kind": "joint",
    "title": TITLE,
    "situation": "县域内城乡学校办学条件差距仍然较大，乡村教师流失严重。",
    "analysis": "教师编制和待遇是主要原因。",
    "suggestions": "建立县域教师统筹调配机制，推行校长教师交流轮岗。",
    "category": "社会",
}


@dataclass
class Cast:
    world: World
    office: User
    second: Membership
    edu: Unit
    transport: Unit
    transport_user: User

    def api(self, user: User) -> ApiClient:
        return ApiClient(user)


@pytest.fixture
def cast(world: World) -> Cast:
    office = make_role(world.province, Role.Kind.PROPOSAL_OFFICE, username="p_office")
    term = world.terms[world.province.pk]
    second = make_member(world.province, term, username="m2", name="第二委员")
    transport = Unit.objects.create(org=world.province, name="测试省交通运输厅")
    transport_user = UserFactory(username="transport", name="交通厅联络员")
    UnitUser.objects.create(user=transport_user, unit=transport)
    return Cast(world, office, second, world.unit, transport, transport_user)


def make_proposal(cast: Cast, *, status: str = Proposal.Status.IN_REVIEW, **kw: Any) -> Proposal:
    """A proposal written straight into the database (the API tests of reads use it)."""
    world = cast.world
    fields: dict[str, Any] = {
        "org": world.province,
        "session": world.terms[world.province.pk].sessions.get(),
        "kind": Proposal.Kind.JOINT,
        "author": world.member_m,
        "title": TITLE,
        "situation": "情况",
        "suggestions": "建议",
        "category": "社会",
        "status": status,
    }
    fields.update(kw)
    p = Proposal.objects.create(**fields)
    if p.kind == Proposal.Kind.JOINT:
        Cosigner.objects.create(
            proposal=p, membership=cast.second, status=Cosigner.Status.CONFIRMED
        )
    return p


def act(client: ApiClient, path: str, action: str, body: Any = None, status: int = 200) -> Any:
    r = client.post(f"{path}/actions/{action}", body)
    assert r.status_code == status, r.json()
    return r.json()
