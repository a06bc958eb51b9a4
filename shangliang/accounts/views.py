from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shangliang.accounts import services
from shangliang.accounts.forms import LoginForm, PasswordChangeForm
from shangliang.core.errors import Invalid


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout_response(
    request: HttpRequest, response: Any = None, credentials: Any = None
) -> HttpResponse:
    """What a locked-out login attempt gets (django-axes calls this)."""
    detail = _("登录失败次数过多，账号已被暂时锁定，请 15 分钟后再试，或联系管理员。")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "detail": detail}, status=429)
    return render(request, "accounts/locked.html", {"detail": detail}, status=429)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except Invalid as exc:
            for name, errs in exc.fields.items():
                for err in errs:
                    form.add_error(name if name in form.fields else None, err)
            if not exc.fields:
                form.add_error(None, exc.detail)
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, _("密码已修改。"))
            return redirect("web:home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    memberships = user.memberships.select_related("org", "term", "sector", "committee")  # type: ignore[union-attr]
    roles = user.roles.select_related("org")  # type: ignore[union-attr]
    units = user.unit_links.select_related("unit", "unit__org")  # type: ignore[union-attr]
    return render(
        request,
        "accounts/profile.html",
        {"memberships": memberships, "roles": roles, "units": units},
    )


@login_required
def totp(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/totp.html", {})
