"""Workbooks of assignment lists (the unit's inbox, the office's deadline board)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shangliang.core.xlsx import safe_row, set_widths
from shangliang.proposals.unit_rows import Row


def assignments_workbook(rows: Iterable[Row], *, title: str, board: bool = False) -> Workbook:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    header = [
        _("编号"),
        _("案由"),
        _("提案人"),
        _("承办单位"),
        _("办理方式"),
        _("状态"),
        _("轮次"),
        _("交办日期"),
        _("签收期限"),
        _("答复期限"),
        _("逾期天数"),
    ]
    widths = [10, 50, 14, 24, 10, 14, 6, 12, 12, 12, 10]
    if board:
        header = [_("政协"), *header, _("督办级别")]
        widths = [20, *widths, 14]
    set_widths(ws, widths)
    ws.append(safe_row(ws, header, bold=True))
    levels = {0: "", 1: _("逾期"), 2: _("已提请领导督办")}
    for row in rows:
        a = row.a
        values: list[object] = [
            a.proposal.number or "",
            a.proposal.title,
            a.proposal.author.user.display_name,
            a.unit.name,
            a.get_role_display(),
            a.get_status_display(),
            a.round,
            timezone.localtime(a.assigned_at).date(),
            a.sign_due_on,
            a.due_on,
            row.days_overdue or "",
        ]
        if board:
            values = [a.proposal.org.name, *values, levels[row.level]]
        ws.append(safe_row(ws, values))
    return wb
