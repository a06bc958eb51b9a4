"""Two officers act on one object at the same moment: one wins, the other gets a conflict."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from shangliang.accounts.models import Membership
from shangliang.core.audit import history_for
from shangliang.core.errors import Conflict
from shangliang.core.workflow import transition
from shangliang.testing import build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are a PostgreSQL test (CI runs it)"
)
def test_it_lets_exactly_one_of_two_threads_win():
    world = build_world()
    pk = world.county_a_member_m.pk
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def act(reason: str) -> None:
        try:
            m = Membership.objects.get(pk=pk)  # both read "active" before either writes
            barrier.wait(timeout=10)
            transition(m, "suspend", actor=world.county_a_office, reason=reason, date="2026-12-01")
            result = "won"
        except Conflict:
            result = "conflict"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=act, args=(r,)) for r in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "won"]
    m = Membership.objects.get(pk=pk)
    assert m.status == Membership.Status.SUSPENDED
    assert history_for(m).count() == 1
