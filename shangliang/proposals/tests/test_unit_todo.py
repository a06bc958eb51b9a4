"""What handling puts on home pages."""

from __future__ import annotations

from shangliang.core.todo import todos_for
from shangliang.proposals.tests.unit_cast import cast_fixture, shift  # noqa: F401


def titles(user) -> dict[str, int]:
    return {str(i.title): i.count for i in todos_for(user)}


def test_a_unit_sees_what_to_sign_what_is_overdue_and_due_soon(cast):
    shift(cast.sole(), sign_due_on=1)
    shift(cast.handling(title="关于逾期的建议"), due_on=-2)
    shift(cast.handling(title="关于快到期的建议"), due_on=5)
    todo = titles(cast.world.unit_user)
    assert todo["待签收提案"] == 1 and todo["答复已逾期"] == 1 and todo["答复即将到期"] == 1
    sign = next(i for i in todos_for(cast.world.unit_user) if str(i.title) == "待签收提案")
    assert "还剩 1 天" in str(sign.detail) and sign.urgent


def test_a_co_handler_sees_a_draft_to_countersign(cast):
    from shangliang.core.workflow import transition

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
    assert titles(cast.transport_user)["待会签的主办答复"] == 1
    transition(lead, "countersign", actor=cast.transport_user)
    assert "待会签的主办答复" not in titles(cast.transport_user)


def test_members_see_replies_to_rate(cast):
    cast.rating()
    assert titles(cast.world.member)["待我测评的答复"] == 1
    assert titles(cast.second.user)["待我测评的答复"] == 1
    assert "待我测评的答复" not in titles(cast.world.county_a_member)


def test_the_office_sees_its_queues(cast):
    cast.in_audit()
    todo = titles(cast.office)
    assert todo["答复待审核"] == 1


def test_leaders_see_escalated_assignments(cast):
    shift(cast.sole(), due_on=-16)
    shift(cast.sole(title="关于逾期不久的建议"), due_on=-3)
    assert titles(cast.world.leader)["逾期提案（已提请领导督办）"] == 1
    html = cast.world.client_for(cast.world.leader).get("/").content.decode()
    assert "逾期提案（已提请领导督办）" in html


def test_it_counts_the_office_assignment_queues_once_per_home_page_and_afresh_next_time(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast.in_audit()
    office = cast.office
    with CaptureQueriesContext(connection) as ctx:
        items = todos_for(office)
    audit_counts = [q for q in ctx.captured_queries if 'AS "audit"' in q["sql"]]
    assert len(audit_counts) == 1  # shared by the office's two providers
    assert [i.count for i in items if str(i.title) == "答复待审核"] == [1, 1]
    cast.in_audit(title="关于第二件的建议")
    assert [i.count for i in todos_for(office) if str(i.title) == "答复待审核"] == [2, 2]
