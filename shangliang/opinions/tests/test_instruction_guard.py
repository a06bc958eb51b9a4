"""A leader's instruction (批示) is recorded only at a level the report reached and never
with a date in the future: refused with a clear message, nothing written (service, page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.core.errors import Invalid
from shangliang.core.models import AuditEvent
from shangliang.opinions.models import Instruction, Opinion, Tally
from shangliang.opinions.services import opinion_act
from shangliang.opinions.tests.cast import Cast

pytestmark = pytest.mark.django_db


def instruct(cast: Cast, o: Opinion, **fields: Any) -> Opinion:
    values = {"leader_level": "province", "leader": "省长", "text": "阅", "date": "2026-03-02"}
    return opinion_act(
        actor=cast.office, opinion=o, action="record_instruction", **{**values, **fields}
    )


def written() -> tuple[int, int, int]:
    return (
        Instruction.objects.count(),
        Tally.objects.filter(kind=Tally.Kind.INSTRUCTED).count(),
        AuditEvent.objects.filter(action="opinions.opinion.record_instruction").count(),
    )


def tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def test_it_records_an_instruction_at_a_level_the_report_reached(cast: Cast) -> None:
    o = cast.signed(cast.report())
    instruct(cast, o, date=timezone.localdate().isoformat())
    assert written() == (1, 1, 1)


@pytest.mark.parametrize("level", ["city", "county", "national"])
def test_it_refuses_a_level_the_report_never_reached(cast: Cast, level: str) -> None:
    o = cast.signed(cast.report())
    with pytest.raises(Invalid, match="未报送到.*不能记录该级领导批示（可记录：省级）"):
        instruct(cast, o, leader_level=level)
    assert written() == (0, 0, 0)


def test_a_report_sent_to_the_national_committee_takes_a_national_instruction(
    cast: Cast,
) -> None:
    o = cast.signed(cast.report())
    Opinion.objects.filter(pk=o.pk).update(reported_national=True)
    o.refresh_from_db()
    instruct(cast, o, leader_level="national")
    assert Instruction.objects.get().leader_level == "national"


def test_it_refuses_a_date_in_the_future(cast: Cast) -> None:
    o = cast.signed(cast.report())
    with pytest.raises(Invalid, match="批示日期不能晚于今天"):
        instruct(cast, o, date=tomorrow())
    assert written() == (0, 0, 0)


def test_the_page_shows_the_refusal_and_writes_nothing(cast: Cast) -> None:
    o = cast.signed(cast.report())
    client = cast.world.client_for(cast.office)
    url = reverse("opinions:action", args=[o.pk, "record_instruction"])
    base = {
        "record_instruction-leader_level": "province",
        "record_instruction-leader": "省长",
        "record_instruction-text": "阅",
        "record_instruction-date": "2026-03-02",
    }
    r = client.post(url, {**base, "record_instruction-leader_level": "city"}, follow=True)
    assert "不能记录该级领导批示" in r.content.decode()
    r = client.post(url, {**base, "record_instruction-date": tomorrow()}, follow=True)
    assert "批示日期不能晚于今天" in r.content.decode()
    assert written() == (0, 0, 0)
    client.post(url, base)
    assert written() == (1, 1, 1)
