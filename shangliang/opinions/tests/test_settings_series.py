"""The periodicals (刊物) on the office's settings page: ``代码:名称`` per line, checked
(slug codes, unique, names given, at least one; a code an issue uses stays), audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from shangliang.core.errors import Forbidden, Invalid
from shangliang.core.models import AuditEvent
from shangliang.opinions.models import DEFAULT_GATES, DEFAULT_SERIES, OpinionSettings
from shangliang.opinions.services import opinion_act
from shangliang.opinions.services.issues import opinion_settings_update
from shangliang.opinions.tests.cast import Cast

pytestmark = pytest.mark.django_db
GATES = "\n".join(f"{g['code']}:{g['label']}" for g in DEFAULT_GATES)


def update(cast: Cast, series: str | None, actor: Any = None) -> OpinionSettings:
    return opinion_settings_update(
        actor=actor or cast.office,
        org=cast.world.province,
        max_length=1500,
        title_max_length=60,
        gates=GATES,
        signers=[],
        series=series,
    )


def stored() -> list[Any]:
    return list(OpinionSettings.objects.values_list("series", flat=True))


def test_it_saves_the_periodicals_and_keeps_their_distribution(cast: Cast) -> None:
    conf = update(cast, "sqmy:社情民意信息（内部）\n\nkuaibao:快报\nzhuan-bao2：专报二")
    assert [(s["code"], s["name"]) for s in conf.series] == [
        ("sqmy", "社情民意信息（内部）"),
        ("kuaibao", "快报"),
        ("zhuan-bao2", "专报二"),
    ]
    assert conf.series[0]["distribution"] == DEFAULT_SERIES[0]["distribution"]
    assert conf.series[1]["distribution"] == ""
    event = AuditEvent.objects.get(action="opinions.settings_updated")
    assert event.actor_id == cast.office.pk
    assert event.data == {"series": ["sqmy", "kuaibao", "zhuan-bao2"]}


def test_a_new_periodical_can_be_published_in(cast: Cast) -> None:
    update(cast, "sqmy:社情民意信息\nkuaibao:快报")
    o = cast.signed(cast.report())
    o = opinion_act(actor=cast.office, opinion=o, action="publish", series="kuaibao")
    assert o.issue is not None and o.issue.series == "kuaibao"


def test_none_keeps_the_periodicals(cast: Cast) -> None:
    update(cast, "kuaibao:快报")
    conf = update(cast, None)
    assert [s["code"] for s in conf.series] == ["kuaibao"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "至少要有一种刊物"),
        ("  \n ", "至少要有一种刊物"),
        ("社情:社情民意", "代码用小写字母"),
        ("Sqmy:社情民意", "代码用小写字母"),
        ("sqmy:", "代码用小写字母"),
        ("sqmy 社情民意", "代码用小写字母"),
        ("a" * 21 + ":太长的代码", "代码用小写字母"),
        ("sqmy:" + "名" * 31, "代码用小写字母"),
        ("sqmy:社情民意\nsqmy:又一个", "代码不能重复"),
    ],
)
def test_it_refuses_bad_lines_and_writes_nothing(cast: Cast, text: str, message: str) -> None:
    with pytest.raises(Invalid, match=message) as caught:
        update(cast, text)
    assert "series" in caught.value.fields
    assert stored() == [] and not AuditEvent.objects.filter(action__startswith="opinions.settings")


def test_a_periodical_an_issue_uses_cannot_be_removed(cast: Cast) -> None:
    o = cast.signed(cast.report())
    opinion_act(actor=cast.office, opinion=o, action="publish", series="zhuanbao")
    before = stored()
    with pytest.raises(Invalid, match="刊物代码 zhuanbao 已有刊期使用，不能删除"):
        update(cast, "sqmy:社情民意信息")
    assert stored() == before
    conf = update(cast, "sqmy:社情民意信息\nzhuanbao:领导专报")  # renaming is fine
    assert conf.series_name("zhuanbao") == "领导专报"


def test_another_committees_issue_does_not_hold_a_code(cast: Cast) -> None:
    c = cast.signed(cast.report(cast.city_member.user, cast.world.city), cast.city_office)
    opinion_act(actor=cast.city_office, opinion=c, action="publish", series="zhuanbao")
    conf = update(cast, "sqmy:社情民意信息")
    assert [s["code"] for s in conf.series] == ["sqmy"]


def test_only_the_office_may_change_them(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        update(cast, "sqmy:社情民意信息", actor=cast.world.leader)
    assert stored() == []


def test_the_settings_page_edits_the_periodicals(cast: Cast) -> None:
    client = cast.world.client_for(cast.office)
    url = reverse("opinions:office_settings", args=[cast.world.province.pk])
    page = client.get(url).content.decode()
    assert "sqmy:社情民意信息" in page and "zhuansong:转送件" in page
    data = {"max_length": 1500, "title_max_length": 60, "gates": GATES, "signers": ""}
    r = client.post(url, {**data, "series": "sqmy:社情民意信息\nkuaibao:快报"})
    assert r.status_code == 302
    conf = OpinionSettings.objects.get(org=cast.world.province)
    assert [s["code"] for s in conf.series] == ["sqmy", "kuaibao"]
    o = cast.signed(cast.report())
    opinion_act(actor=cast.office, opinion=o, action="publish", series="kuaibao")
    r = client.post(url, {**data, "series": "sqmy:社情民意信息"})
    assert r.status_code == 200 and "已有刊期使用，不能删除" in r.content.decode()
    r = client.post(url, {**data, "series": "sqmy:社情民意信息\nsqmy:重复"})
    assert r.status_code == 200 and "代码不能重复" in r.content.decode()
    r = client.post(url, {**data, "series": ""})
    assert r.status_code == 200
    assert [s["code"] for s in stored()[0]] == ["sqmy", "kuaibao"]
    assert AuditEvent.objects.filter(action="opinions.settings_updated").count() == 1
