"""The report's workflow through the services: submission rules, editing and review, sign-off,
publication, upward reporting, adoption per level, instructions, forwarding, feedback, and
every bad input of the issue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shangliang.core.errors import Conflict, Forbidden, Invalid
from shangliang.core.models import AuditEvent
from shangliang.opinions.credits import credited
from shangliang.opinions.models import (
    Adoption,
    Check,
    Feedback,
    Forwarding,
    Issue,
    Opinion,
    OpinionSettings,
)
from shangliang.opinions.services import forwarding_reply, opinion_act, opinion_save_draft
from shangliang.opinions.services.feedback import opinions_send_feedback, topic_guide_publish
from shangliang.opinions.tests.cast import TEXT, Cast

pytestmark = pytest.mark.django_db
S = Opinion.Status


def test_it_submits_a_report_with_its_three_parts(cast: Cast) -> None:
    o = cast.report()
    assert o.status == S.SUBMITTED and o.submitted_at is not None
    assert o.origin_id == o.pk
    assert [c.user_id for c in credited(o.pk)] == [cast.world.member.pk]
    assert credited(o.pk)[0].membership_id == cast.world.member_m.pk
    assert credited(o.pk)[0].first is True


def test_it_refuses_a_report_without_analysis(cast: Cast) -> None:
    o = opinion_save_draft(
        actor=cast.world.member, org=cast.world.province, **{**TEXT, "analysis": ""}
    )
    with pytest.raises(Invalid) as exc:
        opinion_act(actor=cast.world.member, opinion=o, action="submit")
    assert "analysis" in exc.value.fields
    o.refresh_from_db()
    assert o.status == S.DRAFT


def test_it_refuses_an_over_length_text_and_writes_nothing(cast: Cast) -> None:
    long = "字" * 1490
    with pytest.raises(Invalid) as exc:
        opinion_save_draft(
            actor=cast.world.member, org=cast.world.province, **{**TEXT, "situation": long}
        )
    assert "1500" in exc.value.detail and "text" in exc.value.fields
    assert not Opinion.objects.exists()


def test_it_counts_the_length_limit_from_the_settings(cast: Cast) -> None:
    OpinionSettings.objects.create(org=cast.world.province, max_length=50)
    with pytest.raises(Invalid):
        opinion_save_draft(actor=cast.world.member, org=cast.world.province, **TEXT)


def test_an_informant_reports_without_a_membership(cast: Cast) -> None:
    o = cast.report(cast.informant)
    assert o.reporter_kind == Opinion.ReporterKind.INFORMANT
    assert credited(o.pk)[0].membership_id is None


def test_it_credits_joint_reporters(cast: Cast) -> None:
    o = cast.report(co_reporters=[cast.second.user_id, cast.informant.pk])
    users = [c.user_id for c in credited(o.pk)]
    assert users == [cast.world.member.pk, cast.second.user_id, cast.informant.pk]
    assert [c.first for c in credited(o.pk)] == [True, False, False]


def test_it_refuses_a_joint_reporter_from_another_organisation(cast: Cast) -> None:
    with pytest.raises(Invalid) as exc:
        cast.report(co_reporters=[cast.city_member.user_id])
    assert "co_reporters" in exc.value.fields
    assert not Opinion.objects.exists()


def test_it_refuses_a_reporter_who_does_not_serve_the_organisation(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        opinion_save_draft(actor=cast.city_member.user, org=cast.world.province, **TEXT)
    assert not Opinion.objects.exists()


def test_a_party_reports_through_its_contact(cast: Cast) -> None:
    with pytest.raises(Invalid):
        opinion_save_draft(
            actor=cast.world.member, org=cast.world.province, reporter_kind="party", **TEXT
        )
    o = opinion_save_draft(
        actor=cast.world.member,
        org=cast.world.province,
        reporter_kind="party",
        reporter_unit="民盟省委会",
        **TEXT,
    )
    assert o.reporter_unit == "民盟省委会"


def test_the_office_edits_checks_signs_off_and_publishes(cast: Cast) -> None:
    o = cast.report()
    o = opinion_act(actor=cast.office, opinion=o, action="start_editing")
    assert o.edited_title == TEXT["title"] and TEXT["analysis"] in o.edited_text
    o = opinion_act(
        actor=cast.office,
        opinion=o,
        action="edit",
        title="城区小学放学后托管难亟待破解",
        text="编辑后的正文。",
    )
    assert o.title == TEXT["title"]  # the original stays
    for gate in ("political", "facts", "topic", "content", "wording"):
        o = opinion_act(actor=cast.office, opinion=o, action="check", gate=gate, passed=True)
    o = opinion_act(actor=cast.office, opinion=o, action="sign_off")
    assert o.status == S.SIGNED_OFF and o.signed_off_by == cast.office
    o = opinion_act(actor=cast.office, opinion=o, action="publish", series="sqmy")
    assert o.status == S.PUBLISHED and o.issue is not None and o.issue.number == 1
    assert o.issue_order == 1
    second = cast.signed(cast.report(cast.informant))
    second = opinion_act(
        actor=cast.office, opinion=second, action="publish", series="sqmy", issue=1
    )
    assert second.issue_id == o.issue_id and second.issue_order == 2
    actions = list(
        AuditEvent.objects.filter(target_id=str(o.pk), target_type="opinions.opinion")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[:3] == [
        "opinions.draft_created",
        "opinions.opinion.submit",
        "opinions.opinion.start_editing",
    ]
    assert actions[-1] == "opinions.opinion.publish"


def test_it_refuses_to_publish_the_same_report_twice(cast: Cast) -> None:
    o = cast.signed(cast.report())
    o = opinion_act(actor=cast.office, opinion=o, action="publish", series="sqmy")
    with pytest.raises(Invalid) as exc:
        opinion_act(actor=cast.office, opinion=o, action="publish", series="zhuanbao")
    assert "不能重复编发" in exc.value.detail
    assert Issue.objects.count() == 1


def test_it_refuses_an_unknown_series(cast: Cast) -> None:
    o = cast.signed(cast.report())
    with pytest.raises(Invalid):
        opinion_act(actor=cast.office, opinion=o, action="publish", series="weekly")
    assert not Issue.objects.exists()


def test_a_failed_gate_blocks_the_sign_off(cast: Cast) -> None:
    """Two matters in one report, flagged by the editor at the topic gate."""
    o = opinion_act(actor=cast.office, opinion=cast.report(), action="start_editing")
    for gate in ("political", "facts", "content", "wording"):
        o = opinion_act(actor=cast.office, opinion=o, action="check", gate=gate, passed=True)
    with pytest.raises(Invalid) as exc:
        opinion_act(actor=cast.office, opinion=o, action="check", gate="topic", passed=False)
    assert "原因" in exc.value.detail
    o = opinion_act(
        actor=cast.office,
        opinion=o,
        action="check",
        gate="topic",
        passed=False,
        note="一文反映两件事（托管、校车），请一事一报。",
    )
    with pytest.raises(Invalid) as exc:
        opinion_act(actor=cast.office, opinion=o, action="sign_off")
    assert "选题关" in exc.value.detail
    o.refresh_from_db()
    assert o.status == S.EDITING and o.signed_off_at is None
    o = opinion_act(
        actor=cast.office, opinion=o, action="return_to_reporter", questions="请拆分为两篇。"
    )
    assert o.status == S.RETURNED and o.questions == "请拆分为两篇。"
    o = opinion_save_draft(actor=cast.world.member, opinion=o, situation="只写托管的情况。")
    o = opinion_act(actor=cast.world.member, opinion=o, action="resubmit")
    assert o.status == S.SUBMITTED


def test_it_refuses_a_gate_not_in_the_checklist(cast: Cast) -> None:
    o = opinion_act(actor=cast.office, opinion=cast.report(), action="start_editing")
    with pytest.raises(Invalid):
        opinion_act(actor=cast.office, opinion=o, action="check", gate="length", passed=True)
    assert not Check.objects.exists()


def test_a_missing_gate_blocks_the_sign_off(cast: Cast) -> None:
    o = opinion_act(actor=cast.office, opinion=cast.report(), action="start_editing")
    with pytest.raises(Invalid) as exc:
        opinion_act(actor=cast.office, opinion=o, action="sign_off")
    assert "尚未审核" in exc.value.detail


def test_only_the_configured_signers_sign_off(cast: Cast) -> None:
    OpinionSettings.objects.create(org=cast.world.province, signers=[cast.world.leader.pk])
    o = cast.report()
    with pytest.raises(Forbidden):
        cast.signed(o)
    o.refresh_from_db()
    o = opinion_act(actor=cast.world.leader, opinion=o, action="sign_off")
    assert o.signed_off_by == cast.world.leader


def test_a_second_editor_with_a_stale_copy_gets_a_conflict(cast: Cast) -> None:
    o = opinion_act(actor=cast.office, opinion=cast.report(), action="start_editing")
    stale = Opinion.objects.get(pk=o.pk)
    opinion_act(
        actor=cast.office, opinion=o, action="edit", title="第一位编辑的标题", text="正文一"
    )
    with pytest.raises(Conflict):
        opinion_act(actor=cast.office, opinion=stale, action="edit", title="第二位", text="正文二")
    o.refresh_from_db()
    assert o.edited_title == "第一位编辑的标题"


def test_the_editor_page_version_catches_a_change_meanwhile(cast: Cast) -> None:
    o = opinion_act(actor=cast.office, opinion=cast.report(), action="start_editing")
    seen = o.updated_at.isoformat()
    opinion_act(actor=cast.office, opinion=o, action="edit", title="先改", text="正文")
    fresh = Opinion.objects.get(pk=o.pk)
    with pytest.raises(Conflict):
        opinion_act(
            actor=cast.office,
            opinion=fresh,
            action="edit",
            seen_version=seen,
            title="后改",
            text="正文",
        )


def test_it_keeps_a_report_on_file_with_a_reason(cast: Cast) -> None:
    o = cast.report()
    with pytest.raises(Invalid):
        opinion_act(actor=cast.office, opinion=o, action="keep_on_file", reason="")
    o = opinion_act(actor=cast.office, opinion=o, action="keep_on_file", reason="属于常规工作")
    assert o.status == S.KEPT and o.keep_reason == "属于常规工作"


def test_combined_items_credit_every_reporter(cast: Cast) -> None:
    a = cast.report()
    b = cast.report(cast.second.user)
    c = cast.report(cast.informant)
    b = opinion_act(actor=cast.office, opinion=b, action="combine", into=a.pk)
    c = opinion_act(actor=cast.office, opinion=c, action="combine", into=a.pk)
    assert b.status == S.COMBINED and b.combined_into_id == a.pk
    users = {cr.user_id for cr in credited(a.pk)}
    assert users == {cast.world.member.pk, cast.second.user_id, cast.informant.pk}
    a = cast.signed(Opinion.objects.get(pk=a.pk))
    a = opinion_act(
        actor=cast.office, opinion=a, action="record_adoption", level="province", kind="combined"
    )
    assert Adoption.objects.get(opinion=a).kind == "combined"


def test_it_refuses_to_combine_into_another_committees_report(cast: Cast) -> None:
    city = cast.report(cast.city_member.user, cast.world.city)
    o = cast.report()
    with pytest.raises(Invalid):
        opinion_act(actor=cast.office, opinion=o, action="combine", into=city.pk)
    with pytest.raises(Invalid):
        opinion_act(actor=cast.office, opinion=o, action="combine", into=o.pk)


def test_a_city_report_is_reported_upward_and_adopted_at_both_levels(cast: Cast) -> None:
    o = cast.report(cast.city_member.user, cast.world.city)
    o = cast.signed(o, cast.city_office)
    o = opinion_act(
        actor=cast.city_office, opinion=o, action="record_adoption", level="city", kind="single"
    )
    o = opinion_act(actor=cast.city_office, opinion=o, action="report_upward")
    copy = Opinion.objects.get(source=o)
    assert copy.org == cast.world.province and copy.status == S.SUBMITTED
    assert copy.kind == Opinion.Kind.UPWARD and copy.origin_id == o.pk
    assert copy.title == o.edited_title and copy.reporter_unit == str(cast.world.city)
    assert [c.user_id for c in credited(copy.pk)] == [cast.city_member.user_id]
    assert credited(copy.pk)[0].org_id == cast.world.city.pk
    with pytest.raises(Invalid) as exc:
        opinion_act(actor=cast.city_office, opinion=o, action="report_upward")
    assert "重复" in exc.value.detail
    copy = cast.signed(copy)
    copy = opinion_act(
        actor=cast.office, opinion=copy, action="record_adoption", level="province", kind="single"
    )
    levels = sorted(Adoption.objects.values_list("level", flat=True))
    assert levels == ["city", "province"]


def test_it_refuses_an_adoption_at_a_level_the_report_never_reached(cast: Cast) -> None:
    o = cast.signed(cast.report(cast.city_member.user, cast.world.city), cast.city_office)
    with pytest.raises(Invalid) as exc:
        opinion_act(
            actor=cast.city_office,
            opinion=o,
            action="record_adoption",
            level="province",
            kind="single",
        )
    assert "未报送到省级" in exc.value.detail
    o = cast.signed(cast.report())
    with pytest.raises(Invalid):
        opinion_act(
            actor=cast.office, opinion=o, action="record_adoption", level="national", kind="single"
        )
    assert not Adoption.objects.exists()


def test_it_refuses_the_same_adoption_twice(cast: Cast) -> None:
    o = cast.signed(cast.report())
    o = opinion_act(
        actor=cast.office, opinion=o, action="record_adoption", level="province", kind="single"
    )
    with pytest.raises(Invalid):
        opinion_act(
            actor=cast.office,
            opinion=o,
            action="record_adoption",
            level="province",
            kind="combined",
        )
    assert Adoption.objects.count() == 1


def test_the_province_reports_to_the_national_committee_by_hand(cast: Cast) -> None:
    o = cast.signed(cast.report())
    o = opinion_act(actor=cast.office, opinion=o, action="report_upward")
    assert o.reported_national and not Opinion.objects.filter(source=o).exists()
    o = opinion_act(
        actor=cast.office, opinion=o, action="record_adoption", level="national", kind="single"
    )
    with pytest.raises(Invalid) as exc:
        opinion_act(actor=cast.office, opinion=o, action="report_upward")
    assert "重复" in exc.value.detail


def test_it_refuses_to_report_upward_from_the_top_level(cast: Cast) -> None:
    from shangliang.testing import make_org, make_role

    national = make_org("全国政协", 0)
    office = make_role(national, "info_office", username="nat_office")
    o = Opinion.objects.create(
        org=national, author=office, title="t", situation="s", status=S.SIGNED_OFF
    )
    with pytest.raises(Invalid) as exc:
        opinion_act(actor=office, opinion=o, action="report_upward")
    assert "最高一级" in exc.value.detail


def test_an_instruction_is_recorded_and_fed_back(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    o = cast.signed(cast.report(co_reporters=[cast.second.user_id]))
    o = opinion_act(actor=cast.office, opinion=o, action="publish", series="sqmy")
    o = opinion_act(
        actor=cast.office, opinion=o, action="record_adoption", level="province", kind="single"
    )
    o = opinion_act(
        actor=cast.office,
        opinion=o,
        action="record_instruction",
        leader_level="province",
        leader="省委副书记",
        text="请省教育厅研究落实。",
        date="2026-11-02",
    )
    assert o.instructions.get().date == dt.date(2026, 11, 2)
    sent = opinions_send_feedback(actor=cast.office, org=cast.world.province, opinion_ids=[o.pk])
    assert sorted(f.user_id for f in sent) == sorted([cast.world.member.pk, cast.second.user_id])
    text = Feedback.objects.filter(user=cast.world.member).get().text
    assert "省级单篇采用" in text and "请省教育厅研究落实" in text
    hidden = opinions_send_feedback(
        actor=cast.office, org=cast.world.province, opinion_ids=[o.pk], with_instructions=False
    )
    assert "请省教育厅研究落实" not in hidden[0].text and "已作批示" in hidden[0].text


def test_feedback_is_for_the_office_only(cast: Cast) -> None:
    o = cast.report()
    with pytest.raises(Forbidden):
        opinions_send_feedback(actor=cast.world.member, org=cast.world.province, opinion_ids=[o.pk])
    city = cast.report(cast.city_member.user, cast.world.city)
    with pytest.raises(Invalid):
        opinions_send_feedback(actor=cast.office, org=cast.world.province, opinion_ids=[city.pk])


def test_forwarded_items_reach_the_unit_which_replies(cast: Cast) -> None:
    o = cast.signed(cast.report())
    o = opinion_act(actor=cast.office, opinion=o, action="forward", units=[cast.world.unit.pk])
    f = Forwarding.objects.get(opinion=o)
    with pytest.raises(Forbidden):
        forwarding_reply(actor=cast.world.member, forwarding=f, text="x")
    f = forwarding_reply(actor=cast.world.unit_user, forwarding=f, text="已研究，将纳入明年计划。")
    assert f.status == Forwarding.Status.REPLIED and f.replied_at is not None


def test_it_refuses_to_forward_to_another_committees_unit(cast: Cast) -> None:
    from shangliang.orgs.models import Unit

    other = Unit.objects.create(org=cast.world.city, name="测试市教育局")
    o = cast.signed(cast.report())
    with pytest.raises(Invalid):
        opinion_act(actor=cast.office, opinion=o, action="forward", units=[other.pk])
    assert not Forwarding.objects.exists()


def test_the_reporter_withdraws_but_the_office_cannot(cast: Cast) -> None:
    o = cast.report()
    with pytest.raises(Forbidden):
        opinion_act(actor=cast.office, opinion=o, action="withdraw")
    o = opinion_act(actor=cast.world.member, opinion=o, action="withdraw", reason="重复报送")
    assert o.status == S.WITHDRAWN


def test_the_office_of_another_committee_cannot_act(cast: Cast) -> None:
    o = cast.report()
    with pytest.raises(Forbidden):
        opinion_act(actor=cast.city_office, opinion=o, action="start_editing")


def test_a_topic_guide_needs_topics(cast: Cast) -> None:
    with pytest.raises(Invalid):
        topic_guide_publish(
            actor=cast.office, org=cast.world.province, title="2027年选题", topics=" "
        )
    guide = topic_guide_publish(
        actor=cast.office,
        org=cast.world.province,
        title="2027年第一季度选题指南",
        topics="优化营商环境\n基层减负\n",
    )
    assert guide.topic_lines == ["优化营商环境", "基层减负"]


def test_events_are_announced_with_their_data(cast: Cast, monkeypatch) -> None:
    from shangliang.core import workflow as engine

    seen: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(
        engine, "announce", lambda name, obj, actor, data: seen.append((name, data))
    )
    o = cast.signed(cast.report())
    opinion_act(
        actor=cast.office, opinion=o, action="record_adoption", level="province", kind="single"
    )
    opinion_act(
        actor=cast.office,
        opinion=o,
        action="record_instruction",
        leader_level="province",
        leader="省长",
        text="阅",
        date="2026-11-02",
    )
    names = [n for n, _d in seen]
    assert names == ["opinion.submitted", "opinion.adopted", "opinion.instructed"]
    assert seen[1][1] == {"level": "province", "kind": "single"}
    assert seen[2][1]["leader_level"] == "province"
