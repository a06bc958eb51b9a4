"""账号管理: an organisation's managers look after the accounts of its people."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shangliang.accounts import lockout, services, twofactor
from shangliang.accounts.access import can_manage_user
from shangliang.accounts.models import User
from shangliang.core.audit import history_for
from shangliang.core.errors import DomainError
from shangliang.core.http import AuthedRequest

HISTORY_SIZE = 30


def _account(request: AuthedRequest, user_id: int) -> User:
    """The account, if the requester manages it; 404 otherwise (its existence is private)."""
    account = get_object_or_404(User, pk=user_id)
    if not can_manage_user(request.user, account):
        raise Http404
    return account


@login_required
def user_account(request: AuthedRequest, user_id: int) -> HttpResponse:
    account = _account(request, user_id)
    context = {
        "account": account,
        "is_self": account.pk == request.user.pk,
        "lock": lockout.lock_state(request, account),
        "totp_enabled": twofactor.has_confirmed_device(account),
        "memberships": account.memberships.select_related("org", "term"),
        "roles": account.roles.select_related("org"),
        "units": account.unit_links.select_related("unit__org"),
        "history": history_for(account).select_related("actor")[:HISTORY_SIZE],
        "nav_active": "roster",
    }
    return render(request, "accounts/user_account.html", context)


@login_required
@require_POST
@never_cache
def user_password_reset(request: AuthedRequest, user_id: int) -> HttpResponse:
    """Set a temporary password and show it on this one response (never stored, never in
    a message or a redirect)."""
    account = _account(request, user_id)
    try:
        raw = services.password_set_temporary(actor=request.user, user=account)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("accounts:user_account", user_id=account.pk)
    response = render(
        request, "accounts/user_temp_password.html", {"account": account, "password": raw}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def user_unlock(request: AuthedRequest, user_id: int) -> HttpResponse:
    account = _account(request, user_id)
    try:
        services.account_unlock(actor=request.user, user=account)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已解除 %(u)s 的登录锁定。") % {"u": account.display_name})
    return redirect("accounts:user_account", user_id=account.pk)


@login_required
@require_POST
def user_set_active(request: AuthedRequest, user_id: int) -> HttpResponse:
    account = _account(request, user_id)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=account, active=active)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        done = _("已启用账号 %(u)s。") if active else _("已停用账号 %(u)s。")
        messages.success(request, done % {"u": account.display_name})
    return redirect("accounts:user_account", user_id=account.pk)


@login_required
@require_POST
def user_totp_reset(request: AuthedRequest, user_id: int) -> HttpResponse:
    account = _account(request, user_id)
    try:
        services.totp_reset(actor=request.user, user=account)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request, _("已清除 %(u)s 的双重验证，可重新绑定。") % {"u": account.display_name}
        )
    return redirect("accounts:user_account", user_id=account.pk)
