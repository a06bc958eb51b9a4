"""Adding one member and editing a member, for those who manage the roster.

A roster the user may not read (or a member they may not see) is a 404; one they read but
may not manage is a 403. A submitted form that fails answers 422 (409 for a person who is
already a member, 403 for personal details that are not the editor's to change) and writes
nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shangliang.accounts.models import Membership
from shangliang.accounts.permissions import can
from shangliang.core.errors import DomainError, Forbidden, NotFound
from shangliang.core.http import AuthedRequest
from shangliang.orgs.models import Organization
from shangliang.roster.member_forms import MemberAddForm, MemberEditForm, MemberForm
from shangliang.roster.member_services import member_add, member_update
from shangliang.roster.selectors import membership_visible, roster_org_visible


def _page(
    request: AuthedRequest,
    form: MemberForm,
    *,
    org: Organization,
    title: str,
    back: str,
    m: Membership | None = None,
    status: int | None = None,
) -> HttpResponse:
    if status is None:
        status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "org": org, "m": m, "title": title, "back": back}
    context["nav_active"] = "roster"
    return render(request, "roster/member_form.html", context, status=status)


def _call(form: MemberForm, service: Any, **kwargs: Any) -> tuple[Any, int | None]:
    """Run the service; its error goes on the form (and gives the page's status)."""
    try:
        return service(**kwargs), None
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        if isinstance(exc, Forbidden) and not exc.fields:
            raise PermissionDenied(exc.detail) from None
        form.add_service_error(exc)
        return None, exc.status


@login_required
@require_http_methods(["GET", "POST"])
def member_new(request: AuthedRequest, org_id: int) -> HttpResponse:
    try:
        org = roster_org_visible(user=request.user, org_id=org_id)
    except NotFound:
        raise Http404 from None
    if not can(request.user, "orgs.manage_roster", org):
        raise PermissionDenied
    form = MemberAddForm(request.POST or None, org=org)
    status = None
    if request.method == "POST" and form.is_valid():
        m, status = _call(form, member_add, actor=request.user, org=org, **form.service_args())
        if m is not None:
            messages.success(request, _added_message(m))
            return redirect("roster:membership", membership_id=m.pk)
    back = reverse("roster:list", args=[org.pk])
    return _page(request, form, org=org, title=_("新增委员"), back=back, status=status)


def _added_message(m: Membership) -> str:
    if m.user.memberships.exclude(pk=m.pk).exists():
        return _("已新增委员：%(u)s（已有账号，沿用原账号及其个人信息）。") % {
            "u": m.user.display_name
        }
    return _("已新增委员：%(u)s。") % {"u": m.user.display_name}


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: AuthedRequest, membership_id: int) -> HttpResponse:
    try:
        m = membership_visible(user=request.user, membership_id=membership_id)
    except NotFound:
        raise Http404 from None
    if not can(request.user, "accounts.manage_membership", m):
        raise PermissionDenied
    editable = can(request.user, "accounts.edit_profile", m.user)
    form = MemberEditForm(request.POST or None, membership=m, profile_editable=editable)
    status = None
    if request.method == "POST" and form.is_valid():
        done, status = _call(
            form, member_update, actor=request.user, membership=m, **form.changes()
        )
        if done is not None:
            messages.success(request, _("已保存。"))
            return redirect("roster:membership", membership_id=m.pk)
    back = reverse("roster:membership", args=[m.pk])
    title = _("编辑委员信息")
    return _page(request, form, org=m.org, m=m, title=title, back=back, status=status)
