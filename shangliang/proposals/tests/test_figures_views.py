"""The figures pages and the Excel export: who may see them, what they show, the same numbers
in the file, and a query count that does not grow with the proposals."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shangliang.accounts.models import Role
from shangliang.core.models import AuditEvent
from shangliang.proposals.tests.figures_setup import (
    build_session,
    make_cast,
    more_proposals,
    submitted,
)
from shangliang.testing import World, make_role

FIGURES = reverse("proposals:figures")
UNITS = reverse("proposals:figures_units")
EXPORT = reverse("proposals:figures_export")


@pytest.fixture
def cast(world):
    return make_cast(world)


@pytest.fixture
def built(world, cast):
    return build_session(world, cast)


def get(world: World, user: Any, url: str, **params: Any) -> Any:
    return world.client_for(user).get(url, params)


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_it_shows_the_office_the_session_figures(world, cast, built):
    response = get(world, cast.office, FIGURES)
    assert response.status_code == 200
    page = text(response)
    assert 'id="fig-received">12<' in page and 'id="fig-accepted">6<' in page
    assert 'id="fig-reply-rate">60.0%<' in page and 'id="fig-on-time-rate">60.0%<' in page
    assert 'id="fig-satisfaction-rate">50.0%<' in page and 'id="fig-basic-rate">25.0%<' in page
    assert "本届一次会议以来，共收到提案12件，经审查立案6件" in page
    for title in ("按类别", "按界别（第一提案人）", "按专委会（第一提案人）", "按提案类型"):
        assert title in page
    assert "统计口径" in page and "办复率" in page
    assert "按政协" not in page  # only when lower committees are included


def test_it_lets_leaders_and_admins_of_the_committee_or_above_in(world, cast, built):
    for user in (world.leader, world.admin):
        assert get(world, user, FIGURES).status_code == 200
    county_office = make_role(world.county_a, Role.Kind.PROPOSAL_OFFICE, username="a_prop")
    assert get(world, county_office, FIGURES).status_code == 200  # its own county
    assert get(world, world.county_a_leader, FIGURES, org=world.county_a.pk).status_code == 200
    # the province reaches the county below it
    assert get(world, cast.office, FIGURES, org=world.county_a.pk).status_code == 200


def test_it_hides_the_figures_from_everyone_else(world, cast, built):
    county_office = make_role(world.county_a, Role.Kind.PROPOSAL_OFFICE, username="a_prop")
    for url in (FIGURES, UNITS, EXPORT):
        assert get(world, county_office, url, org=world.province.pk).status_code == 404
        assert get(world, county_office, url, org=world.county_b.pk).status_code == 404
        for user in (world.member, world.general_office, world.unit_user, world.public):
            assert get(world, user, url).status_code == 404
            assert get(world, user, url, org=world.province.pk).status_code == 404
    assert get(world, cast.office, FIGURES, org="x").status_code == 404
    assert world.client_for(world.member).get(FIGURES).status_code == 404
    assert AuditEvent.objects.filter(action="proposals.figures_exported").count() == 0


def test_it_asks_anonymous_visitors_to_log_in(world):
    from django.test import Client

    assert Client().get(FIGURES).status_code == 302


def test_it_counts_a_year_with_lower_committees(world, cast, built):
    county_session = world.terms[world.county_a.pk].sessions.get()
    submitted(world.county_a, county_session, world.county_a_member_m, "经济")
    year = built["p1"].submitted_at.astimezone().year
    response = get(world, cast.office, FIGURES, period="year", year=year, lower="on")
    page = text(response)
    assert 'id="fig-received">13<' in page and "按政协" in page and "政协甲县委员会" in page
    assert f"{year}年，共收到提案13件" in page
    own = get(world, cast.office, FIGURES, period="year", year=year)
    assert 'id="fig-received">12<' in text(own)
    # with a session the lower committees (which have their own sessions) are not included
    by_session = get(world, cast.office, FIGURES, period="session", lower="on")
    assert 'id="fig-received">12<' in text(by_session) and "按政协" not in text(by_session)


def test_it_falls_back_to_the_defaults_on_bad_input(world, cast, built):
    other_session = world.terms[world.county_a.pk].sessions.get()
    response = get(
        world, cast.office, FIGURES, period="decade", session=other_session.pk, year="abc"
    )
    assert response.status_code == 200
    page = text(response)
    assert "部分条件无效" in page and 'id="fig-received">12<' in page


def test_it_ranks_the_units(world, cast, built):
    response = get(world, cast.office, UNITS)
    assert response.status_code == 200
    page = text(response)
    names = re.findall(r"测试省\w+?(?:厅|委)", page.split('id="figures-units"')[1])
    assert names == ["测试省教育厅", "测试省卫生健康委", "测试省交通运输厅"]
    assert "<svg" in page  # the bars of the rates


def test_the_pages_need_no_inline_script_or_style(world, cast, built):
    for url in (FIGURES, UNITS):
        page = get(world, cast.office, url).content.decode()
        assert "style=" not in page
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_it_exports_every_table_with_the_same_numbers(world, cast, built):
    response = get(world, cast.office, EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == [
        "概况",
        "按类别",
        "按界别（第一提案人）",
        "按专委会（第一提案人）",
        "按提案类型",
        "大会提案和平时提案",
        "承办单位排名",
        "口径说明",
    ]
    summary = {r[0]: r[1] for r in wb["概况"].iter_rows(values_only=True) if r and r[0]}
    assert (summary["收到"], summary["立案"], summary["并案"], summary["已办复"]) == (12, 6, 1, 3)
    assert (summary["办复率（%）"], summary["按期答复率（%）"]) == (60.0, 60.0)
    assert (summary["满意率（%）"], summary["基本满意率（%）"]) == (50.0, 25.0)
    assert summary["工作报告用语"].startswith("本届一次会议以来，共收到提案12件")

    rows = list(wb["按类别"].iter_rows(values_only=True))
    header, body = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[:3] == ("分组", "收到", "立案")
    assert body["经济"]["收到"] == 2 and body["经济"]["按期答复率（%）"] == 33.3
    assert body["合计"]["收到"] == 12 and body["文化"]["办复率（%）"] is None

    units = list(wb["承办单位排名"].iter_rows(values_only=True))
    assert [(r[0], r[1]) for r in units[1:]] == [
        (1, "测试省教育厅"),
        (2, "测试省卫生健康委"),
        (3, "测试省交通运输厅"),
    ]
    event = AuditEvent.objects.get(action="proposals.figures_exported")
    assert event.actor == cast.office and event.org == world.province
    assert event.data["period"] == "session" and event.data["session"] == cast.session.pk


def test_the_pages_query_count_does_not_grow_with_the_proposals(world, cast, built):
    client = world.client_for(cast.office)

    def queries(url: str) -> int:
        client.get(url)  # warm the session and the per-request caches alike
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = {url: queries(url) for url in (FIGURES, UNITS, EXPORT)}
    more_proposals(world, cast, 5)
    after = {url: queries(url) for url in (FIGURES, UNITS, EXPORT)}
    assert after == before
