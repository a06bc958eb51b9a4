"""The office's pages: reply audit, reassignment and extension requests, the deadline board,
the contact check; leaders read the board."""

from __future__ import annotations

import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shangliang.core.workflow import transition
from shangliang.proposals.models import Assignment
from shangliang.proposals.steps import today
from shangliang.proposals.tests.unit_cast import cast_fixture, shift  # noqa: F401
from shangliang.proposals.unit_selectors import board_for


def office_url(cast, name: str) -> str:
    return reverse(f"proposals:{name}", args=[cast.world.province.pk])


def test_office_home_goes_to_the_audit_queue(cast):
    r = cast.world.client_for(cast.office).get(reverse("proposals:handling_office"))
    assert r.status_code == 302 and r["Location"] == office_url(cast, "handling_audit")
    r = cast.world.client_for(cast.world.leader).get(reverse("proposals:handling_office"))
    assert r["Location"] == office_url(cast, "handling_board")


def test_office_pages_need_the_proposal_office(cast):
    for name in (
        "handling_audit",
        "handling_reassignments",
        "handling_extensions",
        "handling_contacts",
    ):
        assert (
            cast.world.client_for(cast.world.unit_user).get(office_url(cast, name)).status_code
            == 403
        )
        assert (
            cast.world.client_for(cast.world.leader).get(office_url(cast, name)).status_code == 403
        )
    assert (
        cast.world.client_for(cast.world.unit_user)
        .get(office_url(cast, "handling_board"))
        .status_code
        == 403
    )


def test_the_audit_queue_approves_a_reply_and_comes_back(cast):
    a = cast.in_audit()
    client = cast.world.client_for(cast.office)
    queue = office_url(cast, "handling_audit")
    html = client.get(queue).content.decode()
    assert a.proposal.title in html and "答复正文" in html and "已解决或基本解决" in html
    r = client.post(
        reverse("proposals:unit_assignment_action", args=[a.pk, "approve_reply"]),
        {"approve_reply-comment": "同意", "next": queue},
    )
    assert r.status_code == 302 and r["Location"] == queue
    a.refresh_from_db()
    assert a.status == Assignment.Status.RATING and a.rating_due_on


def test_the_audit_queue_returns_a_reply_with_a_comment(cast):
    a = cast.in_audit()
    client = cast.world.client_for(cast.office)
    action = reverse("proposals:unit_assignment_action", args=[a.pk, "return_reply"])
    r = client.post(action, {"return_reply-comment": ""})
    assert r.status_code == 422  # a return needs the comment
    r = client.post(action, {"return_reply-comment": "请补充具体措施"})
    a.refresh_from_db()
    assert a.status == Assignment.Status.HANDLING and a.audit_comment == "请补充具体措施"


def test_an_external_next_is_ignored(cast):
    a = cast.in_audit()
    r = cast.world.client_for(cast.office).post(
        reverse("proposals:unit_assignment_action", args=[a.pk, "approve_reply"]),
        {"next": "https://evil.example/"},
    )
    assert r["Location"] == reverse("proposals:unit_assignment", args=[a.pk])


def test_a_reassignment_goes_to_the_unit_picked(cast):
    a = cast.sole()
    transition(a, "request_reassignment", actor=cast.world.unit_user, reason="不属于本单位职责")
    client = cast.world.client_for(cast.office)
    html = client.get(office_url(cast, "handling_reassignments")).content.decode()
    assert "不属于本单位职责" in html and "测试省交通运输厅" in html
    r = client.post(
        reverse("proposals:unit_assignment_action", args=[a.pk, "decide_reassignment"]),
        {
            "decide_reassignment-decision": "approve",
            "decide_reassignment-new_unit": cast.transport.pk,
        },
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == Assignment.Status.CANCELLED
    assert Assignment.objects.get(proposal=a.proposal, unit=cast.transport).status == "to_sign"


def test_an_extension_is_approved(cast):
    a = cast.handling()
    until = a.due_on + dt.timedelta(days=20)
    transition(
        a, "request_extension", actor=cast.world.unit_user, until=until, reason="需跨部门协调"
    )
    client = cast.world.client_for(cast.office)
    assert "需跨部门协调" in client.get(office_url(cast, "handling_extensions")).content.decode()
    client.post(
        reverse("proposals:unit_assignment_action", args=[a.pk, "decide_extension"]),
        {"decide_extension-decision": "approve"},
    )
    a.refresh_from_db()
    assert a.due_on == until and a.extension_requested_to is None


def test_the_board_puts_the_most_overdue_first_with_levels(cast):
    soon = shift(cast.sole(), due_on=3)
    late = shift(cast.sole(title="关于逾期五天的建议"), due_on=-5)
    very = shift(cast.sole(title="关于逾期二十天的建议"), due_on=-20)
    shift(cast.rating(title="关于已答复的建议"), due_on=-30)  # replied: not on the board
    rows = list(board_for(user=cast.office, org=cast.world.province, today=today()))
    assert rows == [very, late, soon]
    html = (
        cast.world.client_for(cast.office).get(office_url(cast, "handling_board")).content.decode()
    )
    assert html.index("关于逾期二十天的建议") < html.index("关于逾期五天的建议")
    assert "二级：已提请领导督办" in html and "一级：逾期" in html
    assert "关于已答复的建议" not in html
    html = (
        cast.world.client_for(cast.office)
        .get(office_url(cast, "handling_board") + "?level=2")
        .content.decode()
    )
    assert "关于逾期二十天的建议" in html and "关于逾期五天的建议" not in html


def test_the_board_covers_the_committees_below(cast):
    a = shift(cast.sole(), due_on=-1)
    assert list(board_for(user=cast.office, org=cast.world.province, today=today())) == [a]
    assert (
        cast.world.client_for(cast.office)
        .get(reverse("proposals:handling_board", args=[cast.world.city.pk]))
        .status_code
        == 200
    )


def test_leaders_read_the_board(cast):
    shift(cast.sole(), due_on=-20)
    r = cast.world.client_for(cast.world.leader).get(
        office_url(cast, "handling_board") + "?level=2"
    )
    assert r.status_code == 200 and "关于推进县域" in r.content.decode()


def test_the_board_pages_in_constant_queries(cast):
    client = cast.world.client_for(cast.office)
    shift(cast.sole(), due_on=-1)
    client.get(office_url(cast, "handling_board"))
    with CaptureQueriesContext(connection) as few:
        client.get(office_url(cast, "handling_board"))
    for n in range(4):
        shift(cast.sole(title=f"关于第{n}件事的建议"), due_on=n - 10)
    with CaptureQueriesContext(connection) as many:
        client.get(office_url(cast, "handling_board"))
    assert len(many) == len(few)


def test_the_board_exports(cast):
    shift(cast.sole(), due_on=-20)
    r = cast.world.client_for(cast.office).get(
        office_url(cast, "handling_board_export") + "?level=1"
    )
    rows = list(load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.values)
    assert (
        rows[0][0] == "政协"
        and rows[1][0] == cast.world.province.name
        and rows[1][-1] == "已提请领导督办"
    )


def test_the_contact_check_lists_disagreements(cast):
    said_yes = cast.rating()  # the unit recorded a contact before replying
    transition(
        said_yes, "rate", actor=cast.world.member, rating="satisfied", contacted_before_reply=False
    )
    transition(
        said_yes, "rate", actor=cast.second.user, rating="satisfied", contacted_before_reply=True
    )
    html = (
        cast.world.client_for(cast.office)
        .get(office_url(cast, "handling_contacts"))
        .content.decode()
    )
    assert "有沟通记录" in html and "省委员甲" in html
    assert "第二委员" not in html  # agrees with the records
