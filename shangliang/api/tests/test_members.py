from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shangliang.accounts.models import Membership
from shangliang.api.tests.schema import ApiClient
from shangliang.core.audit import history_for
from shangliang.orgs.models import Committee, Group, Sector, Term
from shangliang.testing import UserFactory

PRIVATE = ("phone", "gender", "ethnicity", "birth_month", "status_reason", "status_changed_on")
# Who reads the roster of which committee ("member" is a provincial member: a seat in a
# committee reaches the committees under it, as a staff role does).
ROSTER_READERS = {
    "province": {"member", "general_office", "leader", "admin"},
    "city": {"member", "general_office", "leader", "admin"},
    "county_a": {
        "member",
        "general_office",
        "leader",
        "admin",
        "county_a_member",
        "county_a_office",
        "county_a_leader",
    },
    "county_b": {"member", "general_office", "leader", "admin", "county_b_member"},
}
PRIVATE_READERS = {"general_office", "leader", "admin", "county_a_office", "county_a_leader"}
PERSONAS = [
    "member",
    "county_a_member",
    "county_b_member",
    "county_a_office",
    "county_a_leader",
    "general_office",
    "leader",
    "admin",
    "unit_user",
    "public",
]


def add_member(org, term=None, **kwargs) -> Membership:
    user = UserFactory(
        name=kwargs.pop("name", "测试委员"),
        workplace=kwargs.pop("workplace", ""),
        gender=kwargs.pop("gender", ""),
        birth_month=kwargs.pop("birth_month", None),
    )
    groups = kwargs.pop("groups", [])
    m = Membership.objects.create(
        user=user, org=org, term=term or Term.objects.get(org=org, is_current=True), **kwargs
    )
    m.groups.set(groups)
    return m


def url(org) -> str:
    return f"orgs/{org.pk}/members"


# --- the list -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("where", ["province", "city", "county_a", "county_b"])
def test_it_shows_a_roster_only_to_those_who_may_read_it(world, persona, where):
    org = getattr(world, where)
    r = ApiClient(getattr(world, persona)).get(url(org))
    if persona in ROSTER_READERS[where]:
        assert r.status_code == 200
        assert r.json()["count"] == Membership.objects.filter(org=org).count()
    else:
        assert r.status_code == 404
        assert r.json() == {"code": "not_found", "detail": "对象不存在或您无权查看。"}


def test_it_needs_a_token_for_the_roster(world):
    r = ApiClient().get(url(world.county_a))
    assert r.status_code == 401
    assert r.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("persona", ["member", "county_a_member", *sorted(PRIVATE_READERS)])
def test_it_shows_private_fields_only_to_staff_and_to_the_member(world, persona):
    m = world.county_a_member_m
    m.user.gender = "F"
    m.user.birth_month = dt.date(1975, 6, 1)
    m.user.save()
    other = add_member(world.county_a, name="甲县委员乙", gender="M")
    rows = {
        row["id"]: row
        for row in ApiClient(getattr(world, persona)).get(url(world.county_a)).json()["results"]
    }
    mine = persona == "county_a_member"
    if persona in PRIVATE_READERS:
        assert rows[m.pk]["phone"] == "13711110001"
        assert rows[m.pk]["gender"] == "F"
        assert rows[m.pk]["birth_month"] == "1975-06"
        assert rows[other.pk]["gender"] == "M"
    else:
        assert all(rows[other.pk][k] is None for k in PRIVATE)
        if mine:
            assert (rows[m.pk]["phone"], rows[m.pk]["gender"]) == ("13711110001", "F")
            assert (rows[m.pk]["birth_month"], rows[m.pk]["status_reason"]) == ("1975-06", "")
        else:
            assert all(rows[m.pk][k] is None for k in PRIVATE)
    assert rows[other.pk]["name"] == "甲县委员乙"  # public fields for everyone who may read


def test_it_filters(world):
    org = world.county_a
    education, economy = Sector.objects.filter(org=org).order_by("order")
    committee = Committee.objects.get(org=org)
    group = Group.objects.get(org=org)
    a = add_member(org, name="王教授", workplace="甲县一中", sector=education, groups=[group])
    b = add_member(org, name="李经理", sector=economy, committee=committee, position="standing")
    c = add_member(org, name="赵委员", sector=economy, status=Membership.Status.SUSPENDED)
    old_term = Term.objects.create(org=org, number=0, name="上一届", starts_on=dt.date(2018, 1, 1))
    d = add_member(org, term=old_term, name="钱老委员")
    client = ApiClient(world.county_a_office)

    def ids(**params: object) -> set[int]:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        r = client.get(f"{url(org)}?{query}")
        assert r.status_code == 200, r.content
        return {row["id"] for row in r.json()["results"]}

    everyone = {world.county_a_member_m.pk, a.pk, b.pk, c.pk}
    assert ids() == everyone
    assert ids(q="教授") == {a.pk}
    assert ids(q="一中") == {a.pk}
    assert ids(q=a.user.username) == {a.pk}
    assert ids(q="  王教授 ") == {a.pk}
    assert ids(sector=economy.pk) == {b.pk, c.pk}
    assert ids(committee=committee.pk) == {b.pk}
    assert ids(group=group.pk) == {a.pk}
    assert ids(position="standing") == {b.pk}
    assert ids(status="suspended") == {c.pk}
    assert ids(sector=economy.pk, status="active") == {b.pk}
    assert ids(term=old_term.pk) == {d.pk}
    assert ids(term=world.terms[world.county_b.pk].pk) == set()


def test_it_rejects_bad_filters(world):
    client = ApiClient(world.county_a_office)
    for query in (
        "sector=abc",
        "term=-1",
        "group=99999999999999999999",
        "position=emperor",
        "status=retired",
        "q=" + "x" * 101,
        "page=0",
        "page_size=201",
        "page_size=0",
        "page=abc",
    ):
        r = client.get(f"{url(world.county_a)}?{query}")
        assert r.status_code == 422, query
        assert r.json()["code"] == "invalid"
        assert r.json()["fields"], query


def test_it_leaks_nothing_through_guessed_filters(world):
    b_sector = Sector.objects.filter(org=world.county_b)[0]
    client = ApiClient(world.county_a_office)
    r = client.get(f"{url(world.county_a)}?sector={b_sector.pk}")
    assert r.json()["count"] == 0
    r = client.get(f"{url(world.county_a)}?term={world.terms[world.county_b.pk].pk}")
    assert r.json()["count"] == 0
    r = client.get(f"{url(world.county_a)}?q=b_member")
    assert r.json()["count"] == 0
    hidden = client.get(f"{url(world.county_b)}?q=b_member")
    missing = client.get("orgs/999999/members?q=b_member")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_it_pages(world):
    for i in range(7):
        add_member(world.county_a, name=f"委员{i:02d}")
    client = ApiClient(world.county_a_office)
    first = client.get(f"{url(world.county_a)}?page_size=3").json()
    assert (first["count"], first["page"], first["page_size"]) == (8, 1, 3)
    pages = [client.get(f"{url(world.county_a)}?page_size=3&page={n}").json() for n in (1, 2, 3)]
    seen = [row["id"] for page in pages for row in page["results"]]
    assert len(seen) == len(set(seen)) == 8
    past = client.get(f"{url(world.county_a)}?page_size=3&page=4").json()
    assert past["results"] == [] and past["count"] == 8
    assert client.get(f"{url(world.county_a)}?page_size=200").json()["page_size"] == 200


def test_it_reads_a_page_in_a_constant_number_of_queries(world, django_assert_max_num_queries):
    org = world.county_a
    committee = Committee.objects.get(org=org)
    group = Group.objects.get(org=org)
    client = ApiClient(world.county_a_office)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{url(org)}?page_size=200").status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first use of a token notes its last use (one UPDATE)
    few = queries()
    for i in range(35):
        add_member(org, name=f"委员{i:02d}", committee=committee, groups=[group])
    with django_assert_max_num_queries(8):
        body = client.get(f"{url(org)}?page_size=200").json()
    assert body["count"] == 36
    assert (
        sum(1 for row in body["results"] if row["groups"] == [{"id": group.pk, "name": group.name}])
        == 35
    )
    assert queries() == few


# --- one member ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_a_member_only_to_those_who_may_read_the_roster(world, persona):
    m = world.county_a_member_m
    r = ApiClient(getattr(world, persona)).get(f"members/{m.pk}")
    if persona in ROSTER_READERS["county_a"]:
        assert r.status_code == 200
        body = r.json()
        assert body["id"] == m.pk
        assert (body["state"], body["state_label"]) == ("active", "在职")
        assert body["org_name"] == world.county_a.name
    else:
        assert r.status_code == 404
        assert r.json() == ApiClient(world.county_a_office).get("members/999999").json()


def test_it_shows_a_member_their_own_record(world):
    m = world.county_b_member_m
    body = ApiClient(world.county_b_member).get(f"members/{m.pk}").json()
    assert body["phone"] == "13711110002"
    assert body["history"] == []
    assert body["available_actions"] == []


@pytest.mark.parametrize(
    ("persona", "actions", "sees_history"),
    [
        ("county_a_office", ["suspend", "propose_exit"], True),
        ("general_office", ["suspend", "propose_exit"], True),
        ("admin", ["suspend", "propose_exit"], True),
        ("leader", [], True),
        ("county_a_leader", [], True),
        ("county_a_member", [], True),  # their own record
        ("member", [], False),
    ],
)
def test_it_lists_the_callers_actions_and_history(world, persona, actions, sees_history):
    m = world.county_a_member_m
    ApiClient(world.county_a_office).post(
        f"members/{m.pk}/actions/suspend", {"reason": "长期缺席", "date": "2026-12-01"}
    )
    ApiClient(world.county_a_office).post(
        f"members/{m.pk}/actions/reinstate", {"date": "2026-12-20"}
    )
    body = ApiClient(getattr(world, persona)).get(f"members/{m.pk}").json()
    assert [a["name"] for a in body["available_actions"]] == actions
    if not sees_history:
        assert body["history"] is None
        assert body["status_reason"] is None
        return
    assert [(e["action"], e["from"], e["to"]) for e in body["history"]] == [
        ("accounts.membership.reinstate", "suspended", "active"),
        ("accounts.membership.suspend", "active", "suspended"),
    ]
    suspend = body["history"][1]
    assert suspend["label"] == "暂停履职"
    assert suspend["actor"] == "甲县办公室"
    assert suspend["fields"] == {"reason": "长期缺席", "date": "2026-12-01"}


def test_it_describes_each_actions_fields(world):
    m = world.county_a_member_m
    body = ApiClient(world.county_a_office).get(f"members/{m.pk}").json()
    exit_action = {a["name"]: a for a in body["available_actions"]}["propose_exit"]
    assert exit_action["label"] == "提请退出"
    kind, reason, date = exit_action["fields"]
    assert (kind["name"], kind["kind"], kind["required"]) == ("kind", "choice", True)
    assert {"value": "resigned", "label": "本人辞去委员职务"} in kind["choices"]
    assert (reason["kind"], reason["required"]) == ("textarea", False)
    assert date["kind"] == "date"


# --- acting -------------------------------------------------------------------------------


def act(client: ApiClient, m: Membership, action: str, body: object = None, **kwargs: object):
    return client.post(f"members/{m.pk}/actions/{action}", body, **kwargs)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_a_office", 200),
        ("general_office", 200),
        ("admin", 200),
        ("leader", 403),
        ("county_a_leader", 403),
        ("county_a_member", 403),
        ("member", 403),
        ("county_b_member", 404),
        ("unit_user", 404),
        ("public", 404),
    ],
)
def test_it_lets_only_managers_suspend(world, persona, status):
    m = world.county_a_member_m
    r = act(
        ApiClient(getattr(world, persona)), m, "suspend", {"reason": "请假", "date": "2026-12-01"}
    )
    assert r.status_code == status
    m.refresh_from_db()
    if status == 200:
        body = r.json()
        assert (body["state"], body["status_reason"]) == ("suspended", "请假")
        assert [a["name"] for a in body["available_actions"]] == ["reinstate", "propose_exit"]
        assert m.status == Membership.Status.SUSPENDED
        assert history_for(m).count() == 1
    else:
        assert r.json()["code"] == {403: "forbidden", 404: "not_found"}[status]
        assert m.status == Membership.Status.ACTIVE
        assert not history_for(m).exists()


def test_it_needs_a_token_to_act(world):
    r = act(ApiClient(), world.county_a_member_m, "suspend", {"reason": "x", "date": "2026-12-01"})
    assert r.status_code == 401


def test_it_hides_county_b_from_county_a(world):
    m = world.county_b_member_m
    for persona in ("county_a_office", "county_a_leader"):
        r = act(
            ApiClient(getattr(world, persona)), m, "suspend", {"reason": "x", "date": "2026-12-01"}
        )
        assert r.status_code == 404
    m.refresh_from_db()
    assert m.status == Membership.Status.ACTIVE


def test_it_runs_the_exit_workflow(world):
    m = world.county_a_member_m
    office = ApiClient(world.county_a_office)
    r = act(
        office,
        m,
        "propose_exit",
        {"kind": "transferred", "reason": "调往外省", "date": "2027-01-01"},
    )
    assert r.status_code == 200
    assert r.json()["state"] == "exit_pending"
    assert r.json()["available_actions"] == []  # the office proposes, a leader decides
    assert act(office, m, "approve_exit", {}).status_code == 403
    leader = ApiClient(world.county_a_leader)
    detail = leader.get(f"members/{m.pk}").json()
    assert [a["name"] for a in detail["available_actions"]] == ["approve_exit", "reject_exit"]
    r = act(leader, m, "approve_exit")  # no body: every field of this action is optional
    assert r.status_code == 200
    assert (r.json()["state"], r.json()["state_label"]) == ("exited", "已退出")
    assert r.json()["status_reason"] == "工作调动：调往外省"
    assert [e["to"] for e in r.json()["history"]] == ["exited", "exit_pending"]


def test_it_answers_409_when_the_member_has_moved_on(world):
    m = world.county_a_member_m
    office = ApiClient(world.county_a_office)
    body = {"reason": "请假", "date": "2026-12-01"}
    assert act(office, m, "suspend", body).status_code == 200
    r = act(ApiClient(world.general_office), m, "suspend", body)
    assert r.status_code == 409
    assert r.json()["code"] == "conflict"
    assert history_for(m).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": "2026-12-01"}, "reason"),
        ({"reason": "", "date": "2026-12-01"}, "reason"),
        ({"reason": "   ", "date": "2026-12-01"}, "reason"),
        ({"reason": "x"}, "date"),
        ({"reason": "x", "date": "tomorrow"}, "date"),
        ({"reason": "x", "date": "2026-02-30"}, "date"),
        ({"reason": "x" * 301, "date": "2026-12-01"}, "reason"),
        ({"reason": "x" * 20_000, "date": "2026-12-01"}, "reason"),
        ({"reason": {"text": "x"}, "date": "2026-12-01"}, "reason"),
        ({"reason": ["x"], "date": "2026-12-01"}, "reason"),
        ({"reason": True, "date": "2026-12-01"}, "reason"),
        ({"reason": 1.5, "date": "2026-12-01"}, "reason"),
        ({"reason": "x", "date": "2026-12-01", "bogus": "y"}, "bogus"),
        ({"reason": "x", "date": "2026-12-01", "actor": "y"}, "actor"),
        ({"reason": "x", "date": "2026-12-01", "k" * 65: "y"}, "k" * 65),
        (None, "reason"),
        ([], "body"),
        ("suspend", "body"),
        (7, "body"),
    ],
)
def test_it_rejects_invalid_fields_with_422(world, body, field):
    m = world.county_a_member_m
    r = act(ApiClient(world.county_a_office), m, "suspend", body)
    assert r.status_code == 422, r.content
    assert r.json()["code"] == "invalid"
    assert field in r.json()["fields"], r.json()
    m.refresh_from_db()
    assert m.status == Membership.Status.ACTIVE
    assert not history_for(m).exists()


def test_it_rejects_a_choice_outside_the_list(world):
    r = act(
        ApiClient(world.county_a_office),
        world.county_a_member_m,
        "propose_exit",
        {"kind": "bored", "date": "2027-01-01"},
    )
    assert r.status_code == 422
    assert "kind" in r.json()["fields"]


def test_it_never_answers_500_to_bad_input(world):
    m = world.county_a_member_m
    client = ApiClient(world.county_a_office)
    for raw in ("{bad json", "reason=x&date=2026-12-01", "\xff\xfe", '{"reason": "x",'):
        r = act(client, m, "suspend", raw=raw)
        assert r.status_code == 400, raw
        assert r.json()["code"] == "bad_request"
    deep = "[" * 100_000 + "]" * 100_000
    assert act(client, m, "suspend", raw=deep).status_code == 400
    huge = '{"reason": "' + "x" * (11 * 1024 * 1024) + '", "date": "2026-12-01"}'
    assert act(client, m, "suspend", raw=huge).status_code in (400, 413, 422)
    assert act(client, m, "no_such_action", {}).status_code == 404
    assert act(client, m, "x" * 65, {}).status_code == 422
    assert client.post("members/abc/actions/suspend", {}).status_code == 422
    assert client.post(f"members/{2**63 - 1}/actions/suspend", {}).status_code == 404
    m.refresh_from_db()
    assert m.status == Membership.Status.ACTIVE
