"""The unit's inbox: scope, tabs, deadline warnings, paging, query counts, the export."""

from __future__ import annotations

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shangliang.core.workflow import transition
from shangliang.proposals.tests.unit_cast import cast_fixture, shift  # noqa: F401

INBOX = "/proposals/unit/"


def test_it_lists_only_the_units_own_assignments(cast):
    mine = cast.sole()
    other = cast.sole(unit=cast.transport, title="关于改善城乡公交的建议")
    r = cast.world.client_for(cast.world.unit_user).get(INBOX)
    assert r.status_code == 200
    html = r.content.decode()
    assert mine.proposal.title in html
    assert other.proposal.title not in html


def test_it_is_not_for_people_without_a_unit(cast):
    r = cast.world.client_for(cast.world.member).get(INBOX)
    assert r.status_code == 404


def test_it_filters_by_tab_and_counts_each_tab(cast):
    cast.sole()
    cast.handling(title="关于办理中的建议")
    client = cast.world.client_for(cast.world.unit_user)
    html = client.get(INBOX + "?tab=to_sign").content.decode()
    assert "关于推进县域义务教育优质均衡发展的建议" in html
    assert "关于办理中的建议" not in html
    html = client.get(INBOX + "?tab=handling").content.decode()
    assert "关于办理中的建议" in html and "关于推进县域" not in html
    assert r'待签收 <span class="badge text-bg-secondary">1</span>' in html


def test_it_shows_round_two(cast):
    a = cast.rating()
    transition(
        a, "rate", actor=cast.world.member, rating="dissatisfied", contacted_before_reply=True
    )
    transition(a, "rate", actor=cast.second.user, rating="satisfied", contacted_before_reply=True)
    html = cast.world.client_for(cast.world.unit_user).get(INBOX + "?tab=round2").content.decode()
    assert a.proposal.title in html and "二次办理" in html


def test_it_marks_overdue_red_and_near_deadlines_amber(cast):
    late = shift(cast.sole(), due_on=-3)
    near = shift(cast.sole(title="关于快到期的建议"), due_on=2)
    html = cast.world.client_for(cast.world.unit_user).get(INBOX).content.decode()
    assert "逾期 3 天" in html and 'class="table-danger"' in html
    assert "剩 2 天" in html and 'class="table-warning"' in html
    assert html.index(late.proposal.title) < html.index(near.proposal.title)


def test_it_shows_the_sign_for_window(cast):
    shift(cast.sole(), sign_due_on=-1)
    html = cast.world.client_for(cast.world.unit_user).get(INBOX).content.decode()
    assert "已过，不能再申请调整交办" in html


def test_it_shows_the_leads_draft_to_a_co_handler_to_countersign(cast):
    lead, co = cast.lead_co()
    transition(lead, "sign_for", actor=cast.world.unit_user)
    transition(
        lead,
        "record_contact",
        actor=cast.world.unit_user,
        date="2026-12-01",
        way="phone",
        person="甲",
    )
    transition(lead, "draft_reply", actor=cast.world.unit_user, result_class="A", text="答复")
    client = cast.world.client_for(cast.transport_user)
    html = client.get(INBOX + "?tab=countersign").content.decode()
    assert reverse("proposals:unit_assignment", args=[lead.pk]) in html


def test_it_renders_rows_for_htmx_and_pages(cast):
    for n in range(3):
        cast.sole(title=f"关于第{n}件事的建议")
    client = cast.world.client_for(cast.world.unit_user)
    r = client.get(INBOX + "?q=第1件", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "<html" not in html and "关于第1件事的建议" in html and "关于第2件事的建议" not in html
    assert 'id="inbox-export"' in html and "hx-swap-oob" in html


def test_its_queries_do_not_grow_with_the_rows(cast):
    client = cast.world.client_for(cast.world.unit_user)
    cast.sole()
    client.get(INBOX)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(INBOX).status_code == 200
    for n in range(4):
        a = cast.sole(title=f"关于第{n}件事的建议")
        shift(a, due_on=n - 2)
    cast.sole(unit=cast.transport, title="关于别的单位的建议")
    with CaptureQueriesContext(connection) as many:
        assert client.get(INBOX).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many]


def test_it_exports_the_inbox(cast):
    cast.sole()
    cast.sole(unit=cast.transport, title="关于别的单位的建议")
    r = cast.world.client_for(cast.world.unit_user).get(INBOX + "export/?tab=all")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.values)
    assert len(rows) == 2 and rows[1][1] == "关于推进县域义务教育优质均衡发展的建议"
