"""The duty pages in a real browser: a member reads their archive on a phone (no CSP
violation: the bars are server-drawn SVG), staff switch the scoring preset and watch the
recompute finish, and the meeting board."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import screenshot
from shangliang.duty.ledger import Line, ledger_sync
from shangliang.duty.tests.cast import second
from shangliang.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, username: str) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else 0)
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    return problems


def _points(world: Any) -> None:
    now = timezone.now()
    ledger_sync(
        source_type="meetings.attendance",
        source_id=1,
        items=["attend.plenary"],
        lines=[Line(world.member_m.pk, "attend.plenary", now)],
        label="省政协全体会议",
    )
    ledger_sync(
        source_type="proposals.proposal",
        source_id=1,
        items=["proposal.submitted", "proposal.accepted"],
        lines=[
            Line(world.member_m.pk, "proposal.submitted", now),
            Line(world.member_m.pk, "proposal.accepted", now),
        ],
        label="关于加快建设职业教育实训基地的建议",
    )


def test_a_member_reads_their_archive_on_a_phone(phone):
    world = build_world()
    second(world)
    _points(world)
    problems = login(phone, "member")
    phone.goto(phone.base_url + "/duty/")
    expect(phone.locator("#duty-score")).to_have_text("25")
    expect(phone.locator("#duty-grade")).to_have_text("不称职")
    expect(phone.locator('[data-requirement="proposal"]')).to_contain_text("✓")
    expect(phone.locator('[data-requirement="training"]')).to_contain_text("✗")
    expect(phone.locator("#duty-timeline li")).to_have_count(3)
    screenshot(phone, "duty-member-phone")
    assert problems == []


def test_staff_switch_the_preset_and_the_scores_follow(page):
    world = build_world()
    _points(world)
    problems = login(page, "admin")
    page.goto(page.base_url + f"/duty/orgs/{world.province.pk}/rules/")
    screenshot(page, "duty-rules")
    page.get_by_label("方案", exact=True).select_option("tongcheng2019")
    page.get_by_role("button", name="套用并重算").click()
    expect(page.locator("#recompute")).to_contain_text("已完成")
    page.goto(page.base_url + f"/duty/orgs/{world.province.pk}/")
    expect(page.locator("#ranking tbody tr").first).to_contain_text("75")  # 50 + 10 + 15
    screenshot(page, "duty-org")
    assert problems == []
