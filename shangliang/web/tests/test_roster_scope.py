"""The issue's "done when": a member of one county committee cannot read another's roster."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shangliang.orgs.models import Organization
from shangliang.testing import make_member


def roster(client: Client, org: Organization) -> Any:
    return client.get(f"/roster/orgs/{org.pk}/")


def test_a_county_member_cannot_read_another_countys_roster(world, client):
    client.force_login(world.county_a_member)
    assert roster(client, world.county_a).status_code == 200
    r = roster(client, world.county_b)
    assert r.status_code == 404
    assert world.county_b_member.name not in r.content.decode()
    assert client.get(f"/roster/members/{world.county_b_member_m.pk}/").status_code == 404


def test_a_county_member_cannot_read_upwards_either(world, client):
    client.force_login(world.county_a_member)
    assert roster(client, world.city).status_code == 404
    assert roster(client, world.province).status_code == 404


def test_upper_staff_read_down_and_see_phones(world, client):
    client.force_login(world.general_office)
    html = roster(client, world.county_b).content.decode()
    assert world.county_b_member.name in html
    assert str(world.county_b_member.phone) in html


def test_members_see_colleagues_but_not_their_phones(world, client):
    other = make_member(world.county_a, world.terms[world.county_a.pk], name="甲县委员二")
    client.force_login(world.county_a_member)
    html = roster(client, world.county_a).content.decode()
    assert "甲县委员二" in html
    assert other.user.phone not in html
    detail = client.get(f"/roster/members/{other.pk}/").content.decode()
    assert other.user.phone not in detail


@pytest.mark.parametrize("who", ["unit_user", "public"])
def test_people_without_a_seat_see_no_roster(world, client, who):
    client.force_login(getattr(world, who))
    assert roster(client, world.county_a).status_code == 404
    assert roster(client, world.province).status_code == 404


def test_anonymous_is_sent_to_login(world, client):
    r = roster(client, world.county_a)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_the_roster_page_costs_the_same_queries_for_more_members(world, client):
    client.force_login(world.general_office)
    term = world.terms[world.county_a.pk]
    for _ in range(3):
        make_member(world.county_a, term)
    roster(client, world.county_a)  # warm caches
    with CaptureQueriesContext(connection) as few:
        roster(client, world.county_a)
    for _ in range(30):
        make_member(world.county_a, term)
    with CaptureQueriesContext(connection) as many:
        r = roster(client, world.county_a)
    assert r.status_code == 200
    assert len(many) == len(few)


def test_workflow_buttons_follow_permissions(world, client):
    url = f"/roster/members/{world.county_a_member_m.pk}/"
    client.force_login(world.county_a_office)
    html = client.get(url).content.decode()
    assert "暂停履职" in html
    client.force_login(world.county_a_member)
    html = client.get(f"/roster/members/{world.county_a_member_m.pk}/").content.decode()
    assert "可执行的操作" not in html


def test_suspend_through_the_page(world, client):
    m = world.county_a_member_m
    client.force_login(world.county_a_office)
    r = client.post(
        f"/roster/members/{m.pk}/actions/suspend/",
        {"suspend-reason": "长期缺席会议", "suspend-date": "2026-12-01"},
        follow=True,
    )
    assert r.status_code == 200
    m.refresh_from_db()
    assert m.status == "suspended"
    assert "已执行" in r.content.decode()


def test_a_bad_action_post_changes_nothing(world, client):
    m = world.county_a_member_m
    client.force_login(world.county_a_office)
    r = client.post(f"/roster/members/{m.pk}/actions/suspend/", {"suspend-reason": ""}, follow=True)
    assert "请检查填写的内容" in r.content.decode()
    m.refresh_from_db()
    assert m.status == "active"
    client.force_login(world.county_b_member)
    r = client.post(
        f"/roster/members/{m.pk}/actions/suspend/",
        {"suspend-reason": "x", "suspend-date": "2026-12-01"},
    )
    assert r.status_code == 404
    assert client.post(f"/roster/members/{m.pk}/actions/nonsense/").status_code == 404


def test_the_member_page_links_to_account_management_for_managers(world, client):
    url = f"/roster/members/{world.county_a_member_m.pk}/"
    client.force_login(world.county_a_office)
    assert f"/accounts/users/{world.county_a_member.pk}/" in client.get(url).content.decode()
    client.force_login(world.county_a_member)
    assert "/accounts/users/" not in client.get(url).content.decode()
