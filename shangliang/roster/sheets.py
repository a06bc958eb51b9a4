"""The workbooks the roster app hands out: the import template, the export, the error report."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from shangliang.accounts.models import Membership
from shangliang.core.xlsx import safe_row, set_safe, set_widths
from shangliang.orgs.models import Committee, Group, Organization, Sector
from shangliang.roster.columns import COLUMNS, Column
from shangliang.roster.reader import MAX_ROWS, SHEET_NAME

LISTS_SHEET = "选项"
HELP_SHEET = "填写说明"
TEXT_COLUMNS = ("birth_month", "phone", "username")  # typed as text, so 138… stays 138…
STATUS_HEADER = "状态"
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def _letter(key: str) -> str:
    return get_column_letter(next(i for i, c in enumerate(COLUMNS, 1) if c.key == key))


def _lists(org: Organization) -> dict[str, list[str]]:
    def names(model: Any) -> list[str]:
        qs = model.objects.filter(org=org, is_active=True).order_by("order", "name")
        return list(qs.values_list("name", flat=True))

    with override("zh-hans"):
        positions = [str(label) for _value, label in Membership.Position.choices]
    return {
        "gender": ["男", "女"],
        "sector": names(Sector),
        "committee": names(Committee),
        "position": positions,
        "groups": names(Group),
    }


def _add_lists_sheet(wb: Workbook, ws: Any, lists: dict[str, list[str]]) -> None:
    """A hidden sheet of allowed values, and drop-downs on the data sheet pointing to it."""
    hidden = wb.create_sheet(LISTS_SHEET)
    hidden.sheet_state = "hidden"
    last = MAX_ROWS + 1
    for index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        hidden.cell(row=1, column=index, value=next(c.header for c in COLUMNS if c.key == key))
        for row, value in enumerate(values, start=2):
            set_safe(hidden.cell(row=row, column=index), value)
        if key == "groups" or not values:
            continue  # several groups fit in one cell: no drop-down for them
        dv = DataValidation(
            type="list",
            formula1=f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("输入有误"),
            error=_("请从下拉列表中选择。"),
        )
        dv.add(f"{_letter(key)}2:{_letter(key)}{last}")
        ws.add_data_validation(dv)


def _add_help_sheet(wb: Workbook, org: Organization) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    set_widths(ws, [16, 10, 70, 18])
    ws.append(safe_row(ws, [_("%(org)s 委员名册导入模板") % {"org": org.name}], bold=True))
    ws.append([])
    ws.append(safe_row(ws, [_("列名"), _("是否必填"), _("填写说明"), _("示例")], bold=True))
    required = {"name", "phone"}
    for c in COLUMNS:
        flag = _("必填") if c.key in required else _("选填")
        ws.append(safe_row(ws, [c.header, flag, str(c.help), c.example]))
    ws.append([])
    for note in (
        _("1. 在“%(s)s”工作表中从第 2 行起每行填写一位委员，不要修改或删除表头。")
        % {"s": SHEET_NAME},
        _("2. 一次最多导入 %(n)s 行；任何一行有错误时，整个文件都不会导入。") % {"n": MAX_ROWS},
        _("3. 手机号已属于平台上同名人员的（例如同时担任上级政协委员），直接使用其原账号。"),
        _("4. 新账号没有密码，需由管理员重置密码后告知本人。"),
    ):
        ws.append(safe_row(ws, [note]))


def template_workbook(*, org: Organization) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    ws.append(safe_row(ws, [c.header for c in COLUMNS], bold=True))
    for cell in ws[1]:
        cell.fill = HEADER_FILL
    ws.freeze_panes = "A2"
    set_widths(ws, [c.width for c in COLUMNS])
    for key in TEXT_COLUMNS:
        ws.column_dimensions[_letter(key)].number_format = "@"
    _add_help_sheet(wb, org)
    _add_lists_sheet(wb, ws, _lists(org))
    wb.active = 0
    return wb


def _export_value(m: Membership, key: str) -> Any:
    """The cell as the importer reads it: coded values in Chinese whatever the UI language."""
    with override("zh-hans"):
        return _raw_value(m, key)


def _raw_value(m: Membership, key: str) -> Any:
    user = m.user
    values = {
        "name": user.display_name,
        "gender": user.get_gender_display() if user.gender else "",
        "ethnicity": user.ethnicity,
        "birth_month": user.birth_month.strftime("%Y-%m") if user.birth_month else "",
        "party": user.party,
        "sector": m.sector.name if m.sector else "",
        "committee": m.committee.name if m.committee else "",
        "position": m.get_position_display(),
        "workplace": user.workplace,
        "phone": user.phone or "",
        "groups": "、".join(g.name for g in m.groups.all()),
        "username": user.username,
    }
    return values[key]


def roster_workbook(members: QuerySet[Membership], *, private: bool) -> tuple[Workbook, int]:
    """The roster in the template's columns (so it can be imported again), plus 状态.

    Written row by row in write-only mode; memberships are read in chunks with their
    user, sector, committee (joined) and groups (one query per chunk)."""
    columns: list[Column] = [c for c in COLUMNS if private or not c.private]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_NAME)
    set_widths(ws, [*(c.width for c in columns), 10])
    ws.freeze_panes = "A2"
    ws.append(safe_row(ws, [*(c.header for c in columns), STATUS_HEADER], bold=True))
    count = 0
    with override("zh-hans"):  # values in the file's language, so it imports again
        for m in members.iterator(chunk_size=1000):
            values = [_export_value(m, c.key) for c in columns]
            ws.append(safe_row(ws, [*values, m.get_status_display()]))
            count += 1
    return wb, count


def errors_workbook(errors: Iterable[dict[str, Any]]) -> Workbook:
    """The error report of a failed import: one line per problem."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("错误报告"))
    set_widths(ws, [8, 16, 80])
    ws.append(safe_row(ws, [_("行号"), _("列"), _("问题")], bold=True))
    for e in errors:
        ws.append(safe_row(ws, [e.get("row"), e.get("column", ""), e.get("message", "")]))
    return wb
