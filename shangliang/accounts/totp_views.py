"""Enrolling in and leaving the TOTP second factor (staff only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from shangliang.accounts import services, twofactor
from shangliang.accounts.access import is_staff_user
from shangliang.accounts.forms import OtpCodeForm, PasswordConfirmForm
from shangliang.accounts.views import reauth_failed
from shangliang.core.errors import Invalid
from shangliang.core.http import AuthedRequest


@login_required
@sensitive_post_parameters("code")
@never_cache
def totp(request: AuthedRequest) -> HttpResponse:
    """Status and disabling when enrolled; otherwise the QR code and the confirming code."""
    user = request.user
    device = twofactor.confirmed_device(user)
    if device is not None:
        return render(
            request,
            "accounts/totp.html",
            {"device": device, "disable_form": PasswordConfirmForm()},
        )
    if not is_staff_user(user):
        return render(request, "accounts/totp.html", {"not_staff": True})
    pending = services.totp_enrol_start(actor=user)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.throttled(pending):
            form.add_error("code", _("尝试过于频繁，请稍等几秒后再输入。"))
        else:
            try:
                confirmed = services.totp_enrol_confirm(actor=user, code=form.cleaned_data["code"])
            except Invalid as exc:
                form.add_error("code", exc.detail)
            else:
                otp_login(request, confirmed)
                messages.success(
                    request, _("双重验证已启用。今后登录时，输入密码后还需输入验证码。")
                )
                return redirect("accounts:totp")
    context = {
        "form": form,
        "qr": twofactor.qr_data_uri(pending),
        "secret": twofactor.secret_base32(pending),
        "required": settings.STAFF_TOTP_REQUIRED,
    }
    return render(request, "accounts/totp.html", context)


@login_required
@require_POST
@sensitive_post_parameters("password")
@never_cache
def totp_disable(request: AuthedRequest) -> HttpResponse:
    user = request.user
    device = twofactor.confirmed_device(user)
    if device is None:
        return redirect("accounts:totp")
    form = PasswordConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.totp_disable(actor=user, password=form.cleaned_data["password"])
        except Invalid as exc:
            locked = reauth_failed(request, form, exc, "password")
            if locked is not None:
                return locked
        else:
            messages.success(request, _("双重验证已停用。"))
            return redirect("accounts:totp")
    context = {"device": device, "disable_form": form}
    return render(request, "accounts/totp.html", context, status=422)
