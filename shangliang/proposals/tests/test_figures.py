"""The figures' numbers: exact counts and rates for a known set of proposals, the periods, the
league table of units, and one query per table whatever the number of proposals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shangliang.orgs.models import Session, Term
from shangliang.proposals import figures
from shangliang.proposals.figures_report import chinese_number, period_label, report_text
from shangliang.proposals.figures_rows import Row
from shangliang.proposals.models import Proposal
from shangliang.proposals.tests.figures_setup import (
    Cast,
    build_session,
    make_cast,
    more_proposals,
    submitted,
)
from shangliang.testing import World


@pytest.fixture
def cast(world):
    return make_cast(world)


@pytest.fixture
def built(world, cast):
    return build_session(world, cast)


def session_scope(world: World, cast: Cast) -> figures.Scope:
    return figures.Scope(org=world.province, period="session", session=cast.session)


def by_label(rows: list[Row]) -> dict[str, Row]:
    return {r.label: r for r in rows}


def test_it_counts_a_session_exactly(world, cast, built):
    t = figures.totals(session_scope(world, cast))
    assert (t.received, t.accepted, t.merged, t.converted, t.rejected) == (12, 6, 1, 1, 1)
    assert (t.withdrawn, t.returned, t.in_review) == (1, 1, 1)
    assert t.received == sum(
        (t.accepted, t.merged, t.converted, t.rejected, t.withdrawn, t.returned, t.in_review)
    )
    # p1..p5 have a replying unit; p1, p2 and p5 (after its second handling) are replied
    assert (t.assigned, t.replied, t.reply_rate) == (5, 3, 60.0)
    # 4 replies (one late) and one overdue without a reply: 3 on time out of 5
    assert (t.replied_assignments, t.on_time, t.overdue, t.on_time_rate) == (4, 3, 1, 60.0)
    # final rounds only: p1 ×2 满意, p2 基本满意, p5 second round 不满意 (not its first round)
    assert (t.satisfied, t.basically, t.dissatisfied) == (2, 1, 1)
    assert (t.satisfaction_rate, t.basic_rate) == (50.0, 25.0)


def test_it_breaks_the_session_down(world, cast, built):
    scope = session_scope(world, cast)
    category = by_label(figures.by_category(scope))
    assert list(category) == ["社会", "其他", "经济", "文化"]  # most received first
    economy = category["经济"]
    assert (economy.received, economy.accepted, economy.assigned, economy.replied) == (2, 2, 2, 1)
    assert (economy.reply_rate, economy.on_time_rate, economy.basic_rate) == (50.0, 33.3, 100.0)
    society = category["社会"]
    assert (society.received, society.merged, society.converted) == (5, 1, 1)
    assert (society.satisfied, society.dissatisfied, society.satisfaction_rate) == (2, 1, 66.7)
    assert category["文化"].reply_rate is None  # accepted, not assigned: nothing to divide by

    sector = by_label(figures.by_sector(scope))
    assert (sector["经济界"].received, sector["教育界"].received) == (1, 11)
    assert (sector["经济界"].on_time_rate, sector["经济界"].basically) == (0.0, 1)
    committee = by_label(figures.by_committee(scope))
    assert (committee["提案委员会"].received, committee["未参加专委会"].received) == (1, 11)

    kind = by_label(figures.by_kind(scope))
    assert (kind["联名提案"].received, kind["个人提案"].received) == (1, 11)
    plenary = by_label(figures.by_plenary(scope))
    assert (plenary["大会提案"].received, plenary["平时提案"].received) == (11, 1)
    assert plenary["平时提案"].in_review == 1


def test_it_ranks_units_by_on_time_replies_then_satisfaction(world, cast, built):
    rows = figures.units(session_scope(world, cast))
    assert [(r.rank, r.name) for r in rows] == [
        (1, "测试省教育厅"),  # 2 of 2 on time, 100% satisfied
        (2, "测试省卫生健康委"),  # 1 of 1 on time, 0% satisfied
        (3, "测试省交通运输厅"),  # one late, one overdue
    ]
    edu, health, transport = rows
    assert (edu.assignments, edu.co, edu.replied_assignments, edu.on_time) == (3, 0, 2, 2)
    assert (edu.on_time_rate, edu.satisfaction_rate) == (100.0, 100.0)
    assert (health.assignments, health.co, health.dissatisfied) == (1, 1, 1)
    assert (health.on_time_rate, health.satisfaction_rate) == (100.0, 0.0)
    assert (transport.assignments, transport.on_time, transport.overdue) == (2, 0, 1)
    assert (transport.on_time_rate, transport.basic_rate) == (0.0, 100.0)


def test_it_writes_the_report_paragraph(world, cast, built):
    scope = session_scope(world, cast)
    assert report_text(scope, figures.totals(scope)) == (
        "本届一次会议以来，共收到提案12件，经审查立案6件，并案1件，不予立案转为意见建议1件，"
        "不予立案1件，撤案1件，退回修改1件，尚在审查1件。已交办5件，已办复3件，办复率60%，"
        "按期答复率60%。提案人对答复的测评中，满意2人次、基本满意1人次、不满意1人次，"
        "满意率50%，基本满意率25%。"
    )


def test_it_names_the_period():
    assert [chinese_number(n) for n in (1, 5, 10, 12, 20, 23)] == [
        "一",
        "五",
        "十",
        "十二",
        "二十",
        "二十三",
    ]
    old = Term(name="第十二届", is_current=False)
    session = Session(term=old, number=3)
    assert period_label(figures.Scope(org=None, period="session", session=session)) == (  # type: ignore[arg-type]
        "第十二届三次会议"
    )
    assert period_label(figures.Scope(org=None, period="year", year=2026)) == "2026年"  # type: ignore[arg-type]


def test_it_counts_a_term_and_leaves_other_sessions_and_terms_out(world, cast, built):
    term = world.terms[world.province.pk]
    second = Session.objects.create(
        term=term,
        number=2,
        name="二次会议",
        opens_on=dt.date(2028, 1, 10),
        closes_on=dt.date(2028, 1, 14),
        proposal_deadline=dt.datetime(2028, 1, 12, 10, tzinfo=dt.UTC),
    )
    submitted(world.province, second, world.member_m, "经济")
    old_term = Term.objects.create(
        org=world.province, number=0, name="上一届", starts_on=dt.date(2018, 1, 1)
    )
    old_session = Session.objects.create(
        term=old_term,
        number=5,
        name="五次会议",
        opens_on=dt.date(2022, 1, 10),
        closes_on=dt.date(2022, 1, 14),
        proposal_deadline=dt.datetime(2022, 1, 12, 10, tzinfo=dt.UTC),
    )
    submitted(world.province, old_session, world.member_m, "经济")

    assert figures.totals(session_scope(world, cast)).received == 12
    in_second = figures.Scope(org=world.province, period="session", session=second)
    assert figures.totals(in_second).received == 1
    whole_term = figures.Scope(org=world.province, period="term", term=term)
    assert figures.totals(whole_term).received == 13
    assert (
        figures.totals(figures.Scope(org=world.province, period="term", term=old_term)).received
        == 1
    )


def test_it_counts_a_calendar_year_in_beijing_time(world, cast, built):
    Proposal.objects.filter(org=world.province, submitted_at__isnull=False).update(
        submitted_at=dt.datetime(2026, 6, 1, 2, tzinfo=dt.UTC)
    )
    new_year = dt.datetime(2025, 12, 31, 16, 30, tzinfo=dt.UTC)  # 2026-01-01 00:30 in Beijing
    Proposal.objects.filter(pk=built["p1"].pk).update(submitted_at=new_year)
    old_year = dt.datetime(2025, 12, 31, 15, 30, tzinfo=dt.UTC)  # 2025-12-31 23:30 in Beijing
    Proposal.objects.filter(pk=built["p2"].pk).update(submitted_at=old_year)

    def year(n: int) -> Row:
        return figures.totals(figures.Scope(org=world.province, period="year", year=n))

    assert (year(2025).received, year(2025).accepted, year(2025).basically) == (1, 1, 1)
    assert (year(2026).received, year(2026).accepted) == (11, 5)
    assert year(2027).received == 0 and year(2027).reply_rate is None


def test_it_includes_lower_committees_only_when_asked(world, cast, built):
    county_session = world.terms[world.county_a.pk].sessions.get()
    submitted(world.county_a, county_session, world.county_a_member_m, "经济")
    year = timezone.localdate().year  # everything was submitted just now
    own = figures.Scope(org=world.province, period="year", year=year)
    everything = figures.Scope(org=world.province, period="year", year=year, lower=True)
    assert figures.totals(own).received == 12
    assert figures.totals(everything).received == 13
    orgs = by_label(figures.by_org(everything))
    assert (orgs["政协测试省委员会"].received, orgs["政协甲县委员会"].received) == (12, 1)
    assert [key for key, _title, _rows in figures.breakdowns(everything)][0] == "org"
    county = figures.Scope(org=world.county_a, period="session", session=county_session)
    assert figures.totals(county).received == 1


def test_it_needs_a_fixed_number_of_queries_per_table(world, cast, built):
    scope = session_scope(world, cast)
    tables = [
        figures.totals,
        figures.by_category,
        figures.by_sector,
        figures.by_committee,
        figures.by_kind,
        figures.by_plenary,
        figures.by_org,
        figures.units,
    ]

    def counts() -> list[int]:
        found = []
        for table in tables:
            with CaptureQueriesContext(connection) as ctx:
                table(scope)
            found.append(len(ctx.captured_queries))
        return found

    # one query per source table: proposals, assignments, ratings (units: assignments, ratings)
    assert counts() == [3] * 7 + [2]
    more_proposals(world, cast, 4)
    assert counts() == [3] * 7 + [2]
    assert figures.totals(scope).received == 16
