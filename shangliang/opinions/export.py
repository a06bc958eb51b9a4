"""Excel workbooks of the office's lists and figures (cells never become formulas)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shangliang.core.audit import audit_record
from shangliang.core.xlsx import safe_row, set_widths
from shangliang.opinions import figures as fig
from shangliang.opinions.models import Opinion
from shangliang.orgs.models import Organization

BATCH = 2000


def queue_workbook(org: Organization, rows: Iterable[Opinion]) -> Workbook:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("社情民意信息"))
    set_widths(ws, [8, 48, 14, 18, 12, 18, 18])
    headers = [
        _("编号"),
        _("标题"),
        _("反映人"),
        _("反映单位"),
        _("状态"),
        _("报送时间"),
        _("刊期"),
    ]
    ws.append(safe_row(ws, headers, bold=True))
    qs = rows.iterator(chunk_size=BATCH) if hasattr(rows, "iterator") else rows
    for o in qs:
        ws.append(
            safe_row(
                ws,
                [
                    o.pk,
                    o.display_title,
                    o.author.display_name,
                    o.reporter_unit,
                    str(o.get_status_display()),
                    o.submitted_at,
                    str(o.issue) if o.issue_id else "",
                ],
            )
        )
    return wb


def _levels() -> list[str]:
    return [_("%(l)s采用") % {"l": lv.label} for lv in fig.LEVELS]


def figures_workbook(org: Organization, year: int) -> Workbook:
    wb = Workbook(write_only=True)
    for dimension, title in (
        ("reporter", _("按反映人")),
        ("sector", _("按界别")),
        ("committee", _("按专委会")),
        ("org", _("按政协")),
    ):
        rows = fig.rows_by(org, year, dimension)
        ws = wb.create_sheet(title)
        set_widths(ws, [20, 10, 10, 10, 10, 10, 10, 10, 12])
        headers = [title[1:], _("报送"), *_levels(), _("采用（篇）"), _("批示"), _("采用率（%）")]
        ws.append(safe_row(ws, headers, bold=True))
        for r in [*rows, fig.totals(rows)]:
            ws.append(
                safe_row(
                    ws,
                    [r.label, r.submitted, *r.adopted_list, r.adopted_any, r.instructed, r.rate],
                    bold=r.key is None,
                )
            )
    ws = wb.create_sheet(_("月报表"))
    set_widths(ws, [10, 10, 10, 10, 10, 10, 10, 10, 10, 10])
    headers = [_("月份"), _("收到"), _("签发"), _("编发"), _("留存"), *_levels(), _("批示")]
    ws.append(safe_row(ws, [f"{org.name} {year}"], bold=True))
    ws.append(safe_row(ws, headers, bold=True))
    months = fig.monthly(org, year)
    for m in months:
        values: list[Any] = [
            _("%(m)s月") % {"m": m.month},
            m.received,
            m.signed_off,
            m.published,
            m.kept,
            *m.adopted_list,
            m.instructed,
        ]
        ws.append(safe_row(ws, values))
    year_row: list[Any] = [
        _("全年"),
        sum(m.received for m in months),
        sum(m.signed_off for m in months),
        sum(m.published for m in months),
        sum(m.kept for m in months),
        *[sum(m.adopted_list[i] for m in months) for i in range(len(fig.LEVELS))],
        sum(m.instructed for m in months),
    ]
    ws.append(safe_row(ws, year_row, bold=True))
    return wb


@transaction.atomic
def export_audited(*, actor: Any, org: Organization, action: str, data: dict[str, Any]) -> None:
    """Every export of the office's lists and figures leaves one audit event."""
    audit_record(actor=actor, action=action, target=org, data=data)
