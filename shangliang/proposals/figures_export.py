"""The figures as an Excel workbook: one sheet per table of the pages, the report paragraph and
the definitions. Every export leaves an audit event (``proposals.figures_exported``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shangliang.core.audit import audit_record
from shangliang.core.xlsx import safe_row, set_widths
from shangliang.proposals import figures
from shangliang.proposals.figures_report import (
    DEFINITIONS,
    ROW_COLUMNS,
    UNIT_COLUMNS,
    Column,
    cells,
    period_label,
    report_text,
)
from shangliang.proposals.figures_rows import Row, UnitRow


def _headers(first: list[str], columns: list[Column]) -> list[str]:
    return first + [f"{header}（%）" if is_pct else str(header) for _a, header, is_pct in columns]


def _values(row: Any, columns: list[Column]) -> list[Any]:
    return [value for value, _pct in cells(row, columns)]


def _summary_sheet(ws: Any, scope: figures.Scope, totals: Row) -> None:
    set_widths(ws, [24, 60])
    ws.append(safe_row(ws, [_("政协"), scope.org.name]))
    ws.append(safe_row(ws, [_("统计期间"), period_label(scope)]))
    ws.append(safe_row(ws, [_("包含下级政协"), _("是") if scope.lower else _("否")]))
    ws.append(safe_row(ws, [_("导出时间"), timezone.now()]))
    ws.append([])
    ws.append(safe_row(ws, [_("指标"), _("数值")], bold=True))
    for attr, header, is_pct in ROW_COLUMNS:
        label = f"{header}（%）" if is_pct else str(header)
        ws.append(safe_row(ws, [label, getattr(totals, attr)]))
    ws.append(safe_row(ws, [_("重点提案"), totals.key]))
    ws.append([])
    ws.append(safe_row(ws, [_("工作报告用语"), report_text(scope, totals)]))


def _table_sheet(ws: Any, rows: list[Row], totals: Row, first_header: str) -> None:
    set_widths(ws, [24] + [12] * len(ROW_COLUMNS))
    ws.append(safe_row(ws, _headers([first_header], ROW_COLUMNS), bold=True))
    for row in rows:
        ws.append(safe_row(ws, [row.label, *_values(row, ROW_COLUMNS)]))
    ws.append(safe_row(ws, [totals.label, *_values(totals, ROW_COLUMNS)], bold=True))
    ws.freeze_panes = "B2"


def _units_sheet(ws: Any, rows: list[UnitRow]) -> None:
    columns = UNIT_COLUMNS[:2] + [("org_name", _("所属政协"), False)] + UNIT_COLUMNS[2:]
    set_widths(ws, [8, 28, 24] + [12] * (len(columns) - 3))
    ws.append(safe_row(ws, _headers([], columns), bold=True))
    for row in rows:
        ws.append(safe_row(ws, _values(row, columns)))
    ws.freeze_panes = "C2"


def figures_workbook(scope: figures.Scope) -> Workbook:
    wb = Workbook()
    totals = figures.totals(scope)
    summary = wb.active
    summary.title = _("概况")
    _summary_sheet(summary, scope, totals)
    for _key, title, rows in figures.breakdowns(scope):
        _table_sheet(wb.create_sheet(title[:31]), rows, totals, _("分组"))
    _units_sheet(wb.create_sheet(_("承办单位排名")), figures.units(scope))
    notes = wb.create_sheet(_("口径说明"))
    set_widths(notes, [28, 100])
    notes.append(safe_row(notes, [_("指标"), _("口径")], bold=True))
    for term, meaning in DEFINITIONS:
        notes.append(safe_row(notes, [term, meaning]))
    return wb


def figures_export(*, actor: Any, scope: figures.Scope) -> Workbook:
    """The workbook of ``scope``'s figures; records who exported what."""
    wb = figures_workbook(scope)
    audit_record(
        actor=actor,
        action="proposals.figures_exported",
        target=scope.org,
        data={
            "period": scope.period,
            "session": scope.session.pk if scope.session else None,
            "term": scope.term.pk if scope.term else None,
            "year": scope.year,
            "lower": scope.lower,
        },
    )
    return wb
