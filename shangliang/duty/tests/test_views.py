import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shangliang.duty.models import DutyScore, RecomputeJob
from shangliang.duty.tests.cast import second, submit

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_a_member_sees_their_archive_with_points_and_minimums(
    world, django_capture_on_commit_callbacks
):
    submit(world, django_capture_on_commit_callbacks)
    r = world.client_for(world.member).get(f"/duty/members/{world.member_m.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "提交提案" in html and 'data-item="proposal.submitted"' in html
    assert 'data-requirement="proposal" data-met="1"' in html
    assert 'data-requirement="opinion" data-met="0"' in html


def test_it_hides_an_archive_from_another_organisation(world):
    r = world.client_for(world.county_a_member).get(f"/duty/members/{world.member_m.pk}/")
    assert r.status_code == 404
    r = world.client_for(world.county_a_office).get(f"/duty/members/{world.member_m.pk}/")
    assert r.status_code == 404


def test_staff_above_see_a_member_below(world):
    r = world.client_for(world.general_office).get(f"/duty/members/{world.county_a_member_m.pk}/")
    assert r.status_code == 200


def test_the_ranking_page_reads_the_score_table_in_constant_queries(world):
    for i in range(5):
        second(world, f"m{i}", f"委员{i}")
    client = world.client_for(world.general_office)
    client.get(f"/duty/orgs/{world.province.pk}/")
    with CaptureQueriesContext(connection) as few:
        r = client.get(f"/duty/orgs/{world.province.pk}/")
    assert r.status_code == 200 and DutyScore.objects.filter(year=YEAR).count() >= 6
    for i in range(20):
        second(world, f"n{i}", f"又一委员{i}")
    from shangliang.duty.scoring import score_refresh

    score_refresh(org_id=world.province.pk, year=YEAR)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/duty/orgs/{world.province.pk}/")
    assert len(many) == len(few)


def test_a_member_cannot_open_the_ranking(world):
    assert world.client_for(world.member).get(f"/duty/orgs/{world.province.pk}/").status_code == 404


def test_it_exports_the_ranking(world):
    r = world.client_for(world.general_office).get(f"/duty/orgs/{world.province.pk}/export/")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_rules_page_applies_a_preset_and_shows_progress(
    world, django_capture_on_commit_callbacks
):
    client = world.client_for(world.admin)
    r = client.get(f"/duty/orgs/{world.province.pk}/rules/")
    assert r.status_code == 200 and "桐城 2019" in r.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            f"/duty/orgs/{world.province.pk}/rules/preset/?year={YEAR}", {"preset": "hefei2015"}
        )
    assert r.status_code == 302
    job = RecomputeJob.objects.get()
    assert job.status == "done"
    r = client.get(f"/duty/orgs/{world.province.pk}/rules/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert "100" in r.content.decode()


def test_the_rules_page_rejects_overlapping_grades_and_keeps_the_input(world):
    client = world.client_for(world.admin)
    r = client.post(
        f"/duty/orgs/{world.province.pk}/rules/?year={YEAR}",
        {
            "base": "0",
            "excellent_min": "70",
            "good_min": "80",
            "pass_min": "60",
            "exit_plenary_absences": "2",
            "exit_idle_years": "2",
            "training:points": "3",
            "training:unit": "time",
            "training:split": "fixed",
        },
    )
    assert r.status_code == 422
    assert "重叠" in r.content.decode() and 'value="70"' in r.content.decode()
    assert not RecomputeJob.objects.exists()


def test_the_rules_page_is_for_administrators(world):
    assert (
        world.client_for(world.leader).get(f"/duty/orgs/{world.province.pk}/rules/").status_code
        == 404
    )


def test_a_member_writes_and_submits_the_duty_report(world, django_capture_on_commit_callbacks):
    client = world.client_for(world.member)
    r = client.get("/duty/report/")
    assert r.status_code == 200 and "年度履职情况报告" in r.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/duty/report/", {"body": "我的述职", "submit": "1"})
    assert r.status_code == 302
    r = client.get(f"/duty/members/{world.member_m.pk}/")
    assert 'data-requirement="duty_report" data-met="1"' in r.content.decode()


def test_the_pdf_archive_renders_chinese(world, django_capture_on_commit_callbacks):
    import io

    from pypdf import PdfReader

    submit(world, django_capture_on_commit_callbacks)
    r = world.client_for(world.member).get(f"/duty/members/{world.member_m.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "委员履职档案" in text and "提交提案" in text and "省委员甲" in text


def test_the_pdf_archive_is_private(world):
    r = world.client_for(world.county_a_member).get(f"/duty/members/{world.member_m.pk}/pdf/")
    assert r.status_code == 404


def test_the_home_page_reminds_a_member_of_missing_minimums_in_the_last_quarter(world, monkeypatch):
    from shangliang.duty import todo

    client = world.client_for(world.member)
    monkeypatch.setattr(todo, "REMIND_FROM_MONTH", 13)  # before the last quarter
    assert "本年度尚未完成的最低履职要求" not in client.get("/").content.decode()
    monkeypatch.setattr(todo, "REMIND_FROM_MONTH", 1)
    assert "本年度尚未完成的最低履职要求" in client.get("/").content.decode()


def test_the_ranking_page_shows_the_average_of_each_member_group(world):
    from shangliang.duty.selectors import averages_by_group, ranking
    from shangliang.orgs.models import Group

    study = Group.objects.create(org=world.province, name="测试学习组甲", kind=Group.Kind.STUDY)
    m2 = second(world, "member2", "省委员乙")
    world.member_m.groups.add(study)
    m2.groups.add(study)
    client = world.client_for(world.general_office)
    r = client.get(f"/duty/orgs/{world.province.pk}/")
    assert r.status_code == 200
    rows = averages_by_group(ranking(org=world.province, year=YEAR))
    assert [(row["membership__groups__name"], row["n"]) for row in rows] == [("测试学习组甲", 2)]
    assert "测试学习组甲" in r.content.decode()
