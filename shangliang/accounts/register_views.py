"""注册: a member of the public opens an account with a mobile number."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from shangliang.accounts import ratelimit
from shangliang.accounts.people_forms import HONEYPOT_FIELD, RegisterForm
from shangliang.accounts.registration import public_user_register
from shangliang.accounts.views import DEFAULT_BACKEND, show_errors
from shangliang.core.errors import Invalid

TEMPLATE = "accounts/register.html"


def _page(request: HttpRequest, form: RegisterForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "honeypot": HONEYPOT_FIELD}
    return render(request, TEMPLATE, context, status=status)


@sensitive_post_parameters("password", "password2")
@never_cache
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    if request.method != "POST":
        return _page(request, RegisterForm())
    form = RegisterForm(request.POST)
    try:
        ratelimit.registration_check(request)
        if request.POST.get(HONEYPOT_FIELD):
            ratelimit.registration_hit(request)  # a robot: count it, create nothing
            form.add_error(None, _("提交失败，请刷新页面后重试。"))
            return _page(request, form, status=400)
        if not form.is_valid():
            return _page(request, form, status=422)
        user = public_user_register(
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            password=form.cleaned_data["password"],
            request=request,
        )
    except ratelimit.Throttled as exc:
        messages.error(request, exc.detail)
        return _page(request, RegisterForm(), status=429)
    except Invalid as exc:
        show_errors(form, exc)
        return _page(request, form, status=422)
    login(request, user, backend=DEFAULT_BACKEND)
    messages.success(
        request, _("注册成功，欢迎使用“商量”。以后可以用手机号 %(p)s 登录。") % {"p": user.phone}
    )
    return redirect("web:home")
