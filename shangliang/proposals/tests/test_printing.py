"""Printing (issue 3 §9): the proposal form and the reply letter as PDFs, who may print
them, what they show, the audit row, bounded queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shangliang.core.errors import NotFound
from shangliang.core.models import AuditEvent
from shangliang.core.tests.pdf_checks import assert_embeds_cjk_font, pdf_text, requires_cjk_font
from shangliang.proposals.models import Assignment
from shangliang.proposals.services.printing import (
    cn_number,
    proposal_print,
    reply_letter_print,
    session_heading,
)
from shangliang.proposals.tests.unit_cast import cast_fixture  # noqa: F401

TITLE = "关于推进县域义务教育优质均衡发展的建议"


def test_it_names_the_session_in_chinese(cast):
    assert [cn_number(n) for n in (1, 4, 10, 14, 20, 23)] == [
        "一",
        "四",
        "十",
        "十四",
        "二十",
        "二十三",
    ]
    p = cast.proposal()
    assert session_heading(p.org, p.session) == "政协测试省第一届委员会第一次会议"


@requires_cjk_font
def test_it_prints_the_proposal_form_for_its_proposer(cast):
    p = cast.proposal(analysis="分析<script>alert(1)</script>")
    printed = proposal_print(actor=cast.world.member, proposal_id=p.pk)
    assert printed.filename == f"提案{p.number_label}.pdf"
    assert_embeds_cjk_font(printed.pdf)
    text = pdf_text(printed.pdf)
    for expected in (
        TITLE,
        "政协测试省第一届委员会第一次会议",
        p.number_label,
        "省委员甲",
        "第二委员",
        "教育界",
        "<script>alert(1)</script>",
        "已立案",
    ):
        assert expected in text, expected
    assert "测试大学教授" not in text  # contact details: the office only
    event = AuditEvent.objects.get(action="proposals.pdf_printed")
    assert event.actor == cast.world.member and event.target_id == str(p.pk)
    assert event.data == {"document": "proposal_form"}


@requires_cjk_font
def test_it_prints_contact_details_and_assignments_for_the_office(cast):
    a = cast.rating()
    text = pdf_text(proposal_print(actor=cast.office, proposal_id=a.proposal_id).pdf)
    assert "测试大学教授" in text and "测试省教育厅（独办）" in text


def test_it_hides_the_proposal_from_those_who_may_not_see_it(cast):
    p = cast.proposal()
    for outsider in (cast.world.county_a_member, cast.world.county_a_leader, cast.world.public):
        with pytest.raises(NotFound):
            proposal_print(actor=outsider, proposal_id=p.pk)
    with pytest.raises(NotFound):
        proposal_print(actor=cast.world.member, proposal_id=p.pk + 1000)
    assert not AuditEvent.objects.filter(action="proposals.pdf_printed").exists()


@requires_cjk_font
def test_it_prints_an_approved_reply_as_a_letter(cast):
    a = cast.in_audit()
    Assignment.objects.filter(pk=a.pk).update(reply_doc_number="测教函〔2027〕12号")
    cast.world.unit.contact_name = "王老师"
    cast.world.unit.contact_phone = "0731-1234567"
    cast.world.unit.save()
    from shangliang.core.workflow import transition

    transition(a, "approve_reply", actor=cast.office)
    printed = reply_letter_print(actor=cast.world.member, assignment_id=a.pk)
    assert_embeds_cjk_font(printed.pdf)
    text = pdf_text(printed.pdf)
    for expected in (
        "测试省教育厅",
        "测教函〔2027〕12号",
        "省委员甲委员、第二委员委员：",
        TITLE,
        "答复正文",
        "已解决或基本解决",
        "王老师",
        "0731-1234567",
        "抄送",
        "政协测试省委员会提案委员会",
        a.proposal.number_label,
    ):
        assert expected in text, expected
    event = AuditEvent.objects.get(action="proposals.pdf_printed")
    assert event.target_type == "proposals.assignment" and event.data["document"] == "reply_letter"


def test_it_has_no_letter_before_the_reply_is_approved(cast):
    a = cast.in_audit()
    for user in (cast.world.member, cast.world.unit_user, cast.office):
        with pytest.raises(NotFound):
            reply_letter_print(actor=user, assignment_id=a.pk)


def test_it_gives_no_letter_for_a_co_handlers_opinion(cast):
    _lead, co = cast.lead_co()
    with pytest.raises(NotFound):
        reply_letter_print(actor=cast.office, assignment_id=co.pk)


def test_it_hides_the_letter_from_another_county(cast):
    a = cast.rating()
    for outsider in (cast.world.county_a_member, cast.transport_user, cast.world.public):
        with pytest.raises(NotFound):
            reply_letter_print(actor=outsider, assignment_id=a.pk)


@requires_cjk_font
def test_it_serves_the_pdfs_from_the_pages(cast, django_assert_max_num_queries):
    a = cast.rating()
    client = cast.world.client_for(cast.world.member)
    with django_assert_max_num_queries(20):
        r = client.get(reverse("proposals:proposal_pdf", args=[a.proposal_id]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert (
        r["Content-Disposition"].startswith("inline;")
        and "filename*=utf-8''" in r["Content-Disposition"]
    )
    assert TITLE in pdf_text(r.content)
    with django_assert_max_num_queries(20):
        r = client.get(reverse("proposals:reply_letter_pdf", args=[a.pk]) + "?download=1")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment;")
    assert "答复正文" in pdf_text(r.content)


def test_the_pages_answer_404_to_outsiders_and_before_approval(cast):
    a = cast.in_audit()
    outsider = cast.world.client_for(cast.world.county_a_member)
    assert outsider.get(reverse("proposals:proposal_pdf", args=[a.proposal_id])).status_code == 404
    unit = cast.world.client_for(cast.world.unit_user)
    assert unit.get(reverse("proposals:reply_letter_pdf", args=[a.pk])).status_code == 404
    anonymous = cast.world.client_for(cast.world.public)
    assert anonymous.get(reverse("proposals:reply_letter_pdf", args=[a.pk])).status_code == 404
