from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shangliang.core.events import Event
from shangliang.core.workflow import transition
from shangliang.duty.ledger import Line, ledger_sync
from shangliang.duty.models import DutyScore, LedgerEntry
from shangliang.duty.scoring import (
    entry_points,
    load_preset,
    recompute_all,
    recompute_year,
    scheme_for,
)
from shangliang.duty.selectors import priced
from shangliang.duty.sources.proposals import on_proposal_event
from shangliang.duty.tests.cast import accept, office, second, submit

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def rows(m: Any, item: str | None = None) -> list[Any]:
    """The member's rows, oldest first, each with its ``points``."""
    qs = LedgerEntry.objects.filter(membership=m).order_by("id")
    return priced(list(qs.filter(item=item) if item else qs))


def net_points(m: Any, item: str) -> Decimal:
    return sum((r.points for r in rows(m, item)), Decimal(0))


def test_it_credits_a_submitted_proposal_under_the_default_scheme(
    world, django_capture_on_commit_callbacks
):
    submit(world, django_capture_on_commit_callbacks)
    (row,) = rows(world.member_m)
    assert (row.item, row.points, row.role, row.year) == (
        "proposal.submitted",
        Decimal("5.00"),
        "sole",
        YEAR,
    )
    score = DutyScore.objects.get(membership=world.member_m, year=YEAR)
    assert score.score == Decimal("5.00") and score.grade == "fail"


def test_it_does_not_count_a_replayed_event_twice(world, django_capture_on_commit_callbacks):
    p = submit(world, django_capture_on_commit_callbacks)
    event = Event(name="proposal.submitted", model="proposals.proposal", object_id=str(p.pk))
    on_proposal_event(event)
    on_proposal_event(event)
    assert len(rows(world.member_m)) == 1


def test_it_compensates_a_withdrawn_proposal(world, django_capture_on_commit_callbacks):
    p = submit(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        transition(p, "withdraw", actor=world.member, reason="重复")
    credit, reversal = rows(world.member_m)
    assert (credit.kind, credit.points) == ("credit", Decimal("5.00"))
    assert (reversal.kind, reversal.points, reversal.year) == ("reversal", Decimal("-5.00"), YEAR)
    assert DutyScore.objects.get(membership=world.member_m, year=YEAR).score == 0


def test_it_splits_a_joint_proposal_and_recomputes_under_another_preset(
    world, django_capture_on_commit_callbacks
):
    co = second(world)
    p = submit(world, django_capture_on_commit_callbacks, cosigner=co)
    accept(p, office(world), django_capture_on_commit_callbacks)
    # 安庆 default: accepted first 10, cosigner 3; submitted 5 each
    assert net_points(world.member_m, "proposal.accepted") == Decimal("10.00")
    assert net_points(co, "proposal.accepted") == Decimal("3.00")
    assert [r.role for r in rows(co, "proposal.accepted")] == ["cosigner"]
    scheme = scheme_for(world.province.pk, YEAR)
    load_preset(scheme, "tongcheng2019")  # first half, the rest share the other half
    recompute_year(org_id=world.province.pk, year=YEAR)
    assert net_points(world.member_m, "proposal.accepted") == Decimal("7.50")
    assert net_points(co, "proposal.accepted") == Decimal("7.50")
    assert net_points(world.member_m, "proposal.submitted") == Decimal("5.00")
    score = DutyScore.objects.get(membership=world.member_m, year=YEAR)
    assert score.score == Decimal("12.50")


def test_it_caps_an_item_per_year(world):
    now = timezone.now()
    for i in range(3):
        ledger_sync(
            source_type="test.thing",
            source_id=i,
            items=["proposal.submitted"],
            lines=[Line(world.member_m.pk, "proposal.submitted", now)],
        )
    assert net_points(world.member_m, "proposal.submitted") == Decimal("15.00")
    score = DutyScore.objects.get(membership=world.member_m, year=YEAR)
    assert score.points == Decimal("10.00")  # 安庆: cap 10


def test_it_grades_by_the_bands_and_writes_a_score_for_members_without_rows(world):
    scheme = scheme_for(world.province.pk, YEAR)
    scheme.base = Decimal(85)
    scheme.save()
    now = timezone.now()
    ledger_sync(
        source_type="test.thing",
        source_id=1,
        items=["attend.plenary"],
        lines=[Line(world.member_m.pk, "attend.plenary", now, half_days=Decimal(1))],
    )
    other = second(world)
    recompute_year(org_id=world.province.pk, year=YEAR)
    mine = DutyScore.objects.get(membership=world.member_m, year=YEAR)
    theirs = DutyScore.objects.get(membership=other, year=YEAR)
    assert (mine.score, mine.grade) == (Decimal("95.00"), "excellent")
    assert (theirs.score, theirs.grade) == (Decimal("85.00"), "good")


def test_it_prices_rows_the_same_in_sql_and_in_python(world):
    now = timezone.now()
    co1, co2 = second(world), second(world, "member3", "省委员丙")
    scheme = scheme_for(world.province.pk, YEAR)
    load_preset(scheme, "tongcheng2019")  # half to the first proposer, the rest shared
    lines = [
        Line(world.member_m.pk, "proposal.accepted", now, role="first", co_count=2),
        Line(co1.pk, "proposal.accepted", now, role="cosigner", co_count=2),
        Line(co2.pk, "proposal.accepted", now, role="cosigner", co_count=2),
        Line(world.member_m.pk, "opinion.submitted", now),
    ]
    ledger_sync(
        source_type="test.thing",
        source_id=1,
        items=["proposal.accepted", "opinion.submitted"],
        lines=lines,
    )
    recompute_year(org_id=world.province.pk, year=YEAR)
    for m in (world.member_m, co1, co2):
        python = sum(entry_points(list(rows(m))), Decimal(0))
        sql = DutyScore.objects.get(membership=m, year=YEAR).points
        assert python == sql
    assert [net_points(m, "proposal.accepted") for m in (world.member_m, co1, co2)] == [
        Decimal("7.50"),
        Decimal("3.75"),
        Decimal("3.75"),
    ]


def test_it_counts_half_days_where_the_rule_says_so(world):
    ledger_sync(
        source_type="t",
        source_id=1,
        items=["attend.plenary"],
        lines=[Line(world.member_m.pk, "attend.plenary", timezone.now(), half_days=Decimal(2))],
    )
    assert DutyScore.objects.get(membership=world.member_m, year=YEAR).points == Decimal("20.00")


def test_it_reverses_only_what_a_source_no_longer_wants(world):
    now = timezone.now()
    line = Line(world.member_m.pk, "attend.plenary", now)
    ledger_sync(
        source_type="t", source_id=1, items=["attend.plenary", "absent.plenary"], lines=[line]
    )
    ledger_sync(
        source_type="t",
        source_id=1,
        items=["attend.plenary", "absent.plenary"],
        lines=[Line(world.member_m.pk, "absent.plenary", now)],
    )
    ledger_sync(
        source_type="t", source_id=1, items=["attend.plenary", "absent.plenary"], lines=[line]
    )
    kinds = [(r.item, r.kind, r.seq) for r in rows(world.member_m)]
    assert kinds == [
        ("attend.plenary", "credit", 0),
        ("absent.plenary", "credit", 0),
        ("attend.plenary", "reversal", 1),
        ("absent.plenary", "reversal", 1),
        ("attend.plenary", "credit", 2),
    ]
    assert DutyScore.objects.get(membership=world.member_m, year=YEAR).score == Decimal("10.00")


def test_it_credits_and_revokes_an_excellent_proposal(world, django_capture_on_commit_callbacks):
    from shangliang.duty.sources.proposals import on_excellent

    p = submit(world, django_capture_on_commit_callbacks)
    event = Event(name="proposal.excellent", data={"proposal_id": p.pk, "nomination_id": 7})
    on_excellent(event)
    on_excellent(event)  # replayed
    assert [(r.kind, r.points) for r in rows(world.member_m, "proposal.excellent")] == [
        ("credit", Decimal("10.00"))
    ]
    on_excellent(Event(name="proposal.excellent_revoked", data={"proposal_id": p.pk}))
    assert net_points(world.member_m, "proposal.excellent") == 0
    assert len(rows(world.member_m, "proposal.excellent")) == 2


def scores() -> list[tuple[Any, ...]]:
    return list(
        DutyScore.objects.order_by("membership_id", "year").values_list(
            "org_id", "membership_id", "points", "score", "grade", "lacking"
        )
    )


def test_it_recomputes_every_committee_of_a_year_at_once_as_each_one_alone(world):
    now = timezone.now()
    orgs = (world.province, world.county_a, world.county_b)
    province = scheme_for(world.province.pk, YEAR)
    load_preset(province, "tongcheng2019")  # other rules, split and base
    county_a = scheme_for(world.county_a.pk, YEAR)
    county_a.minimums = ["proposal", "training"]  # another set of minimums: its own statement
    county_a.base = Decimal(58)
    county_a.save()
    co = second(world)
    ledger_sync(
        source_type="t",
        source_id=1,
        items=["proposal.accepted", "proposal.submitted", "attend.plenary", "training"],
        lines=[
            Line(world.member_m.pk, "proposal.accepted", now, role="first", co_count=1),
            Line(co.pk, "proposal.accepted", now, role="cosigner", co_count=1),
            Line(world.county_a_member_m.pk, "proposal.submitted", now),
            Line(world.county_a_member_m.pk, "attend.plenary", now, half_days=Decimal(3)),
            Line(world.county_b_member_m.pk, "training", now),
            Line(world.county_b_member_m.pk, "proposal.submitted", now),
        ],
    )
    for i in range(3):  # over the yearly cap
        ledger_sync(
            source_type="t.cap",
            source_id=i,
            items=["proposal.submitted"],
            lines=[Line(world.county_b_member_m.pk, "proposal.submitted", now)],
        )
    for org in (world.city, *orgs):
        recompute_year(org_id=org.pk, year=YEAR)
    one_by_one = scores()
    DutyScore.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        written = recompute_all(year=YEAR)
    inserts = [q for q in queries.captured_queries if q["sql"].lstrip().startswith("INSERT")]
    assert len(inserts) == 2  # one per distinct set of minimums, not one per committee
    assert written == len(one_by_one) == 4
    assert scores() == one_by_one
    by_member = {row[1]: row for row in one_by_one}
    # 桐城: the first proposer half of 15, the one cosigner the other half
    assert by_member[world.member_m.pk][2:4] == by_member[co.pk][2:4] == (Decimal("7.50"),) * 2
    # 安庆 with base 58: submitted 5 + plenary 3 half days x 10 (cap 30)
    assert by_member[world.county_a_member_m.pk][2:] == (
        Decimal("35.00"),
        Decimal("93.00"),
        "excellent",
        "training,",
    )
    # training 3 + four submissions x 5 capped at 10
    assert by_member[world.county_b_member_m.pk][2] == Decimal("13.00")
