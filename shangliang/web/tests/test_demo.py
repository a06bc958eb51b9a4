from __future__ import annotations

import pytest
from django.core.management import call_command

from shangliang.accounts.models import Membership, Role, User
from shangliang.orgs.models import Organization
from shangliang.web.demo import DEMO_ACCOUNTS, PASSWORD, DemoRefused, seed_demo


@pytest.fixture
def demo(db, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):  # the events' tasks run
        return seed_demo()


def test_it_creates_every_account_of_the_design(demo):
    assert demo == DEMO_ACCOUNTS
    for username in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.check_password(PASSWORD), username


def test_it_builds_a_province_a_city_and_a_county(demo):
    levels = sorted(Organization.objects.values_list("level", flat=True))
    assert levels == [1, 2, 3]
    county = Organization.objects.get(level=3)
    assert county.path.startswith(Organization.objects.get(level=2).path)
    assert Membership.objects.get(user__username="member1").position == "standing"
    assert Membership.objects.get(user__username="city_member1").org.level == 2
    assert Role.objects.filter(user__username="chair", kind="leader").exists()
    assert User.objects.get(username="unit_edu").unit_links.get().unit.name == "省教育厅"


def test_demo_accounts_log_in_on_the_page_and_through_the_api(demo, client):
    r = client.post("/accounts/login/", {"username": "member1", "password": PASSWORD})
    assert r.status_code == 302
    assert "陈立新" in client.get("/").content.decode()
    r = client.post(
        "/api/v1/auth/token",
        {"username": "13900000002", "password": PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 200
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {r.json()['token']}").json()
    assert me["username"] == "member2"


def test_it_refuses_a_database_with_data(demo, settings):
    with pytest.raises(DemoRefused):
        seed_demo()


def test_it_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(DemoRefused):
        seed_demo()
    assert not Organization.objects.exists()


def test_the_command_prints_the_accounts_even_when_not_seeding(demo, capsys):
    call_command("seed_demo", "--if-empty")
    out = capsys.readouterr().out
    assert "not seeded again" in out and "member1" in out and PASSWORD in out


def test_the_chair_finds_an_exit_waiting(demo, client):
    client.force_login(User.objects.get(username="chair"))
    html = client.get("/").content.decode()
    assert "委员退出待审批" in html
    assert Membership.objects.filter(status="suspended").count() == 1


def test_it_has_proposals_in_every_stage(demo):
    from shangliang.proposals.models import Proposal

    states = set(Proposal.objects.values_list("status", flat=True))
    assert {"closed", "handling", "accepted", "in_review", "returned", "draft"} <= states
    closed = Proposal.objects.get(status="closed")
    assert closed.number and closed.assignments.get().ratings.count() == 1
