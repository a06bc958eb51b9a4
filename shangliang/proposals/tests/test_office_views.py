"""The proposal office's pages: queues, filters, paging, export, review, bulk steps,
assignment, requests, settings, key proposals, and who may open them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shangliang.core.models import AuditEvent
from shangliang.core.workflow import transition
from shangliang.orgs.models import Unit
from shangliang.proposals.models import (
    Assignment,
    Contact,
    Cosigner,
    Proposal,
    ProposalSettings,
    Rating,
    SupervisionEntry,
)
from shangliang.proposals.services.drafting import proposal_act
from shangliang.proposals.steps import settings_for
from shangliang.proposals.tests.member_office_cast import (
    accepted,
    draft,
    office_of,
    submitted,
)
from shangliang.testing import World


@pytest.fixture
def office(world):
    return office_of(world)


@pytest.fixture
def client(world, office):
    return world.client_for(office)


def queue_url(world: World, **params: Any) -> str:
    url = reverse("proposals:office_queue", args=[world.province.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_queues_show_counts_per_stage_and_status(world, office, client):
    submitted(world, title="关于甲的建议")
    p = submitted(world, title="关于乙的建议")
    proposal_act(actor=office, proposal=p, action="review", outcome="accept")
    accepted(world, office, title="关于丙的建议")
    response = client.get(queue_url(world))
    assert response.status_code == 200
    counts = {q.key: n for q, n in response.context["queues"]}
    assert counts["review_0"] == 1 and counts["review_1"] == 1 and counts["accepted"] == 1
    assert "待初审" in response.text and "已立案待交办" in response.text
    assert "关于甲的建议" in response.text and "关于乙的建议" not in response.text
    stage1 = client.get(queue_url(world, queue="review_1"))
    assert "关于乙的建议" in stage1.text


def test_the_office_home_goes_to_the_first_committee(world, client):
    response = client.get(reverse("proposals:office_home") + "?queue=accepted")
    assert response.status_code == 302
    assert response["Location"] == queue_url(world, queue="accepted")


def test_filters_narrow_the_queue(world, office, client):
    submitted(world, title="关于养老服务的建议", category="社会")
    submitted(world, title="关于营商环境的建议", category="经济")
    response = client.get(queue_url(world, category="经济"))
    assert "关于营商环境的建议" in response.text and "关于养老服务的建议" not in response.text
    response = client.get(queue_url(world, q="养老"))
    assert "关于养老服务的建议" in response.text and "关于营商环境的建议" not in response.text
    response = client.get(queue_url(world, plenary="0"))
    assert "关于养老服务的建议" not in response.text  # submitted before the deadline
    response = client.get(queue_url(world, kind="joint"))
    assert "关于养老服务的建议" not in response.text


def test_htmx_paging_renders_the_rows_only(world, office, client):
    for n in range(3):
        submitted(world, title=f"关于第{n}件事的建议")
    response = client.get(queue_url(world, page=1), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text and "关于第0件事的建议" in response.text
    assert 'id="proposal-export"' in response.text  # the export link follows the filters


def test_more_rows_do_not_add_queries(world, office, client):

    def make(n: int) -> None:
        for i in range(n):
            p = accepted(world, office, title=f"关于第{i}批的建议")
            proposal_act(
                actor=office,
                proposal=p,
                action="assign",
                mode="sole",
                units=[{"unit": world.unit.pk}],
            )

    make(2)
    client.get(queue_url(world, queue="handling"))  # warm the caches
    with CaptureQueriesContext(connection) as few:
        client.get(queue_url(world, queue="handling"))
    make(6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(queue_url(world, queue="handling"))
    assert response.context["page"].paginator.count == 8
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_a_handling_row_shows_its_labels_and_assignments(world, office, client):
    p = accepted(world, office, title="关于托育服务的建议")
    proposal_act(
        actor=office, proposal=p, action="assign", mode="sole", units=[{"unit": world.unit.pk}]
    )
    a = Assignment.objects.get(proposal=p)
    html = client.get(queue_url(world, queue="handling")).text
    for label in ("编号", "案由", "提案人", "类别", "提交时间", "状态", "操作"):
        assert f'<th scope="col">{label}</th>' in html and f'<td data-label="{label}">' in html
    detail = reverse("proposals:detail", args=[p.pk])
    assert f'<a href="{detail}">关于托育服务的建议</a>' in html
    assert f'href="{detail}">查看</a>' in html
    assert f"{world.unit.name}（独办）· 待签收 · 答复期限 {a.due_on:%Y-%m-%d}" in html
    assert '<span class="badge text-bg-primary">办理中</span>' in html


@pytest.mark.parametrize(
    "model", [ProposalSettings, Proposal, Cosigner, Assignment, Contact, Rating, SupervisionEntry]
)
def test_the_display_labels_are_djangos(model):
    fields = [f for f in model._meta.concrete_fields if f.choices]
    assert fields
    for f in fields:
        for value in [*(v for v, _label in f.flatchoices), "unknown", ""]:
            obj = model(**{f.attname: value})
            django_label = models.Model._get_FIELD_display(obj, f)  # type: ignore[attr-defined]
            assert getattr(obj, f"get_{f.name}_display")() == django_label


def test_the_export_holds_the_queue_and_is_audited(world, office, client):
    formula = draft(world, title='=HYPERLINK("http://x")')
    transition(formula, "submit", actor=world.member)  # the engine's guard is lenient
    accepted(world, office, title="关于已立案的建议")
    response = client.get(
        reverse("proposals:office_export", args=[world.province.pk]) + "?queue=accepted"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][:2] == ["编号", "案由"]
    assert [r[1] for r in rows[1:]] == ["关于已立案的建议"] and rows[1][0] == "第0001号"
    event = AuditEvent.objects.get(action="proposals.exported")
    assert event.data["rows"] == 1 and event.data["queue"] == "accepted"
    review = client.get(reverse("proposals:office_export", args=[world.province.pk]))
    ws = load_workbook(io.BytesIO(b"".join(review.streaming_content))).active
    cell = ws.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.parametrize(
    ("outcome", "extra", "status"),
    [
        ("accept", {}, "in_review"),
        ("return", {"reason": "请补充数据"}, "returned"),
        ("convert", {"reason": "转有关部门参考"}, "converted"),
        ("reject", {"reject_ground": "指明举报"}, "rejected"),
    ],
)
def test_the_review_page_records_each_outcome(world, client, outcome, extra, status):
    p = submitted(world)
    page = client.get(reverse("proposals:office_review", args=[p.pk]))
    assert page.status_code == 200 and "审查：初审" in page.text and "相似提案" in page.text
    data = {"outcome": outcome, "stage": 0, **extra}
    response = client.post(reverse("proposals:office_review", args=[p.pk]), data)
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == status
    if outcome == "accept":
        assert p.review_stage == 1


def test_the_review_page_merges_into_a_picked_proposal(world, client):
    main = submitted(world, title="关于主提案的建议")
    p = submitted(world)
    page = client.get(reverse("proposals:office_review", args=[p.pk]))
    assert "关于主提案的建议" in page.text
    client.post(
        reverse("proposals:office_review", args=[p.pk]),
        {"outcome": "merge", "stage": 0, "merge_into": main.pk},
    )
    p.refresh_from_db()
    assert p.status == Proposal.Status.MERGED and p.merged_into == main


def test_a_review_without_a_reason_stays_on_the_page(world, client):
    p = submitted(world)
    response = client.post(
        reverse("proposals:office_review", args=[p.pk]), {"outcome": "return", "stage": 0}
    )
    assert response.status_code == 200 and "须写明理由" in response.text


def test_a_stale_review_page_does_not_step_twice(world, office, client):
    p = submitted(world)
    proposal_act(actor=office, proposal=p, action="review", outcome="accept")
    response = client.post(
        reverse("proposals:office_review", args=[p.pk]),
        {"outcome": "accept", "stage": 0},
        follow=True,
    )
    assert "下一审查阶段" in response.text  # a conflict (or, before, a refused input)
    p.refresh_from_db()
    assert p.review_stage == 1


def test_bulk_accept_on_the_queue_page_reports_each_item(world, office, client):
    a = submitted(world, title="关于甲的建议")
    b = submitted(world, title="关于乙的建议")
    c = submitted(world, title="关于丙的建议")
    proposal_act(actor=office, proposal=b, action="review", outcome="accept")
    response = client.post(
        reverse("proposals:office_bulk", args=[world.province.pk]),
        {"do": "accept", "queue": "review_0", "p": [f"{a.pk}:0", f"{b.pk}:0", f"{c.pk}:0"]},
    )
    assert response.status_code == 200
    assert "成功 2 件，未办理 1 件" in response.text and "冲突" in response.text


def test_bulk_assign_on_the_queue_page(world, office, client):
    a = accepted(world, office, title="关于甲的建议")
    b = accepted(world, office, title="关于乙的建议")
    response = client.post(
        reverse("proposals:office_bulk", args=[world.province.pk]),
        {"do": "assign", "queue": "accepted", "unit": world.unit.pk, "p": [a.pk, b.pk]},
    )
    assert "成功 2 件" in response.text
    assert Assignment.objects.filter(unit=world.unit).count() == 2


def test_the_assign_page_in_lead_co_mode(world, office, client):
    transport = Unit.objects.create(org=world.province, name="测试省交通运输厅")
    p = accepted(world, office)
    page = client.get(reverse("proposals:office_assign", args=[p.pk]))
    assert page.status_code == 200 and "测试省交通运输厅" in page.text
    bad = client.post(
        reverse("proposals:office_assign", args=[p.pk]),
        {"mode": "lead_co", "units": [world.unit.pk]},
    )
    assert bad.status_code == 200 and "主办单位" in bad.text
    client.post(
        reverse("proposals:office_assign", args=[p.pk]),
        {"mode": "lead_co", "lead": world.unit.pk, "units": [transport.pk]},
    )
    roles = dict(Assignment.objects.filter(proposal=p).values_list("unit__name", "role"))
    assert roles == {"测试省教育厅": "lead", "测试省交通运输厅": "co"}


def test_the_office_decides_an_extension_request_from_the_proposal_page(world, office, client):
    p = accepted(world, office)
    proposal_act(
        actor=office, proposal=p, action="assign", mode="sole", units=[{"unit": world.unit.pk}]
    )
    a = Assignment.objects.get(proposal=p)
    transition(a, "sign_for", actor=world.unit_user)
    until = (
        a.due_on.replace(day=1)
        if a.due_on.month == 12
        else a.due_on.replace(month=a.due_on.month + 1, day=1)
    )
    transition(a, "request_extension", actor=world.unit_user, until=until, reason="需要调研")
    listing = client.get(
        reverse("proposals:office_assignments", args=[world.province.pk, "extension"])
    )
    assert "需要调研" in listing.text
    page = client.get(reverse("proposals:detail", args=[p.pk]))
    assert "审批延期" in page.text
    client.post(
        reverse("proposals:office_assignment_action", args=[a.pk, "decide_extension"]),
        {"decide_extension-decision": "approve"},
    )
    a.refresh_from_db()
    assert a.due_on == until and a.extension_requested_to is None
    home = client.get(reverse("web:home"))
    assert "提案待初审" in home.text or "已立案待交办" in home.text or "待办" in home.text


def test_office_pages_are_404_for_everyone_else(world, office):
    p = submitted(world)
    urls = [
        reverse("proposals:office_home"),
        queue_url(world),
        reverse("proposals:office_export", args=[world.province.pk]),
        reverse("proposals:office_review", args=[p.pk]),
        reverse("proposals:office_assign", args=[p.pk]),
        reverse("proposals:office_settings", args=[world.province.pk]),
        reverse("proposals:office_assignments", args=[world.province.pk, "audit"]),
    ]
    county_office = office_of(world, world.county_a, "a_p_office")
    for user in (world.unit_user, world.member, world.leader, county_office):
        c = world.client_for(user)
        for url in urls:
            if user == county_office and url == reverse("proposals:office_home"):
                continue
            assert c.get(url).status_code == 404, (user, url)
    c = world.client_for(county_office)
    assert c.get(queue_url(world)).status_code == 404
    bulk = c.post(
        reverse("proposals:office_bulk", args=[world.province.pk]), {"do": "accept", "p": [p.pk]}
    )
    assert bulk.status_code == 404
    # the province office reaches the counties below it
    assert (
        world.client_for(office)
        .get(reverse("proposals:office_queue", args=[world.county_a.pk]))
        .status_code
        == 200
    )


def test_the_settings_page_edits_lines_and_numbers(world, office, client):
    url = reverse("proposals:office_settings", args=[world.province.pk])
    page = client.get(url)
    assert page.status_code == 200 and "初审\n复审\n终审" in page.text
    data = dict(page.context["form"].initial)
    data["categories"] = "经济\n社会\n\n其他"
    data["result_classes"] = "A 已解决\nB 正在解决"
    response = client.post(url, data)
    assert response.status_code == 302
    conf = settings_for(world.province)
    assert conf.categories == ["经济", "社会", "其他"]
    assert conf.result_classes == [
        {"code": "A", "label": "已解决"},
        {"code": "B", "label": "正在解决"},
    ]
    data["result_classes"] = "A"
    assert "代码 名称" in client.post(url, data).text
    assert world.client_for(world.admin).get(url).status_code == 200


def test_leaders_see_key_proposals_and_log_supervision(world, office):
    p = accepted(world, office)
    leader = world.client_for(world.leader)
    listing = leader.get(reverse("proposals:key_list"))
    assert listing.status_code == 200 and p.title in listing.text
    leader.post(reverse("proposals:action", args=[p.pk, "mark_key"]))
    leader.post(
        reverse("proposals:action", args=[p.pk, "set_supervisor"]),
        {"set_supervisor-supervisor": world.leader.pk},
    )
    p.refresh_from_db()
    assert p.is_key and p.supervisor == world.leader
    leader.post(
        reverse("proposals:supervision_add", args=[p.pk]),
        {"date": "2027-03-02", "kind": "meeting", "note": "召开督办座谈会"},
    )
    page = leader.get(reverse("proposals:detail", args=[p.pk]))
    assert "召开督办座谈会" in page.text
    assert "秘书长" in leader.get(reverse("proposals:key_list")).text
    assert world.client_for(world.member).get(reverse("proposals:key_list")).status_code == 404


def test_the_review_page_lists_similar_proposals(world, client):
    submitted(world, title="关于推进县域义务教育优质均衡发展的建议")
    p = submitted(world, title="关于推动县域义务教育均衡发展的建议")
    page = client.get(reverse("proposals:office_review", args=[p.pk]))
    similar = page.context["similar"]
    if similar is None:
        pytest.skip("proposals.similarity is not installed")
    assert "关于推进县域义务教育优质均衡发展的建议" in page.text


def test_the_request_lists_and_the_key_list_export(world, office, client):
    p = accepted(world, office)
    proposal_act(actor=world.leader, proposal=p, action="mark_key")
    url = reverse("proposals:office_assignments_export", args=[world.province.pk, "audit"])
    response = client.get(url)
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws.cell(row=1, column=2).value == "案由"
    key = world.client_for(world.leader).get(reverse("proposals:key_export"))
    ws = load_workbook(io.BytesIO(b"".join(key.streaming_content))).active
    assert ws.cell(row=2, column=2).value == p.title and ws.cell(row=2, column=15).value == "是"
    assert AuditEvent.objects.filter(action="proposals.exported").count() == 2
    assert world.client_for(world.unit_user).get(url).status_code == 404
    assert world.client_for(world.member).get(reverse("proposals:key_export")).status_code == 404
