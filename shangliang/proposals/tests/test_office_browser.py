"""In a real browser: a member drafts a joint proposal (autosaved), invites a cosigner who
confirms on a phone, and the proposal office accepts it through three stages and assigns it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import screenshot
from shangliang.accounts.models import Role
from shangliang.proposals.models import Assignment, Cosigner, Proposal
from shangliang.testing import PASSWORD, build_world, make_member, make_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于推进县域义务教育优质均衡发展的建议"


def login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_joint_proposal_from_draft_to_assignment(page, phone):
    world = build_world()
    make_member(world.province, world.terms[world.province.pk], username="member2", name="省委员乙")
    make_role(world.province, Role.Kind.PROPOSAL_OFFICE, username="p_office", name="提案处")

    login(page, "member")
    page.get_by_role("link", name="我的提案").first.click()
    page.get_by_role("link", name="撰写提案").click()
    page.get_by_label("提案类型").select_option("joint")
    page.get_by_label("案由").fill(TITLE)
    expect(page.locator("#autosave-status")).to_contain_text("已自动保存", timeout=15000)
    expect(page).to_have_url(re.compile(r"/proposals/\d+/edit/$"))
    page.get_by_label("情况与问题").fill("县域内城乡学校办学条件差距较大。")
    page.get_by_label("具体建议").fill("一是统筹教师编制；二是加大薄弱学校投入。")
    page.get_by_label("类别").select_option("社会")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("alert")).to_contain_text("草稿已保存")
    assert Proposal.objects.count() == 1

    page.get_by_label("按姓名查找委员").fill("省委员乙")
    page.get_by_role("button", name="邀请").click()
    expect(page.locator("#cosigners-body")).to_contain_text("待确认")
    screenshot(page, "proposal-draft")
    page.get_by_role("button", name="提交提案").click()
    expect(page.get_by_role("alert")).to_contain_text("提案已提交")
    expect(page.locator(".badge", has_text="审查中").first).to_be_visible()

    login(phone, "member2")
    phone.get_by_role("link", name="联名邀请待确认").click()
    expect(phone.get_by_role("link", name=TITLE)).to_be_visible()
    phone.get_by_role("button", name="确认联名").click()
    expect(phone.get_by_role("alert")).to_contain_text("已执行：确认联名")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "proposal-cosign-phone")
    assert Cosigner.objects.get().status == Cosigner.Status.CONFIRMED

    page.context.clear_cookies()
    login(page, "p_office")
    page.get_by_role("link", name="提案审查").first.click()
    for stage in ("初审", "复审", "终审"):
        page.get_by_role("link", name=re.compile(f"待{stage}")).click()
        page.get_by_role("link", name="审查", exact=True).click()
        expect(page.get_by_role("heading", name=f"审查：{stage}")).to_be_visible()
        page.get_by_label("审查结果").select_option("accept")
        page.get_by_role("button", name="提交审查意见").click()
        expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("已立案")
    screenshot(page, "proposal-office-queue")

    page.get_by_role("link", name=re.compile("已立案待交办")).click()
    page.get_by_role("link", name="交办", exact=True).click()
    page.get_by_label("独办").check()
    page.get_by_label("测试省教育厅").check()
    page.get_by_role("button", name="确认交办").click()
    expect(page.get_by_role("alert")).to_contain_text("已交办")
    p = Proposal.objects.get()
    assert p.status == Proposal.Status.HANDLING and p.number == 1
    assert Assignment.objects.get(proposal=p).role == "sole"
