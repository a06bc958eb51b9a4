"""The assignments API: each unit's inbox, the office's view, who reads and acts on which
assignment, and the units list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shangliang.accounts.models import User
from shangliang.api.tests.proposal_cast import Cast, act, cast, make_proposal  # noqa: F401
from shangliang.orgs.models import Unit
from shangliang.proposals.models import Proposal


def assigned(cast: Cast, mode: str = "lead_co") -> tuple[Proposal, dict[int, int]]:  # noqa: F811
    number = Proposal.objects.count() + 1
    p = make_proposal(cast, status=Proposal.Status.ACCEPTED, number=number)
    units = [{"unit": cast.edu.pk, "role": "lead"}, {"unit": cast.transport.pk, "role": "co"}]
    if mode == "sole":
        units = units[:1]
    body = act(cast.api(cast.office), f"proposals/{p.pk}", "assign", {"mode": mode, "units": units})
    return p, {a["unit"]["id"]: a["id"] for a in body["assignments"]}


def user_of(cast: Cast, persona: str) -> User:  # noqa: F811
    return {
        "office": cast.office,
        "second": cast.second.user,
        "transport": cast.transport_user,
    }.get(persona) or getattr(cast.world, persona)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("unit_user", {"edu"}),
        ("transport", {"transport"}),
        ("office", {"edu", "transport"}),
        ("leader", {"edu", "transport"}),
        ("admin", {"edu", "transport"}),
        ("member", set()),  # proposers read them from the proposal, not an inbox
        ("county_a_office", set()),
        ("general_office", set()),
        ("public", set()),
    ],
)
def test_the_list_shows_the_callers_units_and_the_offices_committee(cast, persona, sees):  # noqa: F811
    _p, ids = assigned(cast)
    body = cast.api(user_of(cast, persona)).get("assignments").json()
    names = {"edu": cast.edu.pk, "transport": cast.transport.pk}
    assert {row["unit"]["id"] for row in body["results"]} == {names[n] for n in sees}


def test_the_list_filters_and_runs_a_fixed_number_of_queries(cast):  # noqa: F811
    office = cast.api(cast.office)
    _p, ids = assigned(cast)
    office.get("assignments")
    with CaptureQueriesContext(connection) as few:
        office.get("assignments")
    for _i in range(4):
        assigned(cast)
    with CaptureQueriesContext(connection) as many:
        assert office.get("assignments").json()["count"] == 10
    assert len(many.captured_queries) == len(few.captured_queries)
    r = office.get(f"assignments?unit={cast.edu.pk}&status=to_sign")
    assert r.json()["count"] == 5
    assert office.get("assignments?status=bogus").status_code == 422


@pytest.mark.parametrize(
    ("persona", "lead", "co"),
    [
        ("unit_user", 200, 404),  # a co-handler's assignment is its own
        ("transport", 200, 200),  # a co-handler countersigns the lead's reply
        ("member", 200, 200),
        ("second", 200, 200),
        ("office", 200, 200),
        ("leader", 200, 200),
        ("county_a_office", 404, 404),
        ("county_a_member", 404, 404),
        ("public", 404, 404),
    ],
)
def test_who_reads_an_assignment(cast, persona, lead, co):  # noqa: F811
    _p, ids = assigned(cast)
    client = cast.api(user_of(cast, persona))
    assert client.get(f"assignments/{ids[cast.edu.pk]}").status_code == lead
    assert client.get(f"assignments/{ids[cast.transport.pk]}").status_code == co


def test_a_unit_cannot_act_on_another_units_assignment(cast):  # noqa: F811
    _p, ids = assigned(cast, mode="sole")
    a = f"assignments/{ids[cast.edu.pk]}"
    transport = cast.api(cast.transport_user)
    assert transport.get(a).status_code == 404
    assert transport.post(f"{a}/actions/sign_for").status_code == 404
    assert cast.api(cast.world.member).post(f"{a}/actions/sign_for").status_code == 403
    assert cast.api(cast.world.unit_user).post(f"{a}/actions/fly").status_code == 404
    r = cast.api(cast.world.unit_user).post(f"{a}/actions/sign_for", {"when": "now"})
    assert r.status_code == 422 and "when" in r.json()["fields"]
    body = act(cast.api(cast.world.unit_user), a, "sign_for")
    assert body["state"] == "handling" and body["signed_at"]
    assert cast.api(cast.world.unit_user).post(f"{a}/actions/sign_for").status_code == 409


def test_the_detail_lists_the_units_actions(cast):  # noqa: F811
    _p, ids = assigned(cast)
    body = cast.api(cast.world.unit_user).get(f"assignments/{ids[cast.edu.pk]}").json()
    assert [a["name"] for a in body["available_actions"]] == ["sign_for", "request_reassignment"]
    assert body["proposal"]["number"] == 1 and body["role"] == "lead"
    assert body["history"] == [] and body["ratings"] == [] and body["contacts"] == []


# --- units --------------------------------------------------------------------------------


def test_the_units_of_the_callers_committees(cast):  # noqa: F811
    world = cast.world
    county = Unit.objects.create(org=world.county_a, name="甲县教育局")
    Unit.objects.create(org=world.province, name="已撤销的厅", is_active=False)
    province = {cast.edu.pk, cast.transport.pk}

    def ids(user: User, query: str = "") -> set[int]:
        r = cast.api(user).get(f"units{query}")
        assert r.status_code == 200
        return {u["id"] for u in r.json()["results"]}

    assert ids(cast.office) == province | {county.pk}  # the province and below
    assert ids(cast.office, f"?org={world.province.pk}") == province
    assert ids(cast.office, "?q=交通") == {cast.transport.pk}
    assert ids(world.county_a_member) == {county.pk}
    assert ids(world.county_b_member) == set()
    assert ids(cast.transport_user) == province
    assert ids(world.public) == set()
