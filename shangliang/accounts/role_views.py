"""角色管理: an organisation's administrators grant and revoke its staff and informant roles.

Every view needs ``orgs.configure`` in the organisation of the URL (its administrators, those
of a committee above it, superusers); anyone else gets a 404. A role of another organisation
in the URL is a 404 too. The services check the same permission again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from shangliang.accounts import services, staffing
from shangliang.accounts.models import Role, User
from shangliang.accounts.people_forms import RoleCreateForm, RoleGrantForm
from shangliang.accounts.permissions import can
from shangliang.accounts.views import show_errors
from shangliang.core.errors import DomainError, Invalid
from shangliang.core.http import AuthedRequest
from shangliang.core.xlsx import safe_cell_value, workbook_response
from shangliang.orgs.models import Organization


def _org(request: AuthedRequest, org_id: int) -> Organization:
    org = get_object_or_404(Organization, pk=org_id)
    if not can(request.user, "orgs.configure", org):
        raise Http404
    return org


def holders_by_kind(org: Organization) -> list[tuple[str, str, list[Role]]]:
    """(kind, label, role holders) for every role kind, in one query."""
    grouped: dict[str, list[Role]] = {kind: [] for kind in Role.Kind.values}
    roles = (
        Role.objects.filter(org=org)
        .select_related("user")
        .order_by("user__name", "user__username", "pk")
    )
    for role in roles:
        grouped.setdefault(role.kind, []).append(role)
    return [(kind, str(Role.Kind(kind).label), grouped[kind]) for kind in Role.Kind.values]


def _page(
    request: AuthedRequest,
    org: Organization,
    grant_form: Form | None = None,
    create_form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "org": org,
        "groups": holders_by_kind(org),
        "grant_form": grant_form or RoleGrantForm(prefix="grant"),
        "create_form": create_form or RoleCreateForm(prefix="create"),
        "nav_active": "manage",
    }
    return render(request, "accounts/org_roles.html", context, status=status)


@login_required
def org_roles(request: AuthedRequest, org_id: int) -> HttpResponse:
    return _page(request, _org(request, org_id))


def _granted_message(user: User, org: Organization, kind: str) -> str:
    return _("已授予 %(u)s %(o)s“%(k)s”角色。") % {
        "u": user.display_name,
        "o": org,
        "k": Role.Kind(kind).label,
    }


@login_required
@require_POST
def org_role_grant(request: AuthedRequest, org_id: int) -> HttpResponse:
    """Give a role to someone who already has an account."""
    org = _org(request, org_id)
    form = RoleGrantForm(request.POST, prefix="grant")
    if not form.is_valid():
        return _page(request, org, grant_form=form, status=422)
    user: User = form.cleaned_data["ident"]
    kind = form.cleaned_data["kind"]
    if Role.objects.filter(user=user, org=org, kind=kind).exists():
        messages.info(
            request,
            _("%(u)s 已担任“%(k)s”。") % {"u": user.display_name, "k": Role.Kind(kind).label},
        )
        return redirect("accounts:org_roles", org_id=org.pk)
    try:
        services.role_grant(
            actor=request.user, user=user, org=org, kind=kind, title=form.cleaned_data["title"]
        )
    except Invalid as exc:
        show_errors(form, exc)
        return _page(request, org, grant_form=form, status=422)
    except DomainError as exc:
        form.add_error("ident", exc.detail)
        return _page(request, org, grant_form=form, status=exc.status)
    messages.success(request, _granted_message(user, org, kind))
    return redirect("accounts:org_roles", org_id=org.pk)


@login_required
@require_POST
@never_cache
@sensitive_variables("raw")
def org_role_create(request: AuthedRequest, org_id: int) -> HttpResponse:
    """Open an account for a new person with a role; show its temporary password once."""
    org = _org(request, org_id)
    form = RoleCreateForm(request.POST, prefix="create")
    if not form.is_valid():
        return _page(request, org, create_form=form, status=422)
    try:
        role, raw = staffing.role_grant_new_account(
            actor=request.user,
            org=org,
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            title=form.cleaned_data["title"],
        )
    except DomainError as exc:
        show_errors(form, exc)
        return _page(request, org, create_form=form, status=exc.status)
    return temporary_password_page(
        request,
        account=role.user,
        password=raw,
        granted=_granted_message(role.user, org, role.kind),
        back_url=reverse("accounts:org_roles", args=[org.pk]),
    )


def temporary_password_page(
    request: AuthedRequest, *, account: User, password: str, granted: str, back_url: str
) -> HttpResponse:
    """The new account's temporary password, on this one response (never stored, never in a
    message or a redirect)."""
    context = {"account": account, "password": password, "granted": granted, "back_url": back_url}
    response = render(request, "accounts/new_account_password.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def org_role_revoke(request: AuthedRequest, org_id: int, role_id: int) -> HttpResponse:
    org = _org(request, org_id)
    role = get_object_or_404(Role.objects.select_related("user", "org"), pk=role_id, org=org)
    try:
        services.role_revoke(actor=request.user, role=role)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request,
            _("已撤销 %(u)s 的“%(k)s”角色。")
            % {"u": role.user.display_name, "k": role.get_kind_display()},
        )
    return redirect("accounts:org_roles", org_id=org.pk)


def role_rows(org: Organization) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("角色"),
        _("姓名"),
        _("用户名"),
        _("手机号"),
        _("职务"),
        _("账号状态"),
        _("授予时间"),
    ]
    rows = [
        [
            label,
            role.user.display_name,
            role.user.username,
            role.user.phone,
            role.title,
            _("正常") if role.user.is_active else _("已停用"),
            role.created_at,
        ]
        for _kind, label, roles in holders_by_kind(org)
        for role in roles
    ]
    return headers, rows


@login_required
def org_roles_export(request: AuthedRequest, org_id: int) -> HttpResponseBase:
    org = _org(request, org_id)
    headers, rows = role_rows(org)
    wb = Workbook()
    ws = wb.active
    ws.title = _("角色")
    ws.append([safe_cell_value(h) for h in headers])
    for row in rows:
        ws.append([safe_cell_value(v) for v in row])
    ws.freeze_panes = "A2"
    staffing.roles_export_record(actor=request.user, org=org, rows=len(rows))
    stamp = timezone.localdate().strftime("%Y%m%d")
    filename = _("%(o)s-角色-%(d)s.xlsx") % {"o": org.short_name or org.name, "d": stamp}
    return workbook_response(wb, filename)
