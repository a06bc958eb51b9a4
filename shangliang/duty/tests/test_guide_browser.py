"""The duty and meetings pages on the demo province, as the guides show them (the
screenshots in docs/guides/img come from here): member1's archive on a phone with points
from every source, member3 lacking every minimum, the ranking with the exit warning, the
rules page, and the meeting board with a QR code that loads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from shangliang.accounts.models import Membership
from shangliang.meetings.models import Meeting
from shangliang.orgs.models import Organization
from shangliang.web.demo import PASSWORD, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GUIDE_IMG = Path(__file__).resolve().parents[3] / "docs" / "guides" / "img"


def login(page: Any, username: str) -> list[str]:
    problems: list[str] = []
    page.context.clear_cookies()
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else 0)
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    return problems


def shot(page: Any, name: str) -> None:
    GUIDE_IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(GUIDE_IMG / f"{name}.png"), full_page=True)


def test_the_demo_duty_pages(page: Any, phone: Any, settings: Any) -> None:
    settings.DEBUG = True
    seed_demo()
    province = Organization.objects.get(level=1)
    m1 = Membership.objects.get(user__username="member1")

    problems = login(phone, "member1")
    phone.goto(phone.base_url + "/duty/")
    expect(phone.locator("#duty-grade")).to_have_text("优秀")
    expect(phone.locator('[data-item="proposal.key"]')).to_be_visible()
    expect(phone.locator('[data-item="opinion.submitted"]')).to_be_visible()
    expect(phone.locator('[data-item="attend.plenary"]')).to_contain_text("封顶")
    shot(phone, "duty-member-archive-phone")
    phone.goto(phone.base_url + "/duty/report/")
    expect(phone.get_by_label("述职内容")).to_contain_text("年度履职情况报告")
    shot(phone, "duty-report-phone")
    assert problems == []

    login(page, "member3")
    page.goto(page.base_url + "/duty/")
    expect(page.locator('#duty-minimums [data-met="0"]')).to_have_count(6)
    shot(page, "duty-member3-minimums")

    problems = login(page, "admin")
    page.goto(page.base_url + f"/duty/orgs/{province.pk}/")
    expect(page.locator("#ranking tbody tr").first).to_contain_text(m1.user.display_name)
    expect(page.locator("#exit-flags li").first).to_contain_text("无故缺席全体会议")
    shot(page, "duty-org-ranking")
    page.goto(page.base_url + f"/duty/orgs/{province.pk}/rules/")
    expect(page.locator("#rules-table")).to_be_visible()
    shot(page, "duty-rules")
    page.goto(page.base_url + f"/duty/orgs/{province.pk}/entries/")
    shot(page, "duty-entries")
    assert problems == []

    problems = login(page, "committee_office")
    first = Meeting.objects.filter(kind="plenary", status="finalized").order_by("starts_at")[0]
    page.goto(page.base_url + f"/meetings/{first.pk}/")
    expect(page.locator("#board")).to_contain_text("无故缺席")
    shot(page, "meetings-board")
    coming = Meeting.objects.get(status="planned")
    page.goto(page.base_url + f"/meetings/{coming.pk}/")
    expect(page.locator("#leaves")).to_contain_text("待审批")
    qr = page.get_by_alt_text("签到二维码")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 100  # the SVG loads
    shot(page, "meetings-leave-qr")
    page.goto(page.base_url + "/meetings/")
    shot(page, "meetings-list")
    assert problems == []
