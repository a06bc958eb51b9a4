from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shangliang.orgs.models import Committee, Sector
from shangliang.roster import services
from shangliang.roster.models import ImportJob
from shangliang.roster.tests.sheets import HEADERS, read, response_bytes
from shangliang.testing import World


def template(world: World, user: Any = None, org: Any = None) -> bytes:
    org = org or world.county_a
    client = world.client_for(user or world.county_a_office)
    response = client.get(reverse("roster:template", args=[org.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return response_bytes(response)


def test_the_template_has_the_headers_help_and_hidden_lists(world):
    Sector.objects.create(org=world.county_a, name="-特邀界", order=9)  # odd, but not a formula
    Committee.objects.create(org=world.county_a, name="文史委员会", is_active=False)
    wb = read(template(world))
    assert wb.sheetnames == ["委员名册", "填写说明", "选项"]
    ws = wb["委员名册"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.max_row == 1  # no example row that could be imported by mistake
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["J"].number_format == "@"  # 手机号 typed as text, not 1.39E+10

    lists = wb["选项"]
    assert lists.sheet_state == "hidden"
    columns = {col[0].value: [c.value for c in col[1:] if c.value] for col in lists.iter_cols()}
    assert columns["性别"] == ["男", "女"]
    assert columns["界别"] == ["教育界", "经济界", "-特邀界"]
    assert lists["B4"].data_type == "s"
    assert columns["专委会"] == ["提案委员会"]  # inactive committees are not offered
    assert columns["职务"] == ["主席", "副主席", "秘书长", "常委", "委员"]

    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert set(validations) == {"B2:B20001", "F2:F20001", "G2:G20001", "H2:H20001"}
    assert validations["F2:F20001"].formula1 == "'选项'!$B$2:$B$4"
    assert validations["G2:G20001"].formula1 == "'选项'!$C$2:$C$2"
    assert all(dv.type == "list" and dv.showErrorMessage for dv in validations.values())

    help_sheet = wb["填写说明"]
    text = " ".join(str(c.value) for row in help_sheet.iter_rows() for c in row if c.value)
    assert "手机号" in text and "必填" in text and "1975年3月" in text


def test_a_filled_in_template_imports(world, django_capture_on_commit_callbacks):
    wb = read(template(world))
    wb["委员名册"].append(
        [
            "张三",
            "男",
            "汉族",
            "1975-03",
            "民盟",
            "经济界",
            "提案委员会",
            "常委",
            "某某公司",
            "13912345678",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.roster_import_start(
            actor=world.county_a_office,
            org=world.county_a,
            term=world.terms[world.county_a.pk],
            upload=SimpleUploadedFile("filled.xlsx", buf.getvalue()),
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.created_memberships == 1


def test_only_managers_get_the_template(world):
    url = reverse("roster:template", args=[world.county_a.pk])
    assert world.client_for(world.county_a_member).get(url).status_code == 403
    assert world.client_for(world.county_b_member).get(url).status_code == 404
    assert world.client_for(world.admin).get(url).status_code == 200
