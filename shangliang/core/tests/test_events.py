from __future__ import annotations

from shangliang.core.events import Event, announce, subscribe
from shangliang.core.workflow import transition

RECEIVED: list[Event] = []


@subscribe("membership.suspended")
def _on_suspended(event: Event) -> None:
    RECEIVED.append(event)


def test_it_delivers_after_commit(world, django_capture_on_commit_callbacks):
    RECEIVED.clear()
    m = world.county_a_member_m
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transition(m, "suspend", actor=world.county_a_office, reason="x", date="2026-12-01")
    assert RECEIVED == []  # nothing before the commit
    for cb in callbacks:
        cb()
    assert len(RECEIVED) == 1
    event = RECEIVED[0]
    assert event.name == "membership.suspended"
    assert event.get_object() == m
    assert event.actor_id == world.county_a_office.pk
    assert event.data["date"] == "2026-12-01"


def test_a_rolled_back_change_announces_nothing(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    RECEIVED.clear()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                announce("membership.suspended", obj=world.member_m)
                raise RuntimeError
        except RuntimeError:
            pass
    assert RECEIVED == []
