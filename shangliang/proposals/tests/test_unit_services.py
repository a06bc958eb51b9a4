"""services/handling.py: the workflow steps of a unit, the signed PDF reply, the exports."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from shangliang.core.errors import Conflict, Forbidden, Invalid
from shangliang.core.models import AuditEvent
from shangliang.proposals.models import Assignment, Contact, Proposal
from shangliang.proposals.services.handling import (
    assignment_act,
    assignment_attach_reply_pdf,
    board_export,
    inbox_export,
)
from shangliang.proposals.steps import today
from shangliang.proposals.tests.unit_cast import cast_fixture, shift  # noqa: F401
from shangliang.proposals.unit_selectors import InboxFilters

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_it_runs_the_unit_path_through_the_engine(cast):
    unit_user = cast.world.unit_user
    a = cast.sole()
    a = assignment_act(actor=unit_user, assignment=a, action="sign_for")
    assert a.status == Assignment.Status.HANDLING and a.signed_at
    assignment_act(
        actor=unit_user,
        assignment=a,
        action="record_contact",
        date="2026年12月1日",
        way="phone",
        person="省委员甲",
    )
    assert Contact.objects.filter(assignment=a).count() == 1
    a = assignment_act(
        actor=unit_user, assignment=a, action="draft_reply", result_class="B", text="答复"
    )
    assert a.status == Assignment.Status.IN_AUDIT


def test_it_refuses_another_units_step(cast):
    a = cast.sole()
    with pytest.raises(Forbidden):
        assignment_act(actor=cast.transport_user, assignment=a, action="sign_for")


def test_it_refuses_an_unknown_result_class(cast):
    a = cast.handling()
    with pytest.raises(Invalid):
        assignment_act(
            actor=cast.world.unit_user,
            assignment=a,
            action="draft_reply",
            result_class="Z",
            text="答复",
        )


def test_it_attaches_a_signed_pdf(cast):
    a = cast.handling()
    a = assignment_attach_reply_pdf(
        actor=cast.world.unit_user, assignment=a, upload=io.BytesIO(PDF), size=len(PDF)
    )
    assert str(a.reply_file.name).endswith(".pdf")
    assert a.reply_file.read().startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="proposals.assignment.reply_file_attached").exists()


def test_it_refuses_a_file_that_is_not_a_pdf(cast):
    a = cast.handling()
    fake = b"PK\x03\x04 not a pdf at all"
    with pytest.raises(Invalid) as exc:
        assignment_attach_reply_pdf(
            actor=cast.world.unit_user, assignment=a, upload=io.BytesIO(fake), size=len(fake)
        )
    assert "PDF" in exc.value.detail


def test_it_refuses_a_pdf_that_is_too_big_or_empty(cast):
    a = cast.handling()
    too_big = 33 * 1024 * 1024
    with pytest.raises(Invalid):
        assignment_attach_reply_pdf(
            actor=cast.world.unit_user, assignment=a, upload=io.BytesIO(PDF), size=too_big
        )
    with pytest.raises(Invalid):
        assignment_attach_reply_pdf(
            actor=cast.world.unit_user, assignment=a, upload=io.BytesIO(b""), size=0
        )


def test_it_refuses_the_pdf_from_another_unit_or_after_the_audit_began(cast):
    a = cast.handling()
    with pytest.raises(Forbidden):
        assignment_attach_reply_pdf(
            actor=cast.transport_user, assignment=a, upload=io.BytesIO(PDF), size=len(PDF)
        )
    b = cast.in_audit(title="关于另一件事的建议")
    with pytest.raises(Conflict):
        assignment_attach_reply_pdf(
            actor=cast.world.unit_user, assignment=b, upload=io.BytesIO(PDF), size=len(PDF)
        )


def test_it_refuses_the_pdf_from_a_co_handler(cast):
    lead, co = cast.lead_co()
    with pytest.raises(Forbidden):
        assignment_attach_reply_pdf(
            actor=cast.transport_user, assignment=co, upload=io.BytesIO(PDF), size=len(PDF)
        )


def test_it_exports_the_inbox_and_records_it(cast):
    cast.sole()
    risky = cast.sole(title="关于另一件事的建议")
    Proposal.objects.filter(pk=risky.proposal_id).update(title='=HYPERLINK("http://x")')
    wb, count = inbox_export(actor=cast.world.unit_user, filters=InboxFilters(), today=today())
    assert count == 2
    buf = io.BytesIO()
    wb.save(buf)
    rows = list(load_workbook(buf).active.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len(rows) == 3
    assert '=HYPERLINK("http://x")' in [r[1] for r in rows]
    assert AuditEvent.objects.filter(action="proposals.assignments_exported").exists()


def test_it_exports_the_board_with_levels(cast):
    late = cast.sole()
    shift(late, due_on=-20)
    wb, count = board_export(actor=cast.office, org=cast.world.province, level=0, today=today())
    assert count == 1
    buf = io.BytesIO()
    wb.save(buf)
    rows = list(load_workbook(buf).active.iter_rows(values_only=True))
    assert rows[1][-1] == "已提请领导督办" and rows[1][-2] == 20


def test_it_refuses_the_board_export_to_a_unit(cast):
    with pytest.raises(Forbidden):
        board_export(actor=cast.world.unit_user, org=cast.world.province, level=0, today=today())
