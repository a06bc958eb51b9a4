"""A committee administrator's pages for its parts: sectors (界别), committees (专门委员会),
groups (学习组/工作组), handling units (承办单位) and workstations (委员工作室/站, 协商议事室):
list, create, edit, deactivate/reactivate, a unit's users, and the Excel exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.forms import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shangliang.core.audit import history_for
from shangliang.core.http import AuthedRequest
from shangliang.orgs import services
from shangliang.orgs.models import (
    Committee,
    Group,
    Organization,
    OrgPart,
    Sector,
    Unit,
    Workstation,
)
from shangliang.web.org_admin_forms import (
    CommitteeForm,
    GroupForm,
    PartForm,
    SectorForm,
    UnitForm,
    WorkstationForm,
)
from shangliang.web.org_admin_views import configurable_org, form_page, manage_context, submit

Column = tuple[Promise, Callable[[Any], Any]]


@dataclass(frozen=True)
class PartKind:
    key: str
    model: type[OrgPart]
    form: type[PartForm]
    title: Promise
    one: Promise
    columns: tuple[Column, ...]
    rows: Callable[[QuerySet[Any]], QuerySet[Any]] = lambda qs: qs

    def queryset(self, org: Organization) -> QuerySet[Any]:
        """Every part of ``org``, active first; the same number of queries for any count."""
        qs = self.model._default_manager.filter(org=org).order_by("-is_active", "order", "name")
        return self.rows(qs)


def _group_basis(g: Group) -> str:
    if g.kind == Group.Kind.WORK:
        return g.sector.name if g.sector else "—"
    return g.region or "—"


NAME: Column = (gettext_lazy("名称"), lambda o: o.name)
ORDER: Column = (gettext_lazy("排序"), lambda o: o.order)
KINDS: dict[str, PartKind] = {
    k.key: k
    for k in [
        PartKind(
            "sectors", Sector, SectorForm, gettext_lazy("界别"), gettext_lazy("界别"), (NAME, ORDER)
        ),
        PartKind(
            "committees",
            Committee,
            CommitteeForm,
            gettext_lazy("专门委员会"),
            gettext_lazy("专门委员会"),
            (NAME, ORDER),
        ),
        PartKind(
            "groups",
            Group,
            GroupForm,
            gettext_lazy("委员小组"),
            gettext_lazy("委员小组"),
            (
                NAME,
                (gettext_lazy("类型"), lambda o: o.get_kind_display()),
                (gettext_lazy("界别 / 片区"), _group_basis),
                ORDER,
            ),
            rows=lambda qs: qs.select_related("sector"),
        ),
        PartKind(
            "units",
            Unit,
            UnitForm,
            gettext_lazy("承办单位"),
            gettext_lazy("承办单位"),
            (
                NAME,
                (gettext_lazy("简称"), lambda o: o.short_name),
                (gettext_lazy("类型"), lambda o: o.get_kind_display()),
                (gettext_lazy("联系人"), lambda o: o.contact_name),
                (gettext_lazy("联系电话"), lambda o: o.contact_phone),
                (gettext_lazy("用户数"), lambda o: o.user_count),
            ),
            rows=lambda qs: qs.annotate(user_count=Count("users")),
        ),
        PartKind(
            "workstations",
            Workstation,
            WorkstationForm,
            gettext_lazy("委员工作室与协商议事室"),
            gettext_lazy("委员工作室"),
            (
                NAME,
                (gettext_lazy("类型"), lambda o: o.get_kind_display()),
                (gettext_lazy("地址"), lambda o: o.address),
                (gettext_lazy("联系电话"), lambda o: o.contact_phone),
                (gettext_lazy("驻站委员"), lambda o: o.member_count),
            ),
            rows=lambda qs: qs.annotate(member_count=Count("members")),
        ),
    ]
}


def _kind(kind: str) -> PartKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404 from None


def _part(kind: PartKind, org: Organization, part_id: int) -> Any:
    """A part of ``org`` (never another committee's: 404)."""
    return get_object_or_404(kind.model._default_manager, pk=part_id, org=org)


def _create(spec: PartKind, *, org: Organization, actor: Any, data: dict[str, Any]) -> Any:
    if spec.model is Workstation:
        return services.workstation_create(actor=actor, org=org, **data)
    return services.part_create(actor=actor, model=spec.model, org=org, **data)


def _update(obj: OrgPart, *, actor: Any, data: dict[str, Any]) -> Any:
    if isinstance(obj, Workstation):
        return services.workstation_update(actor=actor, workstation=obj, **data)
    return services.part_update(actor=actor, obj=obj, **data)


def _shown(value: Any) -> Any:
    return "—" if value is None or value == "" else value


@login_required
def parts(request: AuthedRequest, org_id: int, kind: str) -> HttpResponse:
    org = configurable_org(request, org_id)
    spec = _kind(kind)
    labels = [label for label, _get in spec.columns]
    rows = [(obj, [(label, get(obj)) for label, get in spec.columns]) for obj in spec.queryset(org)]
    context = manage_context(
        org, kind, spec=spec, labels=labels, rows=rows, exportable=kind in EXPORTS
    )
    return render(request, "web/orgs/manage_parts.html", context)


@login_required
def part_new(request: AuthedRequest, org_id: int, kind: str) -> HttpResponse:
    org = configurable_org(request, org_id)
    spec = _kind(kind)
    form = spec.form(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: _create(spec, org=org, actor=request.user, data=data)):
            messages.success(request, _("已新增：%(name)s") % {"name": data["name"]})
            return redirect("web:manage_parts", org_id=org.pk, kind=kind)
    title = _("新增%(what)s") % {"what": spec.one}
    back = reverse("web:manage_parts", args=[org.pk, kind])
    return form_page(request, org, form=form, section=kind, title=title, back=back)


@login_required
def part_edit(request: AuthedRequest, org_id: int, kind: str, part_id: int) -> HttpResponse:
    org = configurable_org(request, org_id)
    spec = _kind(kind)
    obj = _part(spec, org, part_id)
    title = _("编辑%(what)s：%(name)s") % {"what": spec.one, "name": obj.name}
    initial = model_to_dict(obj, fields=list(spec.form.base_fields))
    form = spec.form(request.POST or None, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: _update(obj, actor=request.user, data=data)):
            messages.success(request, _("已保存。"))
            return redirect("web:manage_parts", org_id=org.pk, kind=kind)
    back = reverse("web:manage_parts", args=[org.pk, kind])
    history = history_for(obj).select_related("actor")[:20]
    return form_page(request, org, form=form, section=kind, title=title, back=back, history=history)


@login_required
@require_POST
def part_set_active(
    request: AuthedRequest, org_id: int, kind: str, part_id: int, active: bool
) -> HttpResponse:
    org = configurable_org(request, org_id)
    spec = _kind(kind)
    obj = _part(spec, org, part_id)
    if active:
        services.part_reactivate(actor=request.user, obj=obj)
        messages.success(request, _("已启用：%(name)s") % {"name": obj.name})
    else:
        services.part_deactivate(actor=request.user, obj=obj)
        messages.success(request, _("已停用：%(name)s") % {"name": obj.name})
    return redirect("web:manage_parts", org_id=org.pk, kind=kind)


@login_required
def unit_detail(request: AuthedRequest, org_id: int, unit_id: int) -> HttpResponse:
    """A handling unit and the users who act for it (read-only here)."""
    org = configurable_org(request, org_id)
    unit = get_object_or_404(Unit, pk=unit_id, org=org)
    context = manage_context(
        org,
        "units",
        unit=unit,
        unit_users=unit.users.select_related("user").order_by("-is_manager", "user__name"),
        history=history_for(unit).select_related("actor")[:20],
    )
    return render(request, "web/orgs/manage_unit.html", context)


# The Excel exports live in org_admin_export; EXPORTS names the lists that have one.
EXPORTS = ("units", "workstations")
