"""In a real browser, the issue's "done when": member writes a report at the province (topic
guide and similar reports beside the form), the information office edits it (original beside
the edited text, differences marked), passes the five gates, signs off, publishes it in an
issue, records an adoption and a leader's instruction and sends the feedback; the member
reads the feedback and finds the duty event in the duty record."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import screenshot
from shangliang.opinions.models import Opinion
from shangliang.opinions.services import opinion_act, opinion_save_draft
from shangliang.opinions.services.feedback import topic_guide_publish
from shangliang.opinions.tests.cast import TEXT
from shangliang.testing import PASSWORD, build_world, opinion_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GUIDE_IMG = Path(__file__).resolve().parents[3] / "docs" / "guides" / "img"
GATES = ("政治关", "事实关", "选题关", "内容关", "文字关")


def login(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def shot(page: Any, name: str) -> None:
    path = screenshot(page, name)
    GUIDE_IMG.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, GUIDE_IMG / f"{name}.png")


def act(page: Any, name: str, label: str, fill: dict[str, str] | None = None) -> None:
    """Open an action's form on the report's page, fill it and confirm."""
    page.get_by_role("button", name=label, exact=True).click()
    form = page.locator(f"#action-{name} form")
    expect(form).to_be_visible()
    for field, value in (fill or {}).items():
        box = form.get_by_label(field)
        if box.evaluate("e => e.tagName") == "SELECT":
            box.select_option(label=value)
        else:
            box.fill(value)
    form.get_by_role("button", name=f"确认{label}").click()
    # the next page may take a while when the machine runs other tests in parallel
    expect(page.locator(".alert").first).to_contain_text(f"已执行：{label}", timeout=20_000)


def test_a_report_from_writing_to_feedback(page: Any) -> None:
    world = opinion_personas(build_world())
    topic_guide_publish(
        actor=world.info_office,
        org=world.province,
        title="第四季度选题指南",
        topics="“一老一小”服务保障\n基层减负",
    )
    earlier = opinion_save_draft(
        actor=world.member,
        org=world.province,
        title="关于增加社区普惠托管服务的建议",
        situation="社区托管服务供给不足，放学后孩子无人看管。",
        analysis="场地和经费不足。",
        suggestions="支持社区举办普惠托管。",
    )
    opinion_act(actor=world.member, opinion=earlier, action="submit")
    login(page, "member")
    page.get_by_role("link", name="社情民意", exact=True).first.click()
    page.get_by_role("link", name="撰写信息").click()
    expect(page.locator("#topic-guide")).to_contain_text("“一老一小”服务保障")
    page.get_by_label("标题").fill(TEXT["title"])
    page.get_by_label("情况").fill(TEXT["situation"])
    page.get_by_label("分析").fill(TEXT["analysis"])
    page.get_by_label("建议").fill(TEXT["suggestions"])
    expect(page.locator("#similar")).to_contain_text("关于增加社区普惠托管服务的建议")
    shot(page, "opinion-write")
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page.locator(".alert").first).to_contain_text("已报送")
    expect(page.locator(".badge", has_text="待编辑").first).to_be_visible()
    o = Opinion.objects.exclude(pk=earlier.pk).get()

    login(page, "info_office")
    page.get_by_role("link", name="信息编辑").first.click()
    expect(page.locator("#queue-tabs")).to_contain_text("待编辑 2")
    shot(page, "opinion-queue")
    page.get_by_role("link", name=TEXT["title"]).click()
    act(page, "start_editing", "开始编辑")
    expect(page).to_have_url(re.compile(r"/editor/$"))
    page.get_by_label("编辑后标题").fill("城区小学放学后“托管难”亟待破解")
    text = page.get_by_label("编辑后正文")
    text.fill(text.input_value().replace("普遍反映", "反映强烈"))
    page.get_by_role("button", name="保存编辑").click()
    expect(page.locator("#diff-text ins").first).to_contain_text("强烈")
    expect(page.locator("#diff-text del").first).to_be_visible()
    for gate in GATES:
        act(page, "check", "审核", {"关口": gate, "结论": "通过"})
    expect(page.locator("#checks")).to_contain_text("文字关")
    shot(page, "opinion-editor")
    act(page, "sign_off", "签发")
    act(page, "publish", "编发", {"刊物": "《社情民意信息》"})
    expect(page.locator("#issue-info")).to_contain_text("第1期")
    act(page, "record_adoption", "记录采用", {"采用层级": "省级", "采用方式": "单篇采用"})
    act(
        page,
        "record_instruction",
        "记录领导批示",
        {
            "批示领导层级": "省级",
            "批示领导（职务）": "省委副书记",
            "批示内容": "请省教育厅研究落实。",
            "批示日期": "2026-11-20",
        },
    )
    expect(page.locator("#adoptions")).to_contain_text("省级单篇采用")
    shot(page, "opinion-office-detail")
    page.get_by_role("link", name="查看本期").click()
    expect(page.locator("h1")).to_contain_text("《社情民意信息》")
    shot(page, "opinion-issue")
    o.refresh_from_db()
    pdf = page.request.get(page.base_url + f"/opinions/issues/{o.issue_id}/pdf/")
    assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
    (screenshot(page, "opinion-issue").parent / "opinion-issue.pdf").write_bytes(pdf.body())
    page.goto(page.base_url + f"/opinions/office/{world.province.pk}/feedback/")
    page.get_by_label("城区小学放学后“托管难”亟待破解").check()
    page.get_by_role("button", name="发送反馈").click()
    expect(page.locator(".alert").first).to_contain_text("已向 1 位反映人发送反馈")

    login(page, "member")
    page.get_by_role("link", name=re.compile("社情民意反馈")).click()
    expect(page.locator("#feedback-list")).to_contain_text("请省教育厅研究落实")
    expect(page.locator("#feedback-list")).to_contain_text("省级单篇采用")
    shot(page, "opinion-feedback")
    page.goto(page.base_url + "/duty/")
    expect(page.locator("main")).to_contain_text("社情民意被省级采用")
    expect(page.locator("main")).to_contain_text("社情民意获领导批示")
    shot(page, "opinion-duty")


def test_a_report_reads_on_a_phone(phone: Any) -> None:
    world = opinion_personas(build_world())
    o = opinion_save_draft(actor=world.member, org=world.province, **TEXT)
    opinion_act(actor=world.member, opinion=o, action="submit")
    login(phone, "member")
    phone.goto(phone.base_url + "/opinions/")
    expect(phone.get_by_role("link", name=TEXT["title"])).to_be_visible()
    phone.get_by_role("link", name=TEXT["title"]).click()
    expect(phone.locator("h1")).to_contain_text(TEXT["title"])
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    shot(phone, "opinion-phone")
