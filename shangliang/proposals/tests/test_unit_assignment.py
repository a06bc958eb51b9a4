"""The assignment page: who sees it, what each reader sees, and the actions' forms."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shangliang.core.workflow import transition
from shangliang.proposals.models import Assignment, Contact, ProposalSettings
from shangliang.proposals.tests.unit_cast import cast_fixture  # noqa: F401

PDF = b"%PDF-1.4\n%%EOF\n"


def url(a: Assignment, tail: str = "") -> str:
    return reverse("proposals:unit_assignment", args=[a.pk]) + tail


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_it_shows_the_proposal_but_never_the_members_phone(cast):
    a = cast.sole()
    r = cast.world.client_for(cast.world.unit_user).get(url(a))
    html = r.content.decode()
    assert r.status_code == 200
    assert a.proposal.title in html and "省委员甲" in html and "第二委员" in html
    assert cast.world.member.phone not in html and cast.second.user.phone not in html


def test_another_units_assignment_is_not_found(cast):
    a = cast.sole()
    assert cast.world.client_for(cast.transport_user).get(url(a)).status_code == 404
    assert cast.world.client_for(cast.world.public).get(url(a)).status_code == 404
    assert (
        cast.world.client_for(cast.transport_user).get("/proposals/unit/999999/").status_code == 404
    )


def test_a_co_handler_sees_the_leads_assignment(cast):
    lead, co = cast.lead_co()
    client = cast.world.client_for(cast.transport_user)
    assert client.get(url(lead)).status_code == 200
    html = client.get(url(co)).content.decode()
    assert url(lead) in html  # a link to the lead's reply


def test_the_lead_sees_the_co_handlers_opinion(cast):
    lead, co = cast.lead_co()
    transition(co, "sign_for", actor=cast.transport_user)
    transition(
        co, "send_opinion", actor=cast.transport_user, text="建议联合交通部门开展校车专项整治"
    )
    html = cast.world.client_for(cast.world.unit_user).get(url(lead)).content.decode()
    assert "建议联合交通部门开展校车专项整治" in html


def test_it_signs_for_and_records_a_contact_through_the_forms(cast):
    a = cast.sole()
    client = cast.world.client_for(cast.world.unit_user)
    r = client.post(url(a, "actions/sign_for/"))
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == Assignment.Status.HANDLING
    r = client.post(
        url(a, "actions/record_contact/"),
        {
            "record_contact-date": "2026-12-01",
            "record_contact-way": "visit",
            "record_contact-person": "省委员甲",
            "record_contact-note": "上门听取意见",
        },
    )
    assert r.status_code == 302
    assert Contact.objects.get(assignment=a).note == "上门听取意见"


def test_a_refused_reply_keeps_what_was_written(cast):
    a = cast.sole()
    transition(a, "sign_for", actor=cast.world.unit_user)
    r = cast.world.client_for(cast.world.unit_user).post(
        url(a, "actions/draft_reply/"),
        {"draft_reply-result_class": "A", "draft_reply-text": "我们认真研究了您的建议"},
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "答复前须先记录与提案人的沟通情况" in html
    assert "我们认真研究了您的建议" in html
    assert 'class="collapse show" id="action-draft_reply"' in html


def test_the_result_class_is_a_select_of_the_configured_classes(cast):
    ProposalSettings.objects.update_or_create(
        org=cast.world.province,
        defaults={
            "result_classes": [
                {"code": "甲", "label": "已解决"},
                {"code": "乙", "label": "留作参考"},
            ]
        },
    )
    a = cast.handling()
    client = cast.world.client_for(cast.world.unit_user)
    html = client.get(url(a)).content.decode()
    assert '<option value="甲">甲 已解决</option>' in html
    r = client.post(
        url(a, "actions/draft_reply/"),
        {"draft_reply-result_class": "乙", "draft_reply-text": "答复"},
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.result_class == "乙" and a.status == Assignment.Status.IN_AUDIT
    assert "乙 留作参考" in client.get(url(a)).content.decode()


def test_the_extension_date_is_limited_by_max_reply_months(cast):
    a = cast.handling()
    html = cast.world.client_for(cast.world.unit_user).get(url(a)).content.decode()
    assert 'max="' in html and "最迟可延至" in html
    r = cast.world.client_for(cast.world.unit_user).post(
        url(a, "actions/request_extension/"),
        {"request_extension-until": "2030-01-01", "request_extension-reason": "需要调研"},
    )
    assert r.status_code == 422
    assert "延期后不能超过交办后 6 个月" in r.content.decode()


def test_a_member_cannot_post_a_units_action(cast):
    a = cast.sole()
    r = cast.world.client_for(cast.world.member).post(url(a, "actions/sign_for/"))
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == Assignment.Status.TO_SIGN


def test_an_unknown_action_is_not_found(cast):
    a = cast.sole()
    assert (
        cast.world.client_for(cast.world.unit_user).post(url(a, "actions/nope/")).status_code == 404
    )


def test_it_uploads_and_downloads_the_signed_pdf(cast):
    a = cast.handling()
    client = cast.world.client_for(cast.world.unit_user)
    r = client.post(url(a, "reply-file/"), {"file": SimpleUploadedFile("答复.pdf", PDF)})
    assert r.status_code == 302
    r = client.get(url(a, "reply.pdf"))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    # the member reads it only once the office approved the reply
    assert cast.world.client_for(cast.world.member).get(url(a, "reply.pdf")).status_code == 404


def test_it_refuses_a_disguised_upload(cast):
    a = cast.handling()
    r = cast.world.client_for(cast.world.unit_user).post(
        url(a, "reply-file/"), {"file": SimpleUploadedFile("答复.pdf", b"MZ\x90\x00 an exe")}
    )
    assert r.status_code == 422
    assert "请上传 PDF 文件" in r.content.decode()
