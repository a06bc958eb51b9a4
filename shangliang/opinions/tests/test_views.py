"""The pages: writing with the topic guide and similar reports, the office's queue and editor
(differences marked and escaped), actions, feedback, issues and their PDF, figures and
exports, units' replies; scoping (404) and constant queries per list page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shangliang.opinions.models import Feedback, Forwarding, Opinion
from shangliang.opinions.services import opinion_act
from shangliang.opinions.services.feedback import topic_guide_publish
from shangliang.opinions.tests.cast import TEXT, Cast

pytestmark = pytest.mark.django_db
S = Opinion.Status


def test_a_member_writes_and_submits_on_the_page(cast: Cast) -> None:
    topic_guide_publish(
        actor=cast.office, org=cast.world.province, title="第四季度选题", topics="托管服务\n养老"
    )
    client = cast.world.client_for(cast.world.member)
    page = client.get(reverse("opinions:new"))
    assert page.status_code == 200 and "托管服务" in page.content.decode()
    data = {
        "org": cast.world.province.pk,
        "reporter_kind": "member",
        "reporter_unit": "",
        "co_reporters": "m2",
        **TEXT,
        "submit": "1",
    }
    r = client.post(reverse("opinions:new"), data)
    o = Opinion.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("opinions:detail", args=[o.pk])
    assert o.status == S.SUBMITTED and o.reporters.count() == 2


def test_an_over_length_text_is_shown_on_the_form_and_nothing_saved(cast: Cast) -> None:
    client = cast.world.client_for(cast.world.member)
    data = {"org": cast.world.province.pk, "reporter_kind": "member", **TEXT}
    data["situation"] = "字" * 1600
    r = client.post(reverse("opinions:new"), {**data, "submit": "1"})
    assert r.status_code == 200 and "不能超过 1500 字" in r.content.decode()
    assert not Opinion.objects.exists()


def test_the_similar_panel_lists_visible_reports(cast: Cast) -> None:
    cast.report()
    client = cast.world.client_for(cast.world.member)
    r = client.post(
        reverse("opinions:similar"),
        {"org": cast.world.province.pk, "title": "关于小学放学后托管的建议", "situation": "托管"},
    )
    assert TEXT["title"] in r.content.decode()
    other = cast.world.client_for(cast.second.user)
    r = other.post(reverse("opinions:similar"), {"title": "关于小学放学后托管的建议"})
    assert TEXT["title"] not in r.content.decode()


def test_the_editor_shows_the_original_and_marks_the_differences_escaped(cast: Cast) -> None:
    o = opinion_act(actor=cast.office, opinion=cast.report(), action="start_editing")
    client = cast.world.client_for(cast.office)
    page = client.get(reverse("opinions:editor", args=[o.pk]))
    version = page.context["form"]["version"].value()
    r = client.post(
        reverse("opinions:editor", args=[o.pk]),
        {"title": "托管难<script>x</script>", "text": "新正文", "version": version},
    )
    assert r.status_code == 302
    html = client.get(reverse("opinions:editor", args=[o.pk])).content.decode()
    assert "<ins" in html and "<del" in html and TEXT["analysis"] in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html
    r = client.post(
        reverse("opinions:editor", args=[o.pk]),
        {"title": "旧页面", "text": "x", "version": version},
    )
    assert r.status_code == 200 and "已被他人修改" in r.content.decode()


def test_the_office_acts_on_the_page(cast: Cast) -> None:
    o = opinion_act(actor=cast.office, opinion=cast.report(), action="start_editing")
    client = cast.world.client_for(cast.office)
    url = reverse("opinions:action", args=[o.pk, "check"])
    r = client.post(url, {"check-gate": "topic", "check-passed": "false", "check-note": "一文两事"})
    assert r.status_code == 302
    assert o.checks.get().passed is False
    r = client.post(reverse("opinions:action", args=[o.pk, "sign_off"]), follow=True)
    assert "选题关" in r.content.decode()
    o.refresh_from_db()
    assert o.status == S.EDITING


def test_the_queue_counts_states_with_constant_queries(cast: Cast) -> None:
    client = cast.world.client_for(cast.office)
    url = reverse("opinions:office_queue", args=[cast.world.province.pk])
    cast.report()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _i in range(5):
        cast.report(cast.informant)
    with CaptureQueriesContext(connection) as six:
        r = client.get(url)
    assert len(six) == len(one)
    assert r.context["page"].paginator.count == 6
    assert {s: n for s, _l, n in r.context["tabs"]}["submitted"] == 6


def test_others_cannot_open_the_office_pages_or_a_report(cast: Cast) -> None:
    o = cast.report()
    for user in (cast.city_office, cast.world.member, cast.world.unit_user):
        client = cast.world.client_for(user)
        assert (
            client.get(reverse("opinions:office_queue", args=[cast.world.province.pk])).status_code
            == 404
        )
    for user in (cast.city_office, cast.second.user, cast.world.unit_user):
        assert (
            cast.world.client_for(user).get(reverse("opinions:detail", args=[o.pk])).status_code
            == 404
        )


def test_feedback_reaches_the_reporter(cast: Cast) -> None:
    o = cast.signed(cast.report())
    o = opinion_act(actor=cast.office, opinion=o, action="publish", series="sqmy")
    office = cast.world.client_for(cast.office)
    url = reverse("opinions:office_feedback", args=[cast.world.province.pk])
    r = office.post(url, {"opinions": [o.pk], "note": "感谢报送", "with_instructions": "on"})
    assert r.status_code == 302
    member = cast.world.client_for(cast.world.member)
    home = member.get(reverse("web:home")).content.decode()
    assert "社情民意反馈（未读）" in home
    page = member.get(reverse("opinions:feedback")).content.decode()
    assert "感谢报送" in page and "已编发" in page
    assert Feedback.objects.get().read_at is not None


def test_issues_are_read_by_leaders_and_printed_as_pdf(cast: Cast) -> None:
    o = cast.signed(cast.report())
    o = opinion_act(actor=cast.office, opinion=o, action="publish", series="sqmy")
    leader = cast.world.client_for(cast.world.leader)
    page = leader.get(reverse("opinions:issue", args=[o.issue_id])).content.decode()
    assert o.display_title in page and "报：" in page
    pdf = leader.get(reverse("opinions:issue_pdf", args=[o.issue_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    member = cast.world.client_for(cast.world.member)
    assert member.get(reverse("opinions:issue", args=[o.issue_id])).status_code == 404


def test_figures_and_exports(cast: Cast) -> None:
    o = cast.signed(cast.report())
    opinion_act(
        actor=cast.office, opinion=o, action="record_adoption", level="province", kind="single"
    )
    client = cast.world.client_for(cast.office)
    r = client.get(reverse("opinions:figures", args=[cast.world.province.pk]))
    row = r.context["rows"][0]
    assert row.label == "省委员甲" and row.submitted == 1 and row.adopted["province"] == 1
    assert row.rate == 100.0
    x = client.get(reverse("opinions:figures_export", args=[cast.world.province.pk]))
    assert x.status_code == 200 and b"PK" == b"".join(x.streaming_content)[:2]  # type: ignore[attr-defined]
    q = client.get(reverse("opinions:office_export", args=[cast.world.province.pk]))
    assert q.status_code == 200


def test_a_unit_replies_to_a_forwarded_report(cast: Cast) -> None:
    o = cast.signed(cast.report())
    opinion_act(actor=cast.office, opinion=o, action="forward", units=[cast.world.unit.pk])
    f = Forwarding.objects.get()
    client = cast.world.client_for(cast.world.unit_user)
    assert o.display_title in client.get(reverse("opinions:unit_inbox")).content.decode()
    r = client.post(reverse("opinions:unit_forwarding", args=[f.pk]), {"text": "已纳入计划。"})
    assert r.status_code == 302
    f.refresh_from_db()
    assert f.status == Forwarding.Status.REPLIED
