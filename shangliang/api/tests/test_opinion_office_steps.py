"""The opinion API's office steps added later: taking a report out of its issue
(``unpublish``) and the checks on a leader's instruction. Every response is checked against
the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from shangliang.api.tests.schema import ApiClient
from shangliang.core.models import AuditEvent
from shangliang.opinions.models import Instruction, Opinion
from shangliang.opinions.services import opinion_act
from shangliang.opinions.tests.cast import Cast, build_cast
from shangliang.testing import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(world: World) -> Cast:
    return build_cast(world)


def published(cast: Cast, user: Any = None) -> Opinion:
    o = cast.signed(cast.report(user))
    return opinion_act(actor=cast.office, opinion=o, action="publish", series="sqmy", issue=1)


def names(body: dict[str, Any]) -> list[str]:
    return [a["name"] for a in body["available_actions"]]


def test_the_office_takes_a_report_out_of_its_issue(cast: Cast) -> None:
    a, b = published(cast), published(cast, cast.informant)
    office = ApiClient(cast.office)
    path = f"opinions/{a.pk}"
    assert "unpublish" in names(office.get(path).json())
    r = office.post(f"{path}/actions/unpublish", {"reason": "编错了期"})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["state"] == "signed_off" and body["issue"] is None
    assert "publish" in names(body) and "unpublish" not in names(body)
    assert body["history"][0]["action"] == "opinions.opinion.unpublish"
    b.refresh_from_db()
    assert b.issue_order == 1
    assert AuditEvent.objects.filter(action="opinions.issue_item_removed").count() == 1


def test_unpublish_refusals_write_nothing(cast: Cast) -> None:
    a = published(cast)
    office = ApiClient(cast.office)
    path = f"opinions/{a.pk}"
    r = office.post(f"{path}/actions/unpublish", {})
    assert r.status_code == 422 and "reason" in r.json()["fields"]
    r = office.post(f"{path}/actions/unpublish", {"reason": "错", "issue": 1})
    assert r.status_code == 422 and "issue" in r.json()["fields"]
    r = ApiClient(cast.world.leader).post(f"{path}/actions/unpublish", {"reason": "错"})
    assert r.status_code == 403
    r = ApiClient(cast.city_office).post(f"{path}/actions/unpublish", {"reason": "错"})
    assert r.status_code == 404
    opinion_act(
        actor=cast.office, opinion=a, action="record_adoption", level="province", kind="single"
    )
    r = office.post(f"{path}/actions/unpublish", {"reason": "错"})
    assert r.status_code == 422 and "已记录采用，不能撤出刊期" in r.json()["detail"]
    a.refresh_from_db()
    assert a.status == Opinion.Status.PUBLISHED and a.issue_order == 1
    assert not AuditEvent.objects.filter(
        action__in=["opinions.opinion.unpublish", "opinions.issue_item_removed"]
    ).exists()
    signed = cast.signed(cast.report(cast.informant))
    r = office.post(f"opinions/{signed.pk}/actions/unpublish", {"reason": "错"})
    assert r.status_code == 409


def test_an_instruction_is_checked_for_its_level_and_date(cast: Cast) -> None:
    o = cast.signed(cast.report())
    office = ApiClient(cast.office)
    path = f"opinions/{o.pk}/actions/record_instruction"
    base = {"leader_level": "province", "leader": "省长", "text": "阅", "date": "2026-03-02"}
    r = office.post(path, {**base, "leader_level": "city"})
    assert r.status_code == 422 and "未报送到市级" in r.json()["detail"]
    r = office.post(path, {**base, "leader_level": "national"})
    assert r.status_code == 422 and "可记录：省级" in r.json()["detail"]
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    r = office.post(path, {**base, "date": future})
    assert r.status_code == 422 and "批示日期不能晚于今天" in r.json()["detail"]
    assert not Instruction.objects.exists()
    r = office.post(path, base)
    assert r.status_code == 200 and r.json()["instructions"][0]["leader"] == "省长"
