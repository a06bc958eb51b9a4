from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from shangliang.accounts.models import Membership
from shangliang.orgs.models import Organization, Term
from shangliang.roster.models import ImportJob
from shangliang.roster.tests.sheets import person, read, response_bytes, upload


def import_url(org: Organization) -> str:
    return reverse("roster:import", args=[org.pk])


def post_file(
    client: Client, org: Organization, term: Term, rows: Any, name: str = "名册.xlsx"
) -> Any:
    return client.post(import_url(org), {"term": term.pk, "file": upload(rows, name)})


def test_it_imports_through_the_pages(world, django_capture_on_commit_callbacks):
    client = world.client_for(world.county_a_office)
    page = client.get(import_url(world.county_a))
    assert page.status_code == 200
    assert "上传并校验" in page.content.decode()
    term = world.terms[world.county_a.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(client, world.county_a, term, [person(1), person(2)])
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("roster:import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.uploaded_by == world.county_a_office
    assert Membership.objects.filter(org=world.county_a, user__phone="15900000002").exists()

    html = client.get(response["Location"]).content.decode()
    assert "新增委员" in html and "hx-trigger" not in html
    partial = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section id="import-progress"')
    assert "hx-trigger" not in partial  # done: the page stops polling
    assert 'value="100"' in partial


def test_the_job_page_polls_while_the_job_runs(world):
    job = ImportJob.objects.create(
        org=world.county_a,
        term=world.terms[world.county_a.pk],
        uploaded_by=world.county_a_office,
        status=ImportJob.Status.VALIDATING,
        total_rows=1000,
        processed_rows=500,
    )
    client = world.client_for(world.county_a_office)
    url = reverse("roster:import_job", args=[job.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{url}"' in partial and 'hx-trigger="every 1s"' in partial
    assert 'value="45"' in partial and "500 / 1000" in partial
    assert "<html" not in partial


def test_it_shows_the_error_table_and_the_report(world, django_capture_on_commit_callbacks):
    client = world.client_for(world.county_a_office)
    term = world.terms[world.county_a.pk]
    bad = person(2, 界别="文艺界", 手机号="123")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(client, world.county_a, term, [person(1), bad])
    job = ImportJob.objects.get()
    html = client.get(response["Location"]).content.decode()
    assert job.status == ImportJob.Status.FAILED and "共 2 处错误" in html
    assert "手机号“123”无效" in html and "下载错误报告" in html
    assert not Membership.objects.filter(user__phone="15900000001").exists()

    report = client.get(reverse("roster:import_errors", args=[job.pk]))
    assert report.status_code == 200
    ws = read(response_bytes(report)).active
    assert [c.value for c in ws[1]] == ["行号", "列", "问题"]
    assert [c.value for c in ws[2]][:2] == [3, "界别"]
    assert ws["C2"].value == "未知界别“文艺界”：请从下拉列表选择。"


def test_it_shows_file_problems_on_the_form(world):
    client = world.client_for(world.county_a_office)
    term = world.terms[world.county_a.pk]
    response = post_file(client, world.county_a, term, b"just text", name="名册.xlsx")
    assert response.status_code == 400
    assert "不是有效的 Excel（.xlsx）文件" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("who", "org", "status"),
    [
        ("county_a_office", "county_b", 404),  # sideways
        ("county_a_office", "province", 404),  # upwards
        ("county_a_office", "city", 404),
        ("county_a_member", "county_a", 403),  # may read the roster, not change it
        ("county_a_leader", "county_a", 403),
        ("member", "province", 403),
        ("public", "county_a", 404),
    ],
)
def test_it_refuses_those_who_may_not_import(world, who, org, status):
    client = world.client_for(getattr(world, who))
    org = getattr(world, org)
    assert client.get(import_url(org)).status_code == status
    assert post_file(client, org, world.terms[org.pk], [person(1)]).status_code == status
    assert client.get(reverse("roster:template", args=[org.pk])).status_code == status
    assert not ImportJob.objects.exists()


def test_it_sends_anonymous_users_to_the_login_page(world, client):
    response = client.get(import_url(world.county_a))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_job_is_private_to_its_roster_managers(world):
    job = ImportJob.objects.create(
        org=world.county_b, term=world.terms[world.county_b.pk], uploaded_by=world.general_office
    )
    for user in (world.county_a_office, world.county_b_member, world.leader):
        client = world.client_for(user)
        assert client.get(reverse("roster:import_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("roster:import_errors", args=[job.pk])).status_code == 404
    for user in (world.general_office, world.admin):
        client = world.client_for(user)
        assert client.get(reverse("roster:import_job", args=[job.pk])).status_code == 200


def test_the_import_page_lists_recent_jobs(world, django_capture_on_commit_callbacks):
    client = world.client_for(world.county_a_office)
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, world.county_a, world.terms[world.county_a.pk], [person(1)], "甲县.xlsx")
    html = client.get(import_url(world.county_a)).content.decode()
    assert "最近的导入" in html and "甲县.xlsx" in html and "导入完成" in html


def test_the_roster_page_shows_the_tools_by_permission(world):
    url = reverse("roster:list", args=[world.county_a.pk])
    office = world.client_for(world.county_a_office).get(url).content.decode()
    assert "导出 Excel" in office and "导入名册" in office and "下载模板" in office
    member = world.client_for(world.county_a_member).get(url).content.decode()
    assert "导出 Excel" in member and "导入名册" not in member and "下载模板" not in member


def test_the_export_link_follows_the_filters(world):
    client = world.client_for(world.county_a_office)
    url = reverse("roster:list", args=[world.county_a.pk])
    export = reverse("roster:export", args=[world.county_a.pk])
    html = client.get(url, {"q": "甲县", "page": "1"}).content.decode()
    assert f'href="{export}?q=%E7%94%B2%E5%8E%BF"' in html
    partial = client.get(url, {"q": "乙"}, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-swap-oob="true"' in partial and f"{export}?q=%E4%B9%99" in partial


def test_going_back_after_filtering_gets_the_whole_page(world):
    client = world.client_for(world.county_a_office)
    url = reverse("roster:list", args=[world.county_a.pk])
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get(url, {"q": "甲"}, headers=headers)
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_the_list_filters_by_sector(world):
    """The filter form's choices are the organisation's: a chosen sector really filters."""
    from shangliang.orgs.models import Sector
    from shangliang.testing import make_member

    other = make_member(world.county_a, world.terms[world.county_a.pk], name="经济界委员")
    other.sector = Sector.objects.get(org=world.county_a, name="经济界")
    other.save()
    url = reverse("roster:list", args=[world.county_a.pk])
    html = world.client_for(world.county_a_office).get(url, {"sector": other.sector.pk}).content
    assert ">经济界委员</a>".encode() in html
    assert f">{world.county_a_member.name}</a>".encode() not in html
