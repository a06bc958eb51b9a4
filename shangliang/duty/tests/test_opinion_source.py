"""The opinion source against the real opinions app: submitted, adopted per level,
instructed, withdrawn."""

from decimal import Decimal
from typing import Any

import pytest

from shangliang.core.events import Event
from shangliang.duty.models import LedgerEntry
from shangliang.duty.sources.opinions import on_opinion_event
from shangliang.duty.tests.cast import ledger_of
from shangliang.opinions.services import opinion_act
from shangliang.opinions.tests.cast import build_cast

pytestmark = pytest.mark.django_db


def ledger(m: Any) -> list[Any]:
    return ledger_of(m)


def test_it_credits_submission_adoption_per_level_and_instruction(
    world, django_capture_on_commit_callbacks
):
    cast = build_cast(world)
    with django_capture_on_commit_callbacks(execute=True):
        o = cast.report()
    assert ledger(world.member_m) == [("opinion.submitted", 1, Decimal("3.00"))]
    with django_capture_on_commit_callbacks(execute=True):
        o = cast.signed(o)
        o = opinion_act(
            actor=cast.office, opinion=o, action="record_adoption", level="province", kind="single"
        )
        o = opinion_act(
            actor=cast.office,
            opinion=o,
            action="record_instruction",
            leader_level="province",
            leader="副省长",
            text="请研究",
            date="2026-11-01",
        )
    assert ledger(world.member_m) == [
        ("opinion.adopted.province", 1, Decimal("8.00")),
        ("opinion.instructed", 1, Decimal("5.00")),
        ("opinion.submitted", 1, Decimal("3.00")),
    ]
    on_opinion_event(
        Event(
            name="opinion.adopted",
            model="opinions.opinion",
            object_id=str(o.pk),
            data={"level": "province"},
        )
    )
    assert LedgerEntry.objects.filter(membership=world.member_m).count() == 3  # replay: no change


def test_it_reverses_a_withdrawn_report_and_ignores_informants(
    world, django_capture_on_commit_callbacks
):
    cast = build_cast(world)
    with django_capture_on_commit_callbacks(execute=True):
        o = cast.report()
        cast.report(user=cast.informant)
    with django_capture_on_commit_callbacks(execute=True):
        opinion_act(actor=world.member, opinion=o, action="withdraw")
    assert ledger(world.member_m) == [
        ("opinion.submitted", -1, Decimal("-3.00")),
        ("opinion.submitted", 1, Decimal("3.00")),
    ]
    assert LedgerEntry.objects.count() == 2
