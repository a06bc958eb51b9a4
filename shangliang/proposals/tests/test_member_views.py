"""Members' pages: my proposals, the draft form with autosave, submitting, cosigning,
attachments, the proposal page and who may open it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from shangliang.accounts.models import Role
from shangliang.proposals.models import Cosigner, Proposal
from shangliang.proposals.services.drafting import proposal_act
from shangliang.proposals.tests.member_office_cast import (
    PDF,
    TEXT,
    accepted,
    draft,
    joint,
    office_of,
    second_member,
    submitted,
    upload,
)
from shangliang.testing import make_role


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {"kind": "individual", "publish_consent": "on", **TEXT}
    data.update(overrides)
    return data


def test_it_lists_my_proposals_as_author_and_cosigner_with_their_stage(world):
    second = second_member(world)
    mine = submitted(world)
    theirs = joint(world, second, title="关于发展托育服务的建议")
    proposal_act(actor=world.member, proposal=theirs, action="submit")
    proposal_act(actor=second.user, proposal=Proposal.objects.get(pk=theirs.pk), action="cosign")
    response = world.client_for(second.user).get(reverse("proposals:mine"))
    assert response.status_code == 200
    assert "关于发展托育服务的建议" in response.text and mine.title not in response.text
    assert "联名人" in response.text and "初审" in response.text
    response = world.client_for(world.member).get(reverse("proposals:mine"))
    assert mine.title in response.text and "第一提案人" in response.text


def test_the_new_page_autosaves_into_one_draft(world):
    client = world.client_for(world.member)
    page = client.get(reverse("proposals:new"))
    assert page.status_code == 200
    assert 'hx-trigger="input changed delay:5s' in page.text
    token = page.context["token"]
    url = reverse("proposals:draft_save")
    first = client.post(
        url, {**form_data(title="关于"), "draft_token": token}, HTTP_HX_REQUEST="true"
    )
    assert first.status_code == 200 and "已自动保存" in first.text
    p = Proposal.objects.get()
    assert first["HX-Replace-Url"] == reverse("proposals:edit", args=[p.pk])
    assert f'value="{p.pk}"' in first.text  # the form learns its draft's id
    client.post(url, {**form_data(), "proposal": p.pk}, HTTP_HX_REQUEST="true")
    # the 保存草稿 button on a stale new form (double tap) finds the same draft by its token
    again = client.post(url, {**form_data(), "draft_token": token})
    assert again.status_code == 302
    assert Proposal.objects.count() == 1
    assert Proposal.objects.get().title == TEXT["title"]


def test_autosave_shows_a_problem_instead_of_saving(world):
    p = draft(world)
    response = world.client_for(world.member).post(
        reverse("proposals:draft_save"),
        form_data(proposal=p.pk, category="体育"),
        HTTP_HX_REQUEST="true",
    )
    assert "尚未保存" in response.text
    p.refresh_from_db()
    assert p.category == "社会"


def test_nobody_else_saves_into_my_draft(world):
    p = draft(world)
    response = world.client_for(world.county_a_member).post(
        reverse("proposals:draft_save"), form_data(proposal=p.pk), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404


def test_it_submits_once_when_tapped_twice(world):
    p = draft(world)
    client = world.client_for(world.member)
    url = reverse("proposals:submit", args=[p.pk])
    first = client.post(url, form_data(), follow=True)
    assert "提案已提交" in first.text
    second = client.post(url, form_data(), follow=True)
    assert "这件提案已经提交" in second.text
    p.refresh_from_db()
    assert p.status == Proposal.Status.IN_REVIEW and Proposal.objects.count() == 1


def test_a_bad_title_is_shown_beside_the_field(world):
    p = draft(world)
    response = world.client_for(world.member).post(
        reverse("proposals:submit", args=[p.pk]), form_data(title="养老")
    )
    assert response.status_code == 200
    assert "案由太短" in response.text and "is-invalid" in response.text
    p.refresh_from_db()
    assert p.status == Proposal.Status.DRAFT and p.title == "养老"  # the text is kept


def test_a_member_invites_confirms_and_declines_through_the_pages(world):
    second = second_member(world)
    second_member(world, name="乙县同名", username="x")  # same name elsewhere is not offered
    p = draft(world, kind="joint")
    client = world.client_for(world.member)
    found = client.get(reverse("proposals:cosigner_search", args=[p.pk]), {"q": "省委员"})
    assert "省委员乙" in found.text and "省委员甲" not in found.text
    outsider = client.get(reverse("proposals:cosigner_search", args=[p.pk]), {"q": "甲县"})
    assert "甲县委员" not in outsider.text
    invited = client.post(
        reverse("proposals:cosigner_invite", args=[p.pk]),
        {"membership": second.pk},
        HTTP_HX_REQUEST="true",
    )
    assert "待确认" in invited.text
    refused = client.post(
        reverse("proposals:cosigner_invite", args=[p.pk]),
        {"membership": world.county_a_member_m.pk},
        HTTP_HX_REQUEST="true",
    )
    assert "只能邀请本届" in refused.text
    theirs = world.client_for(second.user)
    assert "关于推进" in theirs.get(reverse("proposals:invitations")).text
    done = theirs.post(reverse("proposals:action", args=[p.pk, "cosign"]), follow=True)
    assert "已执行：确认联名" in done.text
    assert Cosigner.objects.get(proposal=p).status == Cosigner.Status.CONFIRMED


def test_attachments_upload_download_and_remove(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = draft(world)
    client = world.client_for(world.member)
    client.post(reverse("proposals:attachment_add", args=[p.pk]), {"file": upload("材料.pdf", PDF)})
    bad = client.post(
        reverse("proposals:attachment_add", args=[p.pk]),
        {"file": upload("病毒.pdf", b"MZ\x90\x00")},
        follow=True,
    )
    assert "不是允许的文件类型" in bad.text
    a = p.attachments.get()
    response = client.get(reverse("proposals:attachment", args=[p.pk, a.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    outsider = world.client_for(world.county_a_member)
    assert outsider.get(reverse("proposals:attachment", args=[p.pk, a.pk])).status_code == 404
    client.post(reverse("proposals:attachment_remove", args=[p.pk, a.pk]))
    assert not p.attachments.exists()


def test_the_proposal_page_shows_text_history_and_actions(world):
    office = office_of(world)
    p = accepted(world, office)
    response = world.client_for(world.member).get(reverse("proposals:detail", args=[p.pk]))
    assert response.status_code == 200
    text = response.text
    assert p.title in text and "第0001号" in text and "办理记录" in text and "立案" in text
    office_page = world.client_for(office).get(reverse("proposals:detail", args=[p.pk]))
    assert reverse("proposals:office_assign", args=[p.pk]) in office_page.text


def test_outsiders_get_404_for_proposals_they_are_not_on(world):
    p = submitted(world)
    d = draft(world, title="关于草稿的建议")
    for user in (world.county_a_member, world.unit_user, world.public, world.county_a_office):
        client = world.client_for(user)
        assert client.get(reverse("proposals:detail", args=[p.pk])).status_code == 404
        assert client.get(reverse("proposals:detail", args=[d.pk])).status_code == 404
        assert client.post(reverse("proposals:action", args=[p.pk, "withdraw"])).status_code == 404
    # the office sees the submitted one but not the draft
    office = world.client_for(office_of(world))
    assert office.get(reverse("proposals:detail", args=[p.pk])).status_code == 200
    assert office.get(reverse("proposals:detail", args=[d.pk])).status_code == 404
    leader = make_role(world.province, Role.Kind.LEADER, username="l2")
    assert world.client_for(leader).get(reverse("proposals:detail", args=[p.pk])).status_code == 200


def test_the_author_withdraws_from_the_page(world):
    p = submitted(world)
    response = world.client_for(world.member).post(
        reverse("proposals:action", args=[p.pk, "withdraw"]),
        {"withdraw-reason": "重复"},
        follow=True,
    )
    assert "已执行：撤案" in response.text
    p.refresh_from_db()
    assert p.status == Proposal.Status.WITHDRAWN


def test_a_returned_proposal_is_revised_and_resubmitted(world):
    office = office_of(world)
    p = submitted(world)
    proposal_act(actor=office, proposal=p, action="review", outcome="return", reason="请补充数据")
    client = world.client_for(world.member)
    edit = client.get(reverse("proposals:edit", args=[p.pk]))
    assert "请补充数据" in edit.text and "修改后重新提交" in edit.text
    client.post(reverse("proposals:submit", args=[p.pk]), form_data(situation="补充了数据"))
    p.refresh_from_db()
    assert p.status == Proposal.Status.IN_REVIEW and p.situation == "补充了数据"


def test_the_home_page_lists_the_members_todos(world):
    second = second_member(world)
    p = joint(world, second)
    proposal_act(actor=world.member, proposal=p, action="submit")
    draft(world, title="关于")
    home = world.client_for(second.user).get(reverse("web:home"))
    assert "联名邀请待确认" in home.text
    assert "未提交的提案草稿" in world.client_for(world.member).get(reverse("web:home")).text


def test_the_nav_has_my_proposals_for_members_only(world):
    assert "我的提案" in world.client_for(world.member).get(reverse("web:home")).text
    assert "我的提案" not in world.client_for(world.unit_user).get(reverse("web:home")).text


def test_my_proposals_page_does_not_grow_queries_with_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client_for(world.member)
    submitted(world, title="关于第一件的建议")
    client.get(reverse("proposals:mine"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("proposals:mine"), HTTP_HX_REQUEST="true")
    for n in range(5):
        submitted(world, title=f"关于第{n}批的建议")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("proposals:mine"), HTTP_HX_REQUEST="true")
    assert response.context["page"].paginator.count == 6
    assert len(many) == len(few)
