import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shangliang.core.errors import Conflict, Forbidden, Invalid
from shangliang.duty.models import (
    DutyScore,
    ExcellentMember,
    ExitFlag,
    LedgerEntry,
    ManualEntry,
    RecomputeJob,
    ScoringRule,
    ScoringScheme,
)
from shangliang.duty.scoring import scheme_for
from shangliang.duty.selectors import lacking_members, member_archive
from shangliang.duty.services.entries import manual_entry_create, manual_entry_decide
from shangliang.duty.services.flags import (
    excellent_decide,
    excellent_nominate,
    exit_flag_decide,
    exit_flags_scan,
)
from shangliang.duty.services.reports import report_draft, report_save, report_submit
from shangliang.duty.services.scheme import RuleIn, scheme_apply_preset, scheme_update
from shangliang.duty.tests.cast import ledger_of, second, submit

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
TODAY = timezone.localdate()


def evidence() -> Any:
    return SimpleUploadedFile("签到表.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def update(world: Any, **over: Any) -> Any:
    values = {
        "actor": world.admin,
        "org": world.province,
        "year": YEAR,
        "base": "60",
        "excellent_min": "90",
        "good_min": "80",
        "pass_min": "60",
        "minimums": ["proposal"],
        "exit_plenary_absences": 2,
        "exit_idle_years": 2,
        "rules": [RuleIn("proposal.submitted", "4", cap="8")],
    }
    values.update(over)
    return scheme_update(**values)


def test_it_replaces_the_rules_and_recomputes_in_the_background(
    world, django_capture_on_commit_callbacks
):
    submit(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        job = update(world)
    job.refresh_from_db()
    assert job.status == "done" and job.percent == 100
    assert ledger_of(world.member_m) == [("proposal.submitted", 1, Decimal("4.00"))]
    assert DutyScore.objects.get(membership=world.member_m, year=YEAR).score == Decimal("64.00")


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"rules": [RuleIn("proposal.submitted", "4", cap="-1")]}, "rules.0.cap"),
        ({"excellent_min": "70", "good_min": "80"}, "grades"),
        ({"rules": [RuleIn("nonsense", "4")]}, "rules.0.item"),
        ({"rules": [RuleIn("training", "x")]}, "rules.0.points"),
        ({"minimums": ["flying"]}, "minimums"),
    ],
)
def test_it_refuses_bad_rules_and_writes_nothing(world, over, field):
    before = list(scheme_for(world.province.pk, YEAR).rules.values_list("item", "points"))
    with pytest.raises(Invalid) as exc:
        update(world, **over)
    assert field in exc.value.fields
    assert (
        list(ScoringRule.objects.filter(scheme__year=YEAR).values_list("item", "points")) == before
    )
    assert not RecomputeJob.objects.exists()


def test_it_lets_only_administrators_and_the_general_office_edit_rules(world):
    with pytest.raises(Forbidden):
        update(world, actor=world.leader)
    with pytest.raises(Forbidden):
        update(world, actor=world.county_a_office)


def test_it_applies_a_preset(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scheme_apply_preset(actor=world.admin, org=world.province, year=YEAR, preset="jinan2015")
    scheme = ScoringScheme.objects.get(org=world.province, year=YEAR)
    assert (scheme.preset, scheme.base, scheme.excellent_min) == (
        "jinan2015",
        Decimal(70),
        Decimal(85),
    )
    assert DutyScore.objects.get(membership=world.member_m, year=YEAR).grade == "pass"


def test_it_needs_evidence_for_a_manual_entry(world):
    with pytest.raises(Invalid) as exc:
        manual_entry_create(
            actor=world.general_office,
            org=world.province,
            membership_id=world.member_m.pk,
            item="activity.inspection",
            occurred_on=TODAY,
            description="视察某县",
            evidence=None,
        )
    assert "evidence" in exc.value.fields


def test_it_reads_the_evidence_type_from_its_content_not_its_name(world):
    fake = SimpleUploadedFile("签到表.pdf", b"<html><script>x</script></html>")
    with pytest.raises(Invalid) as exc:
        manual_entry_create(
            actor=world.general_office,
            org=world.province,
            membership_id=world.member_m.pk,
            item="activity.inspection",
            occurred_on=TODAY,
            description="视察某县",
            evidence=fake,
        )
    assert "evidence" in exc.value.fields
    assert not ManualEntry.objects.exists()


def test_it_refuses_points_for_a_member_of_another_organisation(world):
    with pytest.raises(Invalid) as exc:
        manual_entry_create(
            actor=world.general_office,
            org=world.province,
            membership_id=world.county_a_member_m.pk,
            item="activity.inspection",
            occurred_on=TODAY,
            description="视察",
            evidence=evidence(),
        )
    assert "membership" in exc.value.fields
    assert not LedgerEntry.objects.exists()


def test_a_second_person_confirms_a_manual_entry(world, django_capture_on_commit_callbacks):
    entry = manual_entry_create(
        actor=world.general_office,
        org=world.province,
        membership_id=world.member_m.pk,
        item="activity.inspection",
        occurred_on=TODAY - dt.timedelta(days=1),
        description="参加省政协视察",
        evidence=evidence(),
    )
    with pytest.raises(Forbidden):
        manual_entry_decide(actor=world.general_office, entry=entry, confirm=True)
    with django_capture_on_commit_callbacks(execute=True):
        manual_entry_decide(actor=world.admin, entry=entry, confirm=True)
    assert LedgerEntry.objects.get(membership=world.member_m).source_type == "duty.manualentry"
    assert ledger_of(world.member_m) == [("activity.inspection", 1, Decimal("3.00"))]
    with pytest.raises(Conflict):
        manual_entry_decide(actor=world.admin, entry=entry, confirm=False)


def test_a_member_who_did_nothing_lacks_all_six_minimums(world):
    member3 = second(world, "member3", "省委员丙")
    archive = member_archive(user=member3.user, membership_id=member3.pk, year=YEAR)
    assert archive.minimums == dict.fromkeys(
        ["training", "deliberation", "proposal", "opinion", "research", "duty_report"], False
    )
    assert archive.score.score == 0 and archive.score.grade == "fail"
    assert lacking_members(world.province, YEAR).get(membership=member3).lacking == (
        "training,deliberation,proposal,opinion,research,duty_report,"
    )


def test_the_duty_report_draft_comes_from_the_ledger_and_submitting_credits_it(
    world, django_capture_on_commit_callbacks
):
    submit(world, django_capture_on_commit_callbacks)
    draft = report_draft(world.member_m, YEAR)
    assert "提交提案 1 次" in draft and "一篇社情民意" in draft
    report = report_save(actor=world.member, membership=world.member_m, year=YEAR, body=draft)
    with pytest.raises(Forbidden):
        report_submit(actor=world.county_a_member, report=report)
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(actor=world.member, report=report)
    archive = member_archive(user=world.member, membership_id=world.member_m.pk, year=YEAR)
    assert archive.minimums["duty_report"] and archive.minimums["proposal"]
    with pytest.raises(Conflict):
        report_save(actor=world.member, membership=world.member_m, year=YEAR, body="改")


def test_idle_members_are_flagged_and_staff_decide(world):
    assert exit_flags_scan(org=world.province) == 1
    assert exit_flags_scan(org=world.province) == 0  # one open flag per rule
    flag = ExitFlag.objects.get()
    with pytest.raises(Invalid):
        exit_flag_decide(actor=world.general_office, flag=flag, decision="dismiss")
    flag = exit_flag_decide(actor=world.general_office, flag=flag, decision="refer")
    assert flag.status == "referred"
    world.member_m.refresh_from_db()
    assert world.member_m.status == "active"


def test_excellent_members_are_nominated_and_confirmed_by_leaders(world):
    member_archive(user=world.member, membership_id=world.member_m.pk, year=YEAR)
    nom = excellent_nominate(
        actor=world.general_office, org=world.province, year=YEAR, membership_id=world.member_m.pk
    )
    with pytest.raises(Conflict):
        excellent_nominate(
            actor=world.general_office,
            org=world.province,
            year=YEAR,
            membership_id=world.member_m.pk,
        )
    with pytest.raises(Forbidden):
        excellent_decide(actor=world.general_office, nomination=nom, confirm=True)
    assert excellent_decide(actor=world.leader, nomination=nom, confirm=True).status == "confirmed"
    assert ExcellentMember.objects.get().decided_by == world.leader
