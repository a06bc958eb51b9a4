"""A member's notifications page updates by itself when a notification arrives (server-sent
events through core/live.js, then an htmx refresh of the list)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import screenshot
from shangliang.notifications.services import notification_deliver
from shangliang.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_list_updates_live(page, settings):
    settings.LIVE_HEARTBEAT_SECONDS = 1
    settings.LIVE_MAX_SECONDS = 30
    world = build_world()
    notification_deliver(
        user_id=world.member.pk, kind="k", key="old", title="提案已办结：关于完善社区养老服务的建议"
    )
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名或手机号").fill("member")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(page.base_url + "/notifications/")
    expect(page.locator("[data-testid=unread-badge]")).to_contain_text("1")
    expect(page.locator("#sl-notifications")).to_have_attribute("data-live-state", "open")

    notification_deliver(
        user_id=world.member.pk,
        kind="proposal.reviewed",
        key="new",
        title="提案审查结果：关于加强农村养老服务体系建设的建议（已立案）",
        link="/proposals/",
    )
    expect(page.get_by_text("关于加强农村养老服务体系建设的建议")).to_be_visible()
    expect(page.locator("#sl-notifications")).to_contain_text("2 条未读")
    screenshot(page, "notifications")

    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator("#sl-notifications")).to_contain_text("0 条未读")
    expect(page.locator("[data-testid=unread-badge]")).to_have_count(0)
