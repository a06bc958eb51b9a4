"""The foundation in a real browser: log in, the home page, the roster, a phone screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import screenshot
from shangliang.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_it_logs_in_and_shows_the_home_page(page):
    build_world()
    page.goto(page.base_url + "/")
    expect(page.get_by_role("heading", name="商量 · 政协履职平台")).to_be_visible()
    screenshot(page, "landing")
    login(page, "a_office")
    expect(page.get_by_role("heading", name="甲县办公室，您好")).to_be_visible()
    expect(page.get_by_text("待办事项")).to_be_visible()
    screenshot(page, "home-office")


def test_a_wrong_password_says_so(page):
    build_world()
    login(page, "member", "wrong-password")
    expect(page.get_by_role("alert")).to_contain_text("用户名（手机号）或密码不正确")


def test_an_office_suspends_a_member_in_the_browser(page):
    world = build_world()
    login(page, "a_office")
    expect(page.get_by_role("heading", name="甲县办公室，您好")).to_be_visible()
    page.goto(page.base_url + f"/roster/orgs/{world.county_a.pk}/")
    page.get_by_role("link", name="甲县委员").click()
    expect(page.get_by_role("heading", name="甲县委员", exact=True)).to_be_visible()
    page.get_by_role("button", name="暂停履职").click()
    panel = page.locator("#action-suspend.show")
    expect(panel).to_be_visible()
    panel.get_by_label("原因").fill("连续三次无故缺席常委会议")
    panel.get_by_label("生效日期").fill("2026-12-01")
    panel.get_by_role("button", name="确认暂停履职").click()
    expect(page.get_by_role("alert")).to_contain_text("已执行：暂停履职")
    expect(page.locator(".badge", has_text="暂停履职").first).to_be_visible()
    screenshot(page, "membership-suspended")


def test_the_roster_works_on_a_phone(phone):
    world = build_world()
    login(phone, "office")
    expect(phone.get_by_role("heading", name="办公厅，您好")).to_be_visible()
    phone.goto(phone.base_url + f"/roster/orgs/{world.county_a.pk}/")
    expect(phone.get_by_role("heading", name=f"委员名册 · {world.county_a.name}")).to_be_visible()
    expect(phone.get_by_role("link", name="甲县委员")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "roster-phone")
    # the navigation collapses behind the toggler on a phone
    nav_link = phone.get_by_role("link", name="委员名册")
    expect(nav_link).to_be_hidden()
    phone.get_by_role("button", name="展开菜单").click()
    expect(nav_link).to_be_visible()
