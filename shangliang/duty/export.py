"""Excel export of the ranking (every list staff work from has one)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from shangliang.core.audit import audit_record
from shangliang.core.xlsx import safe_row, set_widths
from shangliang.duty.models import DutyScore
from shangliang.orgs.models import Organization


def ranking_workbook(
    *, actor: Any, org: Organization, year: int, scores: Iterable[DutyScore]
) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = _("积分排名")
    safe_row(
        ws,
        [
            _("名次"),
            _("姓名"),
            _("组织"),
            _("界别"),
            _("专委会"),
            _("履职积分"),
            _("总分"),
            _("等次"),
        ],
        bold=True,
    )
    n = 0
    for n, s in enumerate(scores, start=1):
        m = s.membership
        safe_row(
            ws,
            [
                n,
                m.user.display_name,
                s.org.name,
                m.sector.name if m.sector else "",
                m.committee.name if m.committee else "",
                float(s.points),
                float(s.score),
                s.get_grade_display(),
            ],
        )
    set_widths(ws, [8, 14, 24, 14, 16, 10, 10, 10])
    audit_record(
        actor=actor,
        action="duty.export",
        org=org,
        target_label=org.name,
        data={"year": year, "rows": n},
    )
    return wb
