"""orgs.services.tree: committees, terms and sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shangliang.core.errors import Invalid
from shangliang.core.models import AuditEvent
from shangliang.orgs import services
from shangliang.orgs.models import Organization, Session, Term

D = dt.date
TZ = dt.timezone(dt.timedelta(hours=8))


def last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("id")


def test_it_creates_a_child_committee_under_a_city(world):
    county = services.org_create(
        actor=world.admin,
        name="政协丙县委员会",
        level=Organization.Level.COUNTY,
        parent=world.city,
    )
    assert county.path == f"{world.city.path}{county.pk}/"
    event = last_event("orgs.org_created")
    assert event.actor == world.admin and event.org == county


def test_it_refuses_a_child_at_the_same_level_or_a_duplicate_name(world):
    before = Organization.objects.count()
    with pytest.raises(Invalid) as exc:
        services.org_create(
            actor=world.admin,
            name="政协丁市委员会",
            level=Organization.Level.CITY,
            parent=world.city,
        )
    assert "level" in exc.value.fields
    with pytest.raises(Invalid) as exc:
        services.org_create(
            actor=world.admin,
            name=world.county_a.name,
            level=Organization.Level.COUNTY,
            parent=world.city,
        )
    assert "同一上级下已有" in exc.value.fields["name"][0]
    assert Organization.objects.count() == before


def test_it_renames_a_committee_with_before_and_after(world):
    services.org_update(actor=world.admin, org=world.county_a, short_name="甲县")
    data = last_event("orgs.org_updated").data
    assert data == {"before": {"short_name": "政协甲县委员会"}, "after": {"short_name": "甲县"}}
    with pytest.raises(Invalid):
        services.org_update(actor=world.admin, org=world.county_a, name=world.county_b.name)
    assert Organization.objects.get(pk=world.county_a.pk).name == "政协甲县委员会"


def test_it_creates_a_new_current_term_and_retires_the_old_one(world):
    old = world.terms[world.county_a.pk]
    new = services.term_create(
        actor=world.admin, org=world.county_a, number=2, name="第2届", starts_on=D(2028, 1, 1)
    )
    old.refresh_from_db()
    assert new.is_current and not old.is_current
    assert last_event("orgs.term_created").data["previous_current"] == old.pk


def test_it_switches_the_current_term_back(world):
    old = world.terms[world.county_a.pk]
    new = services.term_create(
        actor=world.admin, org=world.county_a, number=2, name="第2届", starts_on=D(2028, 1, 1)
    )
    services.term_set_current(actor=world.admin, term=old)
    assert list(Term.objects.filter(org=world.county_a, is_current=True)) == [old]
    data = last_event("orgs.term_set_current").data
    assert data == {"before": {"current_term": new.pk}, "after": {"current_term": old.pk}}
    count = AuditEvent.objects.count()
    services.term_set_current(actor=world.admin, term=old)  # already current: nothing to do
    assert AuditEvent.objects.count() == count


def test_it_refuses_a_duplicate_term_number_and_reversed_term_dates(world):
    with pytest.raises(Invalid) as exc:
        services.term_create(
            actor=world.admin, org=world.county_a, number=1, name="又一届", starts_on=D(2028, 1, 1)
        )
    assert "number" in exc.value.fields
    with pytest.raises(Invalid) as exc:
        services.term_create(
            actor=world.admin,
            org=world.county_a,
            number=3,
            name="第3届",
            starts_on=D(2028, 1, 1),
            ends_on=D(2027, 1, 1),
        )
    assert "ends_on" in exc.value.fields
    assert Term.objects.filter(org=world.county_a).count() == 1
    assert Term.objects.get(org=world.county_a).is_current  # nothing half-written


def test_it_edits_a_term_with_before_and_after(world):
    term = world.terms[world.county_a.pk]
    services.term_update(actor=world.admin, term=term, name="第一届", ends_on=D(2027, 12, 31))
    data = last_event("orgs.term_updated").data
    assert data["before"] == {"name": "第1届", "ends_on": None}
    assert data["after"] == {"name": "第一届", "ends_on": "2027-12-31"}


def session_values(**kw: Any) -> dict[str, Any]:
    values = {
        "number": 2,
        "name": "二次会议",
        "opens_on": D(2028, 1, 10),
        "closes_on": D(2028, 1, 14),
        "proposal_deadline": dt.datetime(2028, 1, 12, 18, 0, tzinfo=TZ),
    }
    values.update(kw)
    return values


def test_it_creates_and_edits_a_session(world):
    term = world.terms[world.county_a.pk]
    session = services.session_create(actor=world.admin, term=term, **session_values())
    assert last_event("orgs.session_created").target_id == str(session.pk)
    services.session_update(
        actor=world.admin,
        session=session,
        proposal_deadline=dt.datetime(2028, 1, 13, 12, 0, tzinfo=TZ),
    )
    data = last_event("orgs.session_updated").data
    assert data == {  # instants in UTC
        "before": {"proposal_deadline": "2028-01-12T10:00:00+00:00"},
        "after": {"proposal_deadline": "2028-01-13T04:00:00+00:00"},
    }
    count = AuditEvent.objects.count()
    same_instant = dt.datetime(2028, 1, 13, 4, 0, tzinfo=dt.UTC)
    services.session_update(actor=world.admin, session=session, proposal_deadline=same_instant)
    assert AuditEvent.objects.count() == count


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"opens_on": D(2028, 1, 14), "closes_on": D(2028, 1, 10)}, "closes_on"),
        ({"proposal_deadline": dt.datetime(2028, 1, 15, 9, 0, tzinfo=TZ)}, "proposal_deadline"),
        ({"proposal_deadline": dt.datetime(2027, 1, 1, 9, 0, tzinfo=TZ)}, "proposal_deadline"),
        ({"opens_on": D(2020, 1, 10), "closes_on": D(2020, 1, 14)}, "opens_on"),
        ({"number": 1}, "number"),
    ],
)
def test_it_refuses_a_bad_session_and_writes_nothing(world, values, field):
    term = world.terms[world.county_a.pk]
    sessions, events = Session.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Invalid) as exc:
        services.session_create(actor=world.admin, term=term, **session_values(**values))
    assert field in exc.value.fields
    assert (Session.objects.count(), AuditEvent.objects.count()) == (sessions, events)


def test_a_failed_session_edit_changes_nothing(world):
    session = Session.objects.get(term=world.terms[world.county_a.pk])
    with pytest.raises(Invalid):
        services.session_update(actor=world.admin, session=session, closes_on=D(2027, 1, 1))
    session.refresh_from_db()
    assert session.closes_on == D(2027, 1, 15)


def test_it_records_an_export(world):
    services.org_export_record(actor=world.admin, org=world.province, what="units", rows=3)
    event = last_event("orgs.exported")
    assert event.org == world.province and event.data == {"what": "units", "rows": 3}
