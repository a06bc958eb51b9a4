"""Terms (届), sessions (次会议), the committee itself and its children, through the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shangliang.core.models import AuditEvent
from shangliang.orgs.models import Organization, Session, Term


def manage(org: Organization, rest: str = "") -> str:
    return f"/orgs/{org.pk}/manage/{rest}"


def test_it_creates_a_term_and_makes_it_current(world, client):
    client.force_login(world.admin)
    old = world.terms[world.county_a.pk]
    r = client.post(
        manage(world.county_a, "terms/new/"),
        {"number": 2, "name": "第二届", "starts_on": "2028-01-01", "current": "on"},
    )
    assert r.status_code == 302
    new = Term.objects.get(org=world.county_a, number=2)
    old.refresh_from_db()
    assert new.is_current and not old.is_current
    html = client.get(manage(world.county_a, "terms/")).content.decode()
    assert "第二届" in html and "设为本届" in html


def test_it_sets_the_current_term(world, client):
    client.force_login(world.admin)
    old = world.terms[world.county_a.pk]
    new = Term.objects.create(
        org=world.county_a, number=2, name="第2届", starts_on=dt.date(2028, 1, 1)
    )
    r = client.post(manage(world.county_a, f"terms/{new.pk}/current/"))
    assert r.status_code == 302
    assert list(Term.objects.filter(org=world.county_a, is_current=True)) == [new]
    assert client.get(manage(world.county_a, f"terms/{old.pk}/current/")).status_code == 405


def test_a_duplicate_term_number_is_a_field_error(world, client):
    client.force_login(world.admin)
    r = client.post(
        manage(world.county_a, "terms/new/"),
        {"number": 1, "name": "重复", "starts_on": "2028-01-01", "current": "on"},
    )
    assert r.status_code == 422
    assert "本组织已有第1届" in r.content.decode()
    assert Term.objects.filter(org=world.county_a).count() == 1
    assert Term.objects.get(org=world.county_a).is_current


def session_post(**kw: Any) -> dict[str, Any]:
    data = {
        "number": 2,
        "name": "甲县二次会议",
        "opens_on": "2028-01-10",
        "closes_on": "2028-01-14",
        "proposal_deadline": "2028-01-12T18:00",
    }
    data.update(kw)
    return data


def test_it_creates_and_edits_a_session(world, client):
    client.force_login(world.admin)
    term = world.terms[world.county_a.pk]
    r = client.post(manage(world.county_a, f"terms/{term.pk}/sessions/new/"), session_post())
    assert r.status_code == 302
    s = Session.objects.get(term=term, number=2)
    assert s.proposal_deadline == dt.datetime(2028, 1, 12, 10, 0, tzinfo=dt.UTC)  # 18:00 +08
    page = client.get(manage(world.county_a, f"sessions/{s.pk}/edit/")).content.decode()
    assert 'value="2028-01-12T18:00"' in page  # shown in local time
    r = client.post(
        manage(world.county_a, f"sessions/{s.pk}/edit/"), session_post(name="甲县二届二次会议")
    )
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.name == "甲县二届二次会议"
    event = AuditEvent.objects.filter(action="orgs.session_updated").latest("id")
    assert event.data["after"] == {"name": "甲县二届二次会议"}


def test_reversed_dates_and_a_wild_deadline_are_explained(world, client):
    client.force_login(world.admin)
    term = world.terms[world.county_a.pk]
    url = manage(world.county_a, f"terms/{term.pk}/sessions/new/")
    r = client.post(url, session_post(opens_on="2028-01-14", closes_on="2028-01-10"))
    assert r.status_code == 422
    assert "闭幕日期不能早于开幕日期" in r.content.decode()
    r = client.post(url, session_post(proposal_deadline="2029-01-12T18:00"))
    assert r.status_code == 422
    assert "大会提案截止时间应在开幕前180天至闭幕当天之间" in r.content.decode()
    assert not Session.objects.filter(term=term, number=2).exists()


def test_it_adds_a_county_under_the_city(world, client):
    client.force_login(world.admin)
    r = client.post(
        manage(world.city, "children/new/"),
        {"name": "政协丙县委员会", "level": Organization.Level.COUNTY, "short_name": "丙县政协"},
    )
    assert r.status_code == 302
    county = Organization.objects.get(name="政协丙县委员会")
    assert county.parent == world.city and county.path.startswith(world.city.path)
    r = client.post(
        manage(world.city, "children/new/"),
        {"name": "政协丙县委员会", "level": Organization.Level.COUNTY},
    )
    assert r.status_code == 422
    assert "同一上级下已有名为" in r.content.decode()
    r = client.post(
        manage(world.city, "children/new/"),
        {"name": "政协某市委员会", "level": Organization.Level.PROVINCE},
    )
    assert r.status_code == 422  # not a level below a city
    assert Organization.objects.filter(parent=world.city).count() == 3


def test_it_edits_the_committee(world, client):
    client.force_login(world.admin)
    r = client.post(
        manage(world.county_a, "edit/"),
        {"name": world.county_a.name, "short_name": "甲县政协", "region_code": "990121"},
    )
    assert r.status_code == 302
    world.county_a.refresh_from_db()
    assert (world.county_a.short_name, world.county_a.region_code) == ("甲县政协", "990121")
    r = client.post(manage(world.county_a, "edit/"), {"name": world.county_b.name})
    assert r.status_code == 422
    assert "同一上级下已有" in r.content.decode()
