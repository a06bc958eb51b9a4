"""Who may configure which committee: the administrator's pages follow ``orgs.configure``."""

from __future__ import annotations

import pytest

from shangliang.accounts.models import Role
from shangliang.orgs.models import Organization, Sector
from shangliang.testing import make_role


def manage(org: Organization, rest: str = "") -> str:
    return f"/orgs/{org.pk}/manage/{rest}"


PAGES = [
    "",
    "edit/",
    "terms/",
    "terms/new/",
    "children/new/",
    "sectors/",
    "sectors/new/",
    "committees/",
    "groups/new/",
    "units/",
    "workstations/new/",
    "units/export/",
]


@pytest.mark.parametrize("rest", PAGES)
def test_it_lets_the_province_admin_configure_county_a(world, client, rest):
    client.force_login(world.admin)
    r = client.get(manage(world.county_a, rest))
    assert r.status_code in (200, 302), rest  # a county has no child level: redirect


@pytest.mark.parametrize("rest", PAGES)
def test_it_refuses_county_a_general_office(world, client, rest):
    client.force_login(world.county_a_office)
    assert client.get(manage(world.county_a, rest)).status_code == 403


def test_a_county_admin_configures_only_their_own_county(world, client):
    client.force_login(make_role(world.county_a, Role.Kind.ADMIN))
    assert client.get(manage(world.county_a)).status_code == 200
    for org in (world.county_b, world.city, world.province):
        assert client.get(manage(org)).status_code == 403
        assert client.get(manage(org, "sectors/")).status_code == 403
    r = client.post(manage(world.county_b, "sectors/new/"), {"name": "新界别", "order": 0})
    assert r.status_code == 403
    assert not Sector.objects.filter(name="新界别").exists()


@pytest.mark.parametrize("who", ["member", "leader", "unit_user", "public", "county_a_member"])
def test_people_without_the_admin_role_get_403(world, client, who):
    client.force_login(getattr(world, who))
    assert client.get(manage(world.county_a)).status_code == 403


def test_anonymous_is_sent_to_login(world, client):
    r = client.get(manage(world.county_a))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_another_committees_objects_in_the_url_are_404(world, client):
    client.force_login(make_role(world.county_a, Role.Kind.ADMIN))
    b_sector = Sector.objects.get(org=world.county_b, name="教育界")
    b_term = world.terms[world.county_b.pk]
    b_session = b_term.sessions.get()
    a = world.county_a
    assert client.get(manage(a, f"sectors/{b_sector.pk}/edit/")).status_code == 404
    assert client.post(manage(a, f"sectors/{b_sector.pk}/deactivate/")).status_code == 404
    assert client.get(manage(a, f"terms/{b_term.pk}/edit/")).status_code == 404
    assert client.post(manage(a, f"terms/{b_term.pk}/current/")).status_code == 404
    assert client.get(manage(a, f"terms/{b_term.pk}/sessions/new/")).status_code == 404
    assert client.get(manage(a, f"sessions/{b_session.pk}/edit/")).status_code == 404
    assert client.get(manage(a, f"units/{world.unit.pk}/")).status_code == 404
    assert client.get(manage(a, "nonsense/")).status_code == 404
    assert client.get("/orgs/999999/manage/").status_code == 404
    b_sector.refresh_from_db()
    assert b_sector.is_active


def test_the_org_page_and_the_menu_offer_management_to_administrators(world, client):
    client.force_login(world.admin)
    html = client.get(f"/orgs/{world.county_a.pk}/").content.decode()
    assert manage(world.county_a) in html
    assert manage(world.province) in html  # the menu: the highest committee administered
    assert "/calendar/" in html
    client.force_login(world.county_a_office)
    html = client.get(f"/orgs/{world.county_a.pk}/").content.decode()
    assert "/manage/" not in html and "/calendar/" not in html
