"""Two proposal officers accept the same proposal at the same moment: one wins, the other
gets a conflict (409 in the API, a clear message on the page), never a double step."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from shangliang.api.tests.schema import ApiClient
from shangliang.core.audit import history_for
from shangliang.core.errors import Conflict
from shangliang.core.workflow import transition
from shangliang.proposals.models import Proposal
from shangliang.proposals.steps import settings_for
from shangliang.proposals.tests.member_office_cast import office_of, submitted
from shangliang.testing import build_world


def _last_stage(world, office) -> Proposal:
    p = submitted(world)
    while True:  # up to the final review stage: the next accept numbers the proposal
        nxt = transition(p, "review", actor=office, outcome="accept")
        if nxt.status == Proposal.Status.ACCEPTED:
            raise AssertionError("went one step too far")
        p = nxt
        if p.review_stage + 1 >= len(settings_for(p.org).review_stages):
            return p


def test_it_gives_the_stale_officer_a_conflict(world):
    """Both officers read the proposal; the second one's step runs on what it read."""
    office, other = office_of(world), office_of(world, username="p_office2")
    p = _last_stage(world, office)
    seen_by_a = Proposal.objects.get(pk=p.pk)
    seen_by_b = Proposal.objects.get(pk=p.pk)
    transition(seen_by_a, "review", actor=office, outcome="accept")
    with pytest.raises(Conflict):
        transition(seen_by_b, "review", actor=other, outcome="accept")
    p.refresh_from_db()
    assert p.status == Proposal.Status.ACCEPTED and p.number == 1
    accepted = [e for e in history_for(p) if e.data.get("to") == Proposal.Status.ACCEPTED]
    assert len(accepted) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections at once: PostgreSQL (CI runs it)"
)
def test_it_lets_exactly_one_of_two_threads_accept():
    world = build_world()
    office, other = office_of(world), office_of(world, username="p_office2")
    p = _last_stage(world, office)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def act(actor) -> None:
        try:
            mine = Proposal.objects.get(pk=p.pk)
            barrier.wait(timeout=10)
            transition(mine, "review", actor=actor, outcome="accept")
            result = "won"
        except Conflict:
            result = "conflict"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=act, args=(a,)) for a in (office, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "won"]
    p.refresh_from_db()
    assert p.status == Proposal.Status.ACCEPTED and p.number == 1
    assert sum(1 for e in history_for(p) if e.data.get("to") == Proposal.Status.ACCEPTED) == 1


def test_the_api_answers_409_to_the_second_officer(world):
    office, other = office_of(world), office_of(world, username="p_office2")
    p = _last_stage(world, office)
    body = {"outcome": "accept", "stage": p.review_stage}
    first = ApiClient(office).post(f"proposals/{p.pk}/actions/review", body)
    second = ApiClient(other).post(f"proposals/{p.pk}/actions/review", body)
    assert first.status_code == 200
    assert second.status_code == 409 and second.json()["code"] == "conflict"


def test_the_page_tells_the_second_officer(world):
    office, other = office_of(world), office_of(world, username="p_office2")
    p = _last_stage(world, office)
    a, b = world.client_for(office), world.client_for(other)
    url = f"/proposals/office/proposals/{p.pk}/review/"
    assert a.get(url).status_code == 200 and b.get(url).status_code == 200
    form = {"outcome": "accept", "stage": p.review_stage, "reason": ""}
    assert a.post(url, form).status_code == 302
    response = b.post(url, form, follow=True)
    assert response.redirect_chain == [(f"/proposals/{p.pk}/", 302)]
    # the page says what happened: the proposal is already accepted
    assert "当前状态“已立案”下不能执行“审查”" in response.content.decode()
    p.refresh_from_db()
    assert p.status == Proposal.Status.ACCEPTED and p.number == 1
