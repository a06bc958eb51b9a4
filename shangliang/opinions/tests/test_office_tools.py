"""The office's tools: the issue builder, the settings, the figures (SQL aggregates with a
fixed number of queries), the monthly table, and the combined/upward credits."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shangliang.core.errors import Invalid
from shangliang.opinions import figures
from shangliang.opinions.credits import credited
from shangliang.opinions.models import Opinion, OpinionSettings
from shangliang.opinions.services import opinion_act
from shangliang.opinions.services.issues import opinion_settings_update
from shangliang.opinions.tests.cast import Cast

pytestmark = pytest.mark.django_db


def published(cast: Cast, user: Any = None) -> Opinion:
    o = cast.signed(cast.report(user))
    return opinion_act(actor=cast.office, opinion=o, action="publish", series="sqmy", issue=1)


def test_the_issue_builder_reorders_items_and_edits_the_foot(cast: Cast) -> None:
    a = published(cast)
    b = published(cast, cast.informant)
    client = cast.world.client_for(cast.office)
    url = reverse("opinions:issue", args=[a.issue_id])
    client.post(url, {"move": b.pk, "dir": "up"})
    order = list(Opinion.objects.filter(issue=a.issue).order_by("issue_order"))
    assert [o.pk for o in order] == [b.pk, a.pk]
    r = client.post(url, {"date": "2026-12-01", "distribution": "报：省委书记\n送：省长"})
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert "报：省委书记" in page
    leader = cast.world.client_for(cast.world.leader)
    assert leader.post(url, {"move": a.pk, "dir": "up"}).status_code == 404


def test_the_settings_change_the_checklist_and_the_signers(cast: Cast) -> None:
    client = cast.world.client_for(cast.office)
    url = reverse("opinions:office_settings", args=[cast.world.province.pk])
    assert client.get(url).status_code == 200
    r = client.post(
        url,
        {
            "max_length": 1200,
            "title_max_length": 40,
            "gates": "political:政治关\nfacts:事实关",
            "series": "sqmy:社情民意信息\nzhuanbao:专报",
            "signers": "leader",
        },
    )
    assert r.status_code == 302
    conf = OpinionSettings.objects.get(org=cast.world.province)
    assert conf.max_length == 1200 and [g["code"] for g in conf.gates] == ["political", "facts"]
    assert conf.signers == [cast.world.leader.pk]
    with pytest.raises(Invalid):
        opinion_settings_update(
            actor=cast.office,
            org=cast.world.province,
            max_length=1500,
            title_max_length=60,
            gates="政治关",
            signers=[],
        )
    with pytest.raises(Invalid):
        opinion_settings_update(
            actor=cast.office,
            org=cast.world.province,
            max_length=1500,
            title_max_length=60,
            gates="political:政治关",
            signers=["member"],
        )


def test_figures_count_per_reporter_level_and_month(cast: Cast) -> None:
    year = figures.timezone_year()
    a = published(cast)
    opinion_act(
        actor=cast.office, opinion=a, action="record_adoption", level="province", kind="single"
    )
    opinion_act(
        actor=cast.office,
        opinion=a,
        action="record_instruction",
        leader_level="province",
        leader="省长",
        text="阅",
        date=f"{year}-03-02",
    )
    cast.report(cast.informant)
    city = cast.signed(cast.report(cast.city_member.user, cast.world.city), cast.city_office)
    opinion_act(
        actor=cast.city_office, opinion=city, action="record_adoption", level="city", kind="single"
    )
    opinion_act(actor=cast.city_office, opinion=city, action="report_upward")
    copy = cast.signed(city.upward_copies.get())
    opinion_act(
        actor=cast.office, opinion=copy, action="record_adoption", level="province", kind="single"
    )

    rows = {r.label: r for r in figures.rows_by(cast.world.province, year, "reporter")}
    assert rows["省委员甲"].submitted == 1 and rows["省委员甲"].adopted["province"] == 1
    assert rows["省委员甲"].instructed == 1
    assert rows["特邀信息员"].submitted == 1 and rows["特邀信息员"].rate == 0.0
    city_row = rows["市委员乙"]
    assert city_row.submitted == 1  # the upward copy is not a second submission
    assert city_row.adopted["city"] == 1 and city_row.adopted["province"] == 1
    assert city_row.adopted_any == 1 and city_row.rate == 100.0
    orgs = {r.label: r for r in figures.rows_by(cast.world.province, year, "org")}
    assert orgs["政协测试市委员会"].submitted == 1 and orgs["政协测试省委员会"].submitted == 2
    months = figures.monthly(cast.world.province, year)
    assert sum(m.received for m in months) == 3  # two own reports and the city's copy
    assert sum(m.adopted["province"] for m in months) == 2
    assert months[2].instructed == 1


def test_the_figures_page_takes_a_fixed_number_of_queries(cast: Cast) -> None:
    client = cast.world.client_for(cast.office)
    url = reverse("opinions:figures", args=[cast.world.province.pk])
    published(cast)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _i in range(4):
        published(cast, cast.second.user)
        published(cast, cast.informant)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_upward_copies_of_combined_items_credit_every_reporter_once(cast: Cast) -> None:
    c1 = cast.report(cast.city_member.user, cast.world.city)
    from shangliang.testing import make_member

    other = make_member(cast.world.city, cast.world.terms[cast.world.city.pk], username="cm2")
    c2 = cast.report(other.user, cast.world.city, co_reporters=[cast.city_member.user_id])
    opinion_act(actor=cast.city_office, opinion=c2, action="combine", into=c1.pk)
    c1 = cast.signed(Opinion.objects.get(pk=c1.pk), cast.city_office)
    opinion_act(actor=cast.city_office, opinion=c1, action="report_upward")
    copy = c1.upward_copies.get()
    users = [c.user_id for c in credited(copy.pk)]
    assert sorted(users) == sorted([cast.city_member.user_id, other.user_id])
    assert len(users) == len(set(users))


def test_a_withdrawn_report_leaves_the_figures(cast: Cast) -> None:
    year = figures.timezone_year()
    o = cast.report()
    rows = figures.rows_by(cast.world.province, year, "reporter")
    assert [(r.label, r.submitted) for r in rows] == [("省委员甲", 1)]
    opinion_act(actor=cast.world.member, opinion=o, action="withdraw")
    assert figures.rows_by(cast.world.province, year, "reporter") == []
    assert sum(m.received for m in figures.monthly(cast.world.province, year)) == 0


def test_the_tally_can_be_rebuilt_from_the_records(cast: Cast) -> None:
    from shangliang.opinions.models import Tally
    from shangliang.opinions.tallies import rebuild, rebuild_all

    a = published(cast)
    opinion_act(
        actor=cast.office, opinion=a, action="record_adoption", level="province", kind="single"
    )
    opinion_act(
        actor=cast.office,
        opinion=a,
        action="record_instruction",
        leader_level="province",
        leader="省长",
        text="阅",
        date="2026-03-02",
    )
    cast.report(cast.informant, co_reporters=[cast.second.user_id])
    columns = ("kind", "level", "year", "user_id", "org_id", "origin_id", "sector_id")
    before = sorted(Tally.objects.values_list(*columns))
    Tally.objects.all().delete()
    rebuild()
    assert sorted(Tally.objects.values_list(*columns)) == before
    Tally.objects.all().delete()
    Opinion.objects.update(submitted_month=None)
    assert rebuild_all() == len(before)
    assert sorted(Tally.objects.values_list(*columns)) == before
    assert Opinion.objects.filter(submitted_month__isnull=True).count() == 0


def instructed(cast: Cast) -> Opinion:
    o = published(cast)
    opinion_act(
        actor=cast.office,
        opinion=o,
        action="record_instruction",
        leader_level="province",
        leader="省长",
        text="阅",
        date="2026-03-02",
    )
    return o


def test_the_instruction_scan_is_checked_by_its_content(cast: Cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shangliang.opinions.services.feedback import instruction_attach_scan

    o = instructed(cast)
    inst = o.instructions.get()
    fake = SimpleUploadedFile("批示.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(Invalid):
        instruction_attach_scan(actor=cast.office, opinion=o, instruction_id=inst.pk, upload=fake)
    inst.refresh_from_db()
    assert not inst.scan
    real = SimpleUploadedFile("批示.pdf", b"%PDF-1.4\n%%EOF\n")
    instruction_attach_scan(actor=cast.office, opinion=o, instruction_id=inst.pk, upload=real)
    inst.refresh_from_db()
    assert str(inst.scan.name).endswith(".pdf")


def test_the_scan_page_shows_a_refused_file_and_keeps_nothing(cast: Cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    o = instructed(cast)
    inst = o.instructions.get()
    client = cast.world.client_for(cast.office)
    fake = SimpleUploadedFile("批示.png", b"MZ\x90\x00 not an image")
    r = client.post(
        reverse("opinions:scan_upload", args=[o.pk]),
        {"instruction": inst.pk, "scan": fake},
        follow=True,
    )
    assert "不是允许的文件类型" in r.content.decode()
    inst.refresh_from_db()
    assert not inst.scan
