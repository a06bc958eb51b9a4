"""Importing a roster in a real browser, on a phone screen: no inline script or style is
needed (the CSP forbids them), and the result page shows the outcome."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import screenshot
from shangliang.roster.tests.sheets import person, xlsx_bytes
from shangliang.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, username: str) -> list[str]:
    """Log in; returns the list that collects CSP violations reported by the browser."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else 0)
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    return problems


def upload(page: Any, tmp_path: Any, rows: list[dict[str, Any]]) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    page.get_by_label("名册文件（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="上传并校验").click()


def test_an_office_imports_a_roster_on_a_phone(phone, tmp_path):
    world = build_world()
    problems = login(phone, "a_office")
    expect(phone.get_by_role("heading", name="甲县办公室，您好")).to_be_visible()
    phone.goto(phone.base_url + f"/roster/orgs/{world.county_a.pk}/")
    expect(phone.get_by_role("link", name="导出 Excel")).to_be_visible()
    phone.get_by_role("link", name="导入名册").click()
    screenshot(phone, "roster-import-phone")

    upload(phone, tmp_path, [person(1), person(2, 界别="文艺界", 手机号="123")])
    expect(phone.get_by_text("共 2 处错误")).to_be_visible()
    expect(phone.get_by_text("未知界别“文艺界”：请从下拉列表选择。")).to_be_visible()
    screenshot(phone, "roster-import-errors-phone")

    phone.get_by_role("link", name="修改后重新上传").click()
    upload(phone, tmp_path, [person(1), person(2)])
    expect(phone.get_by_text("导入完成。")).to_be_visible()
    expect(phone.get_by_text("新增委员")).to_be_visible()
    screenshot(phone, "roster-import-done-phone")
    phone.get_by_role("link", name="查看名册").click()
    expect(phone.get_by_role("link", name="导入委员2")).to_be_visible()
    assert problems == []


def test_an_office_adds_and_edits_a_member_on_a_phone(phone):
    world = build_world()
    problems = login(phone, "a_office")
    expect(phone.get_by_role("heading", name="甲县办公室，您好")).to_be_visible()
    phone.goto(phone.base_url + f"/roster/orgs/{world.county_a.pk}/")
    phone.get_by_role("link", name="新增委员").click()
    phone.get_by_label("姓名").fill("王伟")
    phone.get_by_label("手机号").fill("139 1234 5678")
    phone.get_by_label("出生年月").fill("1975年3月")
    phone.get_by_label("界别").select_option(label="教育界")
    phone.get_by_label("第一学习组").check()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "roster-member-new-phone")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已新增委员：王伟。")).to_be_visible()
    expect(phone.get_by_text("1975-03")).to_be_visible()

    phone.get_by_role("link", name="编辑").click()
    phone.locator("select#id_position").select_option(label="常委")
    phone.get_by_label("手机号").fill("123")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("手机号“123”无效")).to_be_visible()
    screenshot(phone, "roster-member-edit-error-phone")
    phone.get_by_label("手机号").fill("13912345679")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已保存。")).to_be_visible()
    expect(phone.get_by_text("13912345679")).to_be_visible()
    assert problems == []
