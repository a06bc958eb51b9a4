"""The administrator's pages in a real browser, on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import screenshot
from shangliang.orgs.models import Group
from shangliang.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_an_administrator_adds_a_work_group_on_a_phone(phone):
    world = build_world()
    login(phone, "admin")
    expect(phone.get_by_role("heading", name="管理员，您好")).to_be_visible()
    phone.goto(phone.base_url + f"/orgs/{world.county_a.pk}/manage/")
    expect(phone.get_by_role("heading", name=world.county_a.name)).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "org-manage-phone")

    phone.goto(phone.base_url + f"/orgs/{world.county_a.pk}/manage/groups/new/")
    sector, region = phone.get_by_label("界别"), phone.get_by_label("片区")
    phone.get_by_label("类型").select_option("study")
    expect(region).to_be_visible()
    expect(sector).to_be_hidden()
    phone.get_by_label("类型").select_option("work")
    expect(sector).to_be_visible()
    expect(region).to_be_hidden()
    phone.get_by_label("名称").fill("教育界工作组")
    sector.select_option(label="教育界")
    screenshot(phone, "org-manage-group-phone")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_role("alert")).to_contain_text("已新增：教育界工作组")
    expect(phone.get_by_role("link", name="教育界工作组")).to_be_visible()
    group = Group.objects.select_related("sector").get(name="教育界工作组")
    assert group.sector is not None and group.sector.name == "教育界"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the list scrolls sideways on a phone ({width}px)"
    screenshot(phone, "org-manage-groups-phone")


def test_the_calendar_checks_a_deadline_in_place(page):
    build_world()
    login(page, "admin")
    expect(page.get_by_role("heading", name="管理员，您好")).to_be_visible()
    page.goto(page.base_url + "/calendar/?year=2026")
    page.once("dialog", lambda d: d.accept())  # data-confirm asks first
    page.get_by_role("button", name="载入2026年官方节假日安排").click()
    expect(page.get_by_role("alert")).to_contain_text("已载入2026年官方节假日安排")
    page.get_by_label("起算日期").fill("2026-09-30")
    page.get_by_label("工作日数").fill("5")
    page.get_by_role("button", name="计算").click()
    expect(page.locator("#calendar-check")).to_contain_text("2026年10月13日")
    assert page.url.endswith("/calendar/?year=2026")  # htmx: the page did not reload
    screenshot(page, "calendar")
