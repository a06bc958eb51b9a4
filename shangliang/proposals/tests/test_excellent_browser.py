"""In a real browser: the proposal office prints a proposal and nominates it as excellent,
reviews it; a leader confirms it on a phone; the office publishes it and the public portal
shows it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import screenshot
from shangliang.proposals.excellent_models import ExcellentNomination
from shangliang.proposals.tests.member_office_cast import TITLE, accepted, office_of
from shangliang.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_proposal_is_printed_nominated_confirmed_and_published(page, phone):
    world = build_world()
    office = office_of(world)
    p = accepted(world, office)

    login(page, office.username)
    page.goto(f"{page.base_url}/proposals/{p.pk}/")
    pdf = page.request.get(page.base_url + page.locator("#proposal-pdf").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    page.locator("#proposal-nominate").click()
    page.get_by_label("提名理由").fill("选题精准，建议具体可行，办理成效显著。")
    page.get_by_role("button", name="提名").last.click()
    expect(page.get_by_role("alert")).to_contain_text("已提名")
    page.get_by_role("button", name="初评").click()
    page.get_by_label("初评结果").select_option("approve")
    page.get_by_role("button", name="确认初评").click()
    expect(page.locator("#nomination-status")).to_have_text("初评通过")
    screenshot(page, "excellent-office")

    login(phone, "leader")
    phone.goto(phone.base_url + "/proposals/excellent/")
    phone.get_by_role("link", name="初评通过").click()
    expect(phone.get_by_text(TITLE)).to_be_visible()
    phone.get_by_label(f"选择“{TITLE}”").check()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the list scrolls sideways on a phone ({width}px)"
    screenshot(phone, "excellent-leader-phone")
    phone.once("dialog", lambda d: d.accept())  # data-confirm asks first
    phone.get_by_role("button", name="确定所选为优秀提案").click()
    expect(phone.get_by_role("alert")).to_contain_text("已办理 1 件")
    assert ExcellentNomination.objects.get().status == ExcellentNomination.Status.CONFIRMED

    page.goto(page.base_url + "/proposals/excellent/?status=confirmed")
    page.get_by_label(f"选择“{TITLE}”").check()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="公布所选优秀提案").click()
    expect(page.get_by_role("alert")).to_contain_text("已办理 1 件")

    phone.goto(phone.base_url + "/proposals/public/")
    expect(phone.locator("#portal-excellent")).to_contain_text(TITLE)
    expect(phone.locator("#portal-excellent")).to_contain_text("省委员甲（教育界）")
    screenshot(phone, "excellent-portal-phone")
