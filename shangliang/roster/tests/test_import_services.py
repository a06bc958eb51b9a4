from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from shangliang.accounts.models import Membership, User
from shangliang.core.errors import Forbidden, Invalid
from shangliang.core.models import AuditEvent
from shangliang.orgs.models import Group, Sector
from shangliang.roster import services, writer
from shangliang.roster.models import ImportJob
from shangliang.roster.tests.sheets import person, upload, xlsx_bytes
from shangliang.roster.validation import ImportPlan
from shangliang.testing import World


def start(world: World, rows: Any, *, actor: Any = None, org: Any = None) -> ImportJob:
    org = org or world.county_a
    return services.roster_import_start(
        actor=actor or world.county_a_office,
        org=org,
        term=world.terms[org.pk],
        upload=upload(rows),
    )


def run(world: World, rows: Any, capture: Any, **kwargs: Any) -> ImportJob:
    """Upload and let the (immediate) task run after the commit, as in production."""
    with capture(execute=True):
        job = start(world, rows, **kwargs)
    job.refresh_from_db()
    return job


def validate(world: World, rows: Any, org: Any = None) -> ImportPlan:
    org = org or world.county_a
    return services.roster_import_validate(
        actor=world.county_a_office,
        org=org,
        term=world.terms[org.pk],
        file=io.BytesIO(xlsx_bytes(rows)),
    )


def errors_of(plan_or_job: Any) -> list[tuple[Any, Any, Any]]:
    return [(e["row"], e["column"], e["message"]) for e in plan_or_job.errors]


def test_it_imports_a_good_file(world, django_capture_on_commit_callbacks):
    Group.objects.create(org=world.county_a, name="第二学习组", kind=Group.Kind.STUDY)
    rows = [
        person(1, 职务="常委", 小组="第一学习组、第二学习组"),
        person(2, 专委会="", 小组=""),
        person(3, 用户名="zhao3", 出生年月="1980年11月"),
    ]
    job = run(world, rows, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE, job.message
    assert (job.created_users, job.matched_users, job.created_memberships) == (3, 0, 3)
    assert (job.total_rows, job.processed_rows, job.percent) == (3, 3, 100)

    m1 = Membership.objects.get(user__phone="15900000001")
    assert m1.org == world.county_a and m1.term == world.terms[world.county_a.pk]
    assert m1.position == Membership.Position.STANDING
    assert m1.sector is not None and m1.sector.name == "教育界"
    assert m1.committee is not None and m1.committee.name == "提案委员会"
    assert sorted(g.name for g in m1.groups.all()) == ["第一学习组", "第二学习组"]
    assert m1.joined_on == world.terms[world.county_a.pk].starts_on
    u1 = m1.user
    assert (u1.username, u1.name, u1.gender, u1.ethnicity) == (
        "m15900000001",
        "导入委员1",
        "F",
        "汉族",
    )
    assert u1.birth_month == dt.date(1975, 3, 1) and u1.party == "民盟"
    assert not u1.has_usable_password()
    m2 = Membership.objects.get(user__phone="15900000002")
    assert m2.committee is None and not m2.groups.exists()
    u3 = User.objects.get(phone="15900000003")
    assert u3.username == "zhao3" and u3.birth_month == dt.date(1980, 11, 1)

    event = AuditEvent.objects.get(action="roster.imported")
    assert event.actor == world.county_a_office and event.org == world.county_a
    assert event.data["created_users"] == 3 and event.data["created_memberships"] == 3
    assert event.target_id == str(job.pk)


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"姓名": ""}, "姓名", "请填写姓名"),
        ({"界别": "文艺界"}, "界别", "未知界别“文艺界”"),
        ({"专委会": "经济委员会"}, "专委会", "未知专委会“经济委员会”"),
        ({"职务": "组长"}, "职务", "未知职务“组长”"),
        ({"小组": "第一学习组、第九组"}, "小组", "未知小组“第九组”"),
        ({"手机号": "12345678901"}, "手机号", "手机号“12345678901”无效"),
        ({"手机号": "1590000"}, "手机号", "无效"),
        ({"手机号": ""}, "手机号", "请填写手机号"),
        ({"出生年月": "1975-13"}, "出生年月", "不是有效的年月"),
        ({"出生年月": "七五年三月"}, "出生年月", "无法识别"),
        ({"出生年月": "2999-01"}, "出生年月", "不是有效的年月"),
        ({"性别": "未知"}, "性别", "男"),
        ({"工作单位及职务": "长" * 201}, "工作单位及职务", "200"),
        ({"用户名": "bad name!"}, "用户名", "只能包含"),
        ({"用户名": "13912345678"}, "用户名", "不能是手机号"),
    ],
)
def test_it_reports_a_bad_row(world, cells, column, message):
    plan = validate(world, [person(1), person(2, **cells), person(3)])
    assert not plan.ok
    assert [(row, col) for row, col, _m in errors_of(plan)] == [(3, column)]
    assert message in plan.errors[0]["message"]


def test_it_reports_duplicate_phones_and_usernames_within_the_file(world):
    rows = [
        person(1, 用户名="same"),
        person(2, 手机号="159 0000 0001"),
        person(3, 用户名="same"),
    ]
    plan = validate(world, rows)
    assert errors_of(plan) == [
        (3, "手机号", "手机号与第 2 行重复。"),
        (4, "用户名", "用户名与第 2 行重复。"),
    ]


def test_it_rejects_a_phone_that_belongs_to_someone_else(world):
    plan = validate(world, [person(1, 手机号=world.county_b_member.phone, 姓名="别人")])
    assert errors_of(plan) == [
        (2, "手机号", "手机号已被另一位姓名不同的用户使用，请核对姓名和手机号。")
    ]


def test_it_rejects_someone_who_is_already_a_member_of_this_term(world):
    existing = world.county_a_member
    plan = validate(world, [person(1, 姓名=existing.name, 手机号=existing.phone)])
    assert errors_of(plan) == [(2, "姓名", "已是本届委员，不能重复导入。")]


def test_it_rejects_a_username_that_is_taken(world):
    plan = validate(world, [person(1, 用户名="a_office")])
    assert errors_of(plan) == [(2, "用户名", "用户名“a_office”已被占用。")]


def test_it_reads_real_excel_dates_and_chinese_formats(world):
    values: list[Any] = ["1975-03", "1975年3月", "1975.03", "1975/3", "197503", "1975-03-15"]
    values += [dt.datetime(1975, 3, 9), dt.date(1975, 3, 1), 1975.03, "1975 年 3 月 5 日"]
    plan = validate(world, [person(n, 出生年月=v) for n, v in enumerate(values, start=1)])
    assert plan.ok, plan.errors
    assert {r.birth_month for r in plan.rows} == {dt.date(1975, 3, 1)}


def test_it_accepts_numbers_and_spaces_that_excel_adds(world):
    rows = [
        person(1, 手机号=15900000001, 姓名="王  伟"),
        person(2, 手机号=15900000002.0, 姓名=" 李\u3000娜 "),
        person(3, 手机号="+86 159-0000-0003", 性别="", 职务=""),
    ]
    plan = validate(world, rows)
    assert plan.ok, plan.errors
    assert [(r.name, r.phone, r.position) for r in plan.rows] == [
        ("王伟", "15900000001", "member"),
        ("李娜", "15900000002", "member"),
        ("导入委员3", "15900000003", "member"),
    ]


def test_a_bad_row_means_nothing_is_written(world, django_capture_on_commit_callbacks):
    users, members = User.objects.count(), Membership.objects.count()
    rows = [person(n) for n in range(1, 40)] + [person(99, 界别="不存在的界别")]
    job = run(world, rows, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert job.error_count == 1 and errors_of(job) == [
        (41, "界别", "未知界别“不存在的界别”：请从下拉列表选择。")
    ]
    assert "未导入任何数据" in job.message
    assert (User.objects.count(), Membership.objects.count()) == (users, members)
    assert not AuditEvent.objects.filter(action="roster.imported").exists()


def test_a_database_conflict_rolls_everything_back(world, monkeypatch):
    job = start(world, [person(1), person(2)])  # the task is not run: no on-commit here
    real = writer.write_plan

    def racing_write_plan(**kwargs):
        counts = real(**kwargs)
        User.objects.create(username="racer", phone="15900000001")  # someone was faster
        return counts

    monkeypatch.setattr(services, "write_plan", racing_write_plan)
    job = services.roster_import_run(actor=world.county_a_office, job=job)
    assert job.status == ImportJob.Status.FAILED and "发生了变化" in job.message
    assert not User.objects.filter(phone__in=["15900000001", "15900000002"]).exists()
    assert not Membership.objects.filter(org=world.county_a, user__name="导入委员1").exists()
    assert not AuditEvent.objects.filter(action="roster.imported").exists()


def test_it_matches_an_existing_account_of_the_same_person(
    world, django_capture_on_commit_callbacks
):
    provincial = world.member  # a provincial member who is also on the county's roster
    provincial.gender = ""
    provincial.save()
    row = person(
        1, 姓名=f" {provincial.name} ", 手机号=provincial.phone, 性别="男", 用户名="ignored"
    )
    row["工作单位及职务"] = "不应覆盖已有的单位"
    job = run(world, [row, person(2)], django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert (job.created_users, job.matched_users, job.created_memberships) == (1, 1, 2)
    provincial.refresh_from_db()
    assert provincial.username == "member"
    assert provincial.gender == "M"  # blank fields are filled in ...
    assert provincial.workplace == "测试大学教授"  # ... but nothing is overwritten
    assert provincial.memberships.filter(org=world.county_a).exists()
    assert User.objects.filter(phone=provincial.phone).count() == 1


def test_it_picks_another_username_when_m_phone_is_taken(world, django_capture_on_commit_callbacks):
    User.objects.create(username="m15900000001", name="旧账号", phone=None)
    job = run(world, [person(1)], django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert User.objects.get(phone="15900000001").username == "m15900000001_2"


def test_it_runs_a_job_only_once(world, django_capture_on_commit_callbacks):
    job = run(world, [person(1)], django_capture_on_commit_callbacks)
    again = services.roster_import_run(actor=world.county_a_office, job=job)
    assert again.status == ImportJob.Status.DONE
    assert Membership.objects.filter(user__phone="15900000001").count() == 1
    assert AuditEvent.objects.filter(action="roster.imported").count() == 1


@pytest.mark.parametrize("who", ["county_a_member", "county_a_leader", "member", "county_a_office"])
def test_it_refuses_people_who_may_not_manage_the_roster(world, who):
    with pytest.raises(Forbidden):
        start(world, [person(1)], actor=getattr(world, who), org=world.county_b)
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("who", ["county_a_office", "leader", "member"])
def test_it_refuses_imports_upwards_and_by_non_managers(world, who):
    with pytest.raises(Forbidden):
        start(world, [person(1)], actor=getattr(world, who), org=world.province)
    assert not ImportJob.objects.exists()


def test_a_province_manager_may_import_into_a_county(world, django_capture_on_commit_callbacks):
    job = run(world, [person(1)], django_capture_on_commit_callbacks, actor=world.general_office)
    assert job.status == ImportJob.Status.DONE


def test_it_refuses_a_term_of_another_organisation(world):
    with pytest.raises(Invalid):
        services.roster_import_start(
            actor=world.admin,
            org=world.county_a,
            term=world.terms[world.county_b.pk],
            upload=upload([person(1)]),
        )


def test_it_imports_inactive_sectors_as_unknown(world):
    Sector.objects.filter(org=world.county_a, name="经济界").update(is_active=False)
    plan = validate(world, [person(1, 界别="经济界")])
    assert errors_of(plan) == [(2, "界别", "未知界别“经济界”：请从下拉列表选择。")]
