"""In a real browser: a unit signs for a proposal, records the contact and drafts the reply;
after the office's audit, the member rates the reply on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import screenshot
from shangliang.core.workflow import transition
from shangliang.proposals.models import Assignment, Rating
from shangliang.proposals.tests.unit_cast import make_cast
from shangliang.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_unit_handles_and_a_member_rates_in_the_browser(page, phone):
    cast = make_cast(build_world())
    a = cast.sole()
    login(page, "unit")
    page.get_by_role("link", name="待签收提案").click()
    expect(page.get_by_role("heading", name="承办提案")).to_be_visible()
    screenshot(page, "unit-inbox")
    page.get_by_role("link", name=a.proposal.title).click()
    expect(page.get_by_role("heading", name=a.proposal.title)).to_be_visible()
    page.get_by_role("button", name="签收").first.click()
    page.locator("#action-sign_for.show").get_by_role("button", name="确认签收").click()
    expect(page.get_by_role("alert")).to_contain_text("已执行：签收")

    page.get_by_role("button", name="记录办前沟通").click()
    panel = page.locator("#action-record_contact.show")
    panel.get_by_label("日期").fill("2026-12-01")
    panel.get_by_label("方式").select_option("visit")
    panel.get_by_label("沟通对象").fill("省委员甲")
    panel.get_by_label("情况").fill("上门听取意见，委员同意分步解决")
    panel.get_by_role("button", name="确认记录办前沟通").click()
    expect(page.get_by_text("上门听取意见，委员同意分步解决", exact=True)).to_be_visible()

    page.get_by_role("button", name="拟写答复").click()
    panel = page.locator("#action-draft_reply.show")
    panel.get_by_label("办理结果").select_option("B")
    panel.get_by_label("答复内容").fill("我厅已会同有关部门制定工作方案，正在推进。")
    panel.get_by_role("button", name="确认拟写答复").click()
    expect(page.get_by_role("alert")).to_contain_text("已执行：拟写答复")
    expect(page.locator(".badge", has_text="答复待审核").first).to_be_visible()
    screenshot(page, "unit-assignment")

    transition(Assignment.objects.get(pk=a.pk), "approve_reply", actor=cast.office)

    login(phone, "member")
    phone.get_by_role("link", name="待我测评的答复").click()
    expect(phone.get_by_text("我厅已会同有关部门制定工作方案，正在推进。")).to_be_visible()
    phone.get_by_label("基本满意", exact=True).check()
    phone.get_by_label("是", exact=True).check()
    phone.get_by_label("意见").fill("希望加快进度")
    screenshot(phone, "member-rating-form-phone")
    phone.get_by_role("button", name="提交测评").click()
    expect(phone.get_by_role("alert")).to_contain_text("测评已提交")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "member-rating-phone")
    assert Rating.objects.get().value == "basically_satisfied"
