"""Excel exports of a committee's handling units and workstations (every export is audited)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from shangliang.accounts.models import Membership
from shangliang.core.http import AuthedRequest
from shangliang.core.xlsx import safe_cell_value, workbook_response
from shangliang.orgs import services
from shangliang.orgs.models import Organization, Unit, Workstation
from shangliang.web.org_admin_views import configurable_org


def _active(obj: Any) -> str:
    return _("启用") if obj.is_active else _("停用")


def unit_rows(org: Organization) -> tuple[list[str], Iterable[list[Any]]]:
    headers = [
        _("名称"),
        _("简称"),
        _("类型"),
        _("联系人"),
        _("联系电话"),
        _("用户数"),
        _("排序"),
        _("状态"),
    ]
    units = (
        Unit.objects.filter(org=org)
        .annotate(user_count=Count("users"))
        .order_by("-is_active", "order", "name")
    )
    rows = (
        [
            u.name,
            u.short_name,
            u.get_kind_display(),
            u.contact_name,
            u.contact_phone,
            u.user_count,
            u.order,
            _active(u),
        ]
        for u in units
    )
    return headers, rows


def workstation_rows(org: Organization) -> tuple[list[str], Iterable[list[Any]]]:
    headers = [
        _("名称"),
        _("类型"),
        _("地址"),
        _("纬度"),
        _("经度"),
        _("联系电话"),
        _("驻站委员"),
        _("简介"),
        _("状态"),
    ]
    staff = Membership.objects.select_related("user").order_by("user__name", "pk")
    stations = (
        Workstation.objects.filter(org=org)
        .prefetch_related(Prefetch("members", queryset=staff))
        .order_by("-is_active", "order", "name")
    )
    rows = (
        [
            w.name,
            w.get_kind_display(),
            w.address,
            w.latitude,
            w.longitude,
            w.contact_phone,
            "、".join(m.user.display_name for m in w.members.all()),
            w.description,
            _active(w),
        ]
        for w in stations
    )
    return headers, rows


Rows = Callable[[Organization], tuple[list[str], Iterable[list[Any]]]]
SHEETS: dict[str, tuple[Rows, Promise]] = {
    "units": (unit_rows, gettext_lazy("承办单位")),
    "workstations": (workstation_rows, gettext_lazy("委员工作室")),
}


@login_required
def export(request: AuthedRequest, org_id: int, kind: str) -> HttpResponseBase:
    org = configurable_org(request, org_id)
    try:
        build, title = SHEETS[kind]
    except KeyError:
        raise Http404 from None
    headers, rows = build(org)
    wb = Workbook()
    ws = wb.active
    ws.title = str(title)
    ws.append([safe_cell_value(h) for h in headers])
    count = 0
    for row in rows:
        ws.append([safe_cell_value(v) for v in row])
        count += 1
    ws.freeze_panes = "A2"
    services.org_export_record(actor=request.user, org=org, what=kind, rows=count)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return workbook_response(wb, f"{org.short_name or org.name}-{title}-{stamp}.xlsx")
