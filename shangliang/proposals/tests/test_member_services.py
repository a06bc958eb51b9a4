"""Drafting, cosigning, attachments and submitting, at the service level."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shangliang.core.errors import Conflict, Forbidden, Invalid
from shangliang.core.models import AuditEvent
from shangliang.orgs.models import Session, Unit
from shangliang.proposals.models import Attachment, Cosigner, Proposal
from shangliang.proposals.selectors import (
    cosign_invitations_for,
    current_session,
    proposals_of_member,
    proposals_visible_to,
)
from shangliang.proposals.services.attachments import proposal_add_attachment
from shangliang.proposals.services.drafting import (
    proposal_act,
    proposal_invite_cosigners,
    proposal_save_draft,
)
from shangliang.proposals.steps import settings_for
from shangliang.proposals.tests.member_office_cast import (
    EXE,
    PDF,
    PNG,
    draft,
    joint,
    ooxml,
    second_member,
    submitted,
    upload,
)


def test_it_creates_a_draft_when_autosave_has_no_proposal_yet(world):
    p = proposal_save_draft(
        actor=world.member, proposal=None, membership=world.member_m, title="关于"
    )
    assert p.status == Proposal.Status.DRAFT and p.title == "关于"
    assert p.session == world.terms[world.province.pk].sessions.get()
    assert AuditEvent.objects.filter(action="proposals.draft_created", target_id=p.pk).exists()


def test_it_saves_a_draft_again_and_again(world):
    p = draft(world, title="关于")
    unit = world.unit
    p = proposal_save_draft(
        actor=world.member,
        proposal=p,
        title="关于加强农村养老服务的建议",
        suggested_units=[unit.pk],
        publish_consent=False,
    )
    assert p.title == "关于加强农村养老服务的建议" and not p.publish_consent
    assert list(p.suggested_units.all()) == [unit]


def test_it_refuses_a_units_of_another_committee_and_an_unknown_category(world):
    p = draft(world)
    other = Unit.objects.create(org=world.county_a, name="甲县教育局")
    with pytest.raises(Invalid) as exc:
        proposal_save_draft(actor=world.member, proposal=p, suggested_units=[other.pk])
    assert "suggested_units" in exc.value.fields
    with pytest.raises(Invalid):
        proposal_save_draft(actor=world.member, proposal=p, category="体育")


def test_it_refuses_a_title_longer_than_the_settings_allow(world):
    conf = settings_for(world.province)
    conf.title_max_length = 10
    conf.save()
    with pytest.raises(Invalid) as exc:
        draft(world, title="关于" + "很" * 20 + "的建议")
    assert "title" in exc.value.fields


def test_another_user_cannot_save_someone_elses_draft(world):
    p = draft(world)
    with pytest.raises(Forbidden):
        proposal_save_draft(actor=world.county_a_member, proposal=p, title="关于X的建议")


def test_only_serving_members_of_the_current_term_draft(world):
    world.member_m.status = "exited"
    world.member_m.save()
    with pytest.raises(Forbidden):
        draft(world)


def test_the_session_is_the_next_deadline_else_the_latest(world):
    term = world.terms[world.province.pk]
    first = term.sessions.get()
    now = timezone.now()
    first.proposal_deadline = now - dt.timedelta(days=300)
    first.save()
    second = Session.objects.create(
        term=term,
        number=2,
        name="二次会议",
        opens_on=dt.date(2028, 1, 10),
        closes_on=dt.date(2028, 1, 14),
        proposal_deadline=now - dt.timedelta(days=10),
    )
    assert current_session(world.province) == second
    third = Session.objects.create(
        term=term,
        number=3,
        name="三次会议",
        opens_on=dt.date(2029, 1, 10),
        closes_on=dt.date(2029, 1, 14),
        proposal_deadline=now + dt.timedelta(days=100),
    )
    assert current_session(world.province) == third


def test_it_gives_a_clear_message_for_a_title_that_is_not_a_title(world):
    for bad in ("建议", "加强农村养老服务", "关于加强农村养老服务"):
        p = draft(world, title=bad)
        with pytest.raises(Invalid) as exc:
            proposal_act(actor=world.member, proposal=p, action="submit")
        assert "title" in exc.value.fields
        assert "关于" in exc.value.detail or "太短" in exc.value.detail
        p.refresh_from_db()
        assert p.status == Proposal.Status.DRAFT


def test_a_collective_proposal_needs_its_type_and_name(world):
    p = draft(world, kind=Proposal.Kind.COLLECTIVE)
    with pytest.raises(Invalid) as exc:
        proposal_act(actor=world.member, proposal=p, action="submit")
    assert {"collective_type", "collective_name"} <= set(exc.value.fields)
    p = proposal_save_draft(
        actor=world.member, proposal=p, collective_type="sector", collective_name="教育界"
    )
    p = proposal_act(actor=world.member, proposal=p, action="submit")
    assert p.status == Proposal.Status.IN_REVIEW


def test_submitting_twice_submits_once_and_the_second_conflicts(world):
    p = draft(world)
    stale = Proposal.objects.get(pk=p.pk)
    proposal_act(actor=world.member, proposal=p, action="submit")
    with pytest.raises(Conflict):
        proposal_act(actor=world.member, proposal=stale, action="submit")
    assert Proposal.objects.filter(author=world.member_m).count() == 1
    assert AuditEvent.objects.filter(action="proposals.proposal.submit").count() == 1
    with pytest.raises(Conflict):  # a late autosave of the submitted draft
        proposal_save_draft(actor=world.member, proposal=stale, title="关于改写的建议")


def test_it_invites_cosigners_of_the_same_committee_and_term_only(world):
    second = second_member(world)
    p = draft(world, kind=Proposal.Kind.JOINT)
    with pytest.raises(Invalid):
        proposal_invite_cosigners(
            actor=world.member, proposal=p, memberships=[world.county_a_member_m.pk]
        )
    with pytest.raises(Invalid):  # not yourself
        proposal_invite_cosigners(actor=world.member, proposal=p, memberships=[world.member_m.pk])
    made = proposal_invite_cosigners(actor=world.member, proposal=p, memberships=[second.pk])
    assert [c.membership for c in made] == [second]
    again = proposal_invite_cosigners(actor=world.member, proposal=p, memberships=[second.pk])
    assert again == [] and p.cosigners.count() == 1


def test_an_individual_proposal_invites_nobody(world):
    second = second_member(world)
    p = draft(world)
    with pytest.raises(Invalid):
        proposal_invite_cosigners(actor=world.member, proposal=p, memberships=[second.pk])


def test_only_confirmed_cosigners_count(world):
    second = second_member(world)
    third = second_member(world, name="省委员丙", username="member3")
    p = joint(world, second)
    proposal_invite_cosigners(actor=world.member, proposal=p, memberships=[third.pk])
    p = proposal_act(actor=world.member, proposal=p, action="submit")
    assert cosign_invitations_for(user=second.user).count() == 1
    proposal_act(actor=second.user, proposal=p, action="cosign")
    proposal_act(actor=third.user, proposal=Proposal.objects.get(pk=p.pk), action="decline_cosign")
    statuses = dict(p.cosigners.values_list("membership_id", "status"))
    assert statuses == {second.pk: "confirmed", third.pk: "declined"}
    assert p in proposals_of_member(user=second.user)
    assert p not in proposals_of_member(user=third.user)
    assert p not in proposals_visible_to(user=third.user)
    with pytest.raises(Forbidden):  # the invitation was answered
        proposal_act(actor=third.user, proposal=Proposal.objects.get(pk=p.pk), action="cosign")


def test_switching_away_from_joint_drops_open_invitations(world):
    second = second_member(world)
    p = joint(world, second)
    proposal_save_draft(actor=world.member, proposal=p, kind=Proposal.Kind.INDIVIDUAL)
    assert not Cosigner.objects.filter(proposal=p).exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("提案材料.pdf", PDF, "application/pdf"),
        ("照片.png", PNG, "image/png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("数据.xlsx", ooxml("xl/workbook.xml"), "spreadsheetml"),
        ("说明.docx", ooxml("word/document.xml"), "wordprocessingml"),
        ("汇报.pptx", ooxml("ppt/presentation.xml"), "presentationml"),
        ("旧文件.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "msword"),
    ],
)
def test_it_accepts_attachments_by_their_content(world, settings, tmp_path, name, content, kind):
    settings.MEDIA_ROOT = tmp_path
    p = draft(world)
    a = proposal_add_attachment(actor=world.member, proposal=p, file=upload(name, content))
    assert a.name == name and kind in a.content_type and a.size == len(content)
    assert a.file.name and not a.file.name.endswith(name)  # stored under a generated name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("看起来是文档.pdf", EXE),
        ("脚本.docx", b"#!/bin/sh\necho hi\n"),
        ("压缩包.xlsx", ooxml("other/thing.xml")),
        ("空.pdf", b""),
    ],
)
def test_it_refuses_attachments_whose_content_is_not_allowed(
    world, settings, tmp_path, name, content
):
    settings.MEDIA_ROOT = tmp_path
    p = draft(world)
    with pytest.raises(Invalid):
        proposal_add_attachment(actor=world.member, proposal=p, file=upload(name, content))
    assert not Attachment.objects.exists()


def test_it_keeps_the_count_and_size_limits(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    conf = settings_for(world.province)
    conf.max_attachments = 2
    conf.max_attachment_mb = 1
    conf.save()
    p = draft(world)
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(Invalid, match="1 MB"):
        proposal_add_attachment(actor=world.member, proposal=p, file=upload("大.pdf", big))
    for n in range(2):
        proposal_add_attachment(actor=world.member, proposal=p, file=upload(f"{n}.pdf", PDF))
    with pytest.raises(Invalid, match="最多 2 个"):
        proposal_add_attachment(actor=world.member, proposal=p, file=upload("3.pdf", PDF))


def test_attachments_are_closed_after_submission(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = submitted(world)
    with pytest.raises(Conflict):
        proposal_add_attachment(actor=world.member, proposal=p, file=upload("a.pdf", PDF))
    with pytest.raises(Forbidden):
        proposal_add_attachment(
            actor=world.county_a_member, proposal=draft(world), file=upload("a.pdf", PDF)
        )
