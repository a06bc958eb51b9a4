"""Excel exports of units and workstations, and core.xlsx's safe cells."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from openpyxl import Workbook, load_workbook

from shangliang.accounts.models import Role
from shangliang.core.models import AuditEvent
from shangliang.core.xlsx import safe_cell_value
from shangliang.orgs.models import Organization, Unit, Workstation
from shangliang.testing import make_role


def export(client: Client, org: Organization, kind: str) -> Any:
    return client.get(f"/orgs/{org.pk}/manage/{kind}/export/")


def sheet(response: Any) -> Any:
    body = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(body)).active


def test_it_exports_the_units_with_headers_and_an_audit_row(world, client):
    Unit.objects.create(org=world.province, name="测试省交通运输厅", contact_phone="+86 731 1234")
    client.force_login(world.admin)
    r = export(client, world.province, "units")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in r["Content-Disposition"]
    ws = sheet(r)
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == ("名称", "简称", "类型", "联系人", "联系电话")
    assert {row[0] for row in rows[1:]} == {"测试省教育厅", "测试省交通运输厅"}
    phone = ws.cell(row=3, column=5) if rows[2][0] == "测试省交通运输厅" else ws.cell(2, 5)
    assert phone.value == "+86 731 1234" and phone.data_type == "s"
    event = AuditEvent.objects.get(action="orgs.exported")
    assert event.org == world.province and event.data == {"what": "units", "rows": 2}


def test_a_formula_looking_name_is_not_a_formula(world, client):
    Unit.objects.create(org=world.county_a, name='=HYPERLINK("http://evil.example","点我")')
    Workstation.objects.create(org=world.county_a, name="@SUM(A1:A2)", kind="room")
    client.force_login(world.admin)
    cell = sheet(export(client, world.county_a, "units")).cell(row=2, column=1)
    assert cell.value == '=HYPERLINK("http://evil.example","点我")'
    assert cell.data_type == "s" and cell.quotePrefix
    cell = sheet(export(client, world.county_a, "workstations")).cell(row=2, column=1)
    assert cell.value == "@SUM(A1:A2)" and cell.data_type == "s" and cell.quotePrefix


def test_the_workstations_export_names_the_members_who_staff_them(world, client):
    ws = Workstation.objects.create(org=world.county_a, name="城关工作室", kind="studio")
    ws.members.add(world.county_a_member_m)
    client.force_login(world.admin)
    rows = list(sheet(export(client, world.county_a, "workstations")).iter_rows(values_only=True))
    assert rows[0][6] == "驻站委员"
    assert rows[1][0] == "城关工作室" and rows[1][6] == world.county_a_member.name


def test_only_administrators_of_the_committee_export(world, client):
    client.force_login(world.county_a_office)
    assert export(client, world.county_a, "units").status_code == 403
    client.force_login(make_role(world.county_a, Role.Kind.ADMIN))
    assert export(client, world.county_b, "workstations").status_code == 403
    assert export(client, world.county_a, "sectors").status_code == 404
    assert not AuditEvent.objects.filter(action="orgs.exported").exists()


def test_safe_cell_value_keeps_data_as_data():
    wb = Workbook()
    ws = wb.active
    ws.append([safe_cell_value(v) for v in ["=1+2", "-3", "正常文本", 42, None, "a\x01b"]])
    buf = io.BytesIO()
    wb.save(buf)
    row = next(load_workbook(io.BytesIO(buf.getvalue())).active.iter_rows())
    assert [c.value for c in row[:4]] == ["=1+2", "-3", "正常文本", 42]
    assert [c.data_type for c in row[:4]] == ["s", "s", "s", "n"]
    assert row[0].quotePrefix and row[1].quotePrefix and not row[2].quotePrefix
    assert row[5].value == "ab"  # control characters XML cannot hold are dropped
    write_only = Workbook(write_only=True)
    ws2 = write_only.create_sheet()
    ws2.append([safe_cell_value("=danger", ws2)])
    write_only.save(io.BytesIO())
