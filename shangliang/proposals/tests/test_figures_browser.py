"""The figures pages in a real browser on a phone screen: no CSP violation (the bars are inline
SVG drawn on the server), the period fields follow the chosen period, the tables stack."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import screenshot
from shangliang.proposals.tests.figures_setup import build_session, make_cast
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


def test_an_office_reads_the_figures_on_a_phone(phone):
    world = build_world()
    build_session(world, make_cast(world))
    problems = login(phone, "fig_office")
    phone.goto(phone.base_url + "/proposals/figures/")
    expect(phone.locator("#fig-received")).to_have_text("12")
    expect(phone.locator("#fig-reply-rate")).to_have_text("60.0%")
    expect(phone.locator("#figures-report")).to_have_value(
        "本届一次会议以来，共收到提案12件，经审查立案6件，并案1件，不予立案转为意见建议1件，"
        "不予立案1件，撤案1件，退回修改1件，尚在审查1件。已交办5件，已办复3件，办复率60%，"
        "按期答复率60%。提案人对答复的测评中，满意2人次、基本满意1人次、不满意1人次，"
        "满意率50%，基本满意率25%。"
    )
    expect(phone.get_by_label("年度")).to_be_hidden()  # only the session is asked for
    screenshot(phone, "proposals-figures-phone")

    phone.get_by_label("统计期间").select_option("year")
    expect(phone.get_by_label("年度")).to_be_visible()
    expect(phone.get_by_label("会议")).to_be_hidden()
    phone.get_by_role("button", name="统计").click()
    expect(phone.locator("#figures-period")).to_contain_text("年")

    phone.get_by_role("link", name="承办单位排名").click()
    first = phone.locator("#figures-units tbody tr").first
    expect(first).to_contain_text("测试省教育厅")
    screenshot(phone, "proposals-figures-units-phone")
    assert problems == []
