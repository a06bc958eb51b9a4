"""Logging in (password, then a TOTP code where the user has one), lockout, own password."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from shangliang.accounts import lockout, services, twofactor
from shangliang.accounts.access import is_staff_user
from shangliang.accounts.forms import LoginForm, OtpCodeForm, PasswordChangeForm
from shangliang.accounts.models import User
from shangliang.accounts.signals import context, login_factor, logout_reason
from shangliang.core.errors import DomainError, Invalid
from shangliang.core.forms import show_domain_error
from shangliang.core.http import AuthedRequest

DEFAULT_BACKEND = "shangliang.accounts.backends.UsernameOrPhoneBackend"


class LoginView(auth_views.LoginView):
    """The password step. A user with a confirmed TOTP device continues to the code page
    without being logged in; everyone else is logged in here."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if twofactor.has_confirmed_device(user):
            twofactor.pending_start(self.request, user, self.get_success_url())
            return redirect("accounts:login_otp")
        twofactor.pending_clear(self.request)
        return super().form_valid(form)


@sensitive_post_parameters("code")
@never_cache
def login_otp(request: HttpRequest) -> HttpResponse:
    """The second step: the code from the authenticator app finishes the login."""
    if request.user.is_authenticated:
        return redirect("web:home")
    pending = twofactor.pending_get(request)
    if pending is None:
        messages.info(request, _("验证已超时，请重新输入用户名和密码。"))
        return redirect("accounts:login")
    user = pending.user
    device = twofactor.confirmed_device(user)
    if device is None:
        twofactor.pending_clear(request)
        messages.info(request, _("双重验证设置已变更，请重新登录。"))
        return redirect("accounts:login")
    if lockout.is_locked(request, user.username):
        return lockout_response(request)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.throttled(device):
            form.add_error("code", _("尝试过于频繁，请稍等几秒后再输入。"))
        elif twofactor.verify_code(device, form.cleaned_data["code"]):
            return _finish_login(request, user, device, pending)
        else:
            lockout.record_failure(request, user, stage="otp")
            if lockout.locked_in_request(request):
                return lockout_response(request)
            form.add_error("code", _("验证码不正确，请输入验证器中当前显示的 6 位数字。"))
    return render(request, "accounts/login_otp.html", {"form": form, "pending_user": user})


def _finish_login(
    request: HttpRequest, user: User, device: Any, pending: twofactor.PendingLogin
) -> HttpResponse:
    twofactor.pending_clear(request)
    with context(login_factor, "totp"):
        login(request, user, backend=pending.backend or DEFAULT_BACKEND)
    otp_login(request, device)
    return HttpResponseRedirect(pending.next_url)


def lockout_response(
    request: HttpRequest, response: Any = None, credentials: Any = None
) -> HttpResponse:
    """What a locked-out login attempt gets (django-axes calls this)."""
    detail = _(
        "登录失败次数过多，账号已被暂时锁定，请 %(m)d 分钟后再试，或联系本级政协办公室解除锁定。"
    ) % {"m": lockout.lockout_minutes()}
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "detail": detail}, status=429)
    if hasattr(request, "session"):
        twofactor.pending_clear(request)
    return render(request, "accounts/locked.html", {"detail": detail}, status=429)


def show_errors(form: Form, exc: DomainError) -> None:
    """Put a service's error on the form (see core.forms.show_domain_error)."""
    show_domain_error(form, exc)


def reauth_failed(
    request: AuthedRequest, form: Form, exc: Invalid, field: str
) -> HttpResponse | None:
    """A wrong current password from a logged-in user counts towards the lockout too
    (a borrowed session must not become a way to guess the password). Returns the
    lockout page once the account is locked, after logging the session out."""
    form.add_error(field, exc.detail)
    lockout.record_failure(request, request.user, stage="reauth")
    if lockout.locked_in_request(request):
        with context(logout_reason, "locked"):
            logout(request)
        return lockout_response(request)
    return None


@login_required
@sensitive_post_parameters("old_password", "new_password", "new_password2")
@never_cache
def password_change(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except Invalid as exc:
            if "old_password" in exc.fields:
                locked = reauth_failed(request, form, exc, "old_password")
                if locked is not None:
                    return locked
            else:
                show_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("web:home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context_ = {
        "memberships": user.memberships.select_related("org", "term", "sector", "committee"),
        "roles": user.roles.select_related("org"),
        "units": user.unit_links.select_related("unit", "unit__org"),
        "totp_enabled": twofactor.has_confirmed_device(user),
        "is_staff_user": is_staff_user(user),
    }
    return render(request, "accounts/profile.html", context_)
