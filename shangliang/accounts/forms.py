from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from shangliang.accounts.backends import find_login_user
from shangliang.accounts.lockout import failure_limit, failures_in_request, locked_in_request
from shangliang.core.forms import StyledFormMixin


def password_rules_text() -> str:
    """The password rules in one sentence, following the configured minimum length."""
    length = next(
        (
            int(v.min_length)
            for v in get_default_password_validators()
            if isinstance(v, MinimumLengthValidator)
        ),
        10,
    )
    return gettext(
        "至少 %(n)d 位，包含小写字母、大写字母、数字、符号中的至少三类；"
        "不能是常见密码、纯数字，也不能与姓名、用户名或手机号相近。"
    ) % {"n": length}


# Warn when this many attempts (or fewer) are left before the lockout.
WARN_REMAINING = 2


class LoginForm(StyledFormMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("用户名（手机号）或密码不正确。连续输错多次后账号将被暂时锁定。"),
        "inactive": _("该账号已停用，请联系本级政协办公室。"),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError as exc:
            refused = self.request is not None and locked_in_request(self.request)
            if exc.code == "invalid_login" and not refused and self._inactive_account():
                raise ValidationError(self.error_messages["inactive"], code="inactive") from None
            remaining = self._remaining_attempts()
            if remaining is not None and 0 < remaining <= WARN_REMAINING:
                raise ValidationError(
                    [
                        exc,
                        ngettext(
                            "再输错 %(n)d 次，账号将被锁定。",
                            "再输错 %(n)d 次，账号将被锁定。",
                            remaining,
                        )
                        % {"n": remaining},
                    ]
                ) from None
            raise

    def _inactive_account(self) -> bool:
        """Does the identifier name a disabled account whose password was right?

        Only someone who knows the password learns that the account is disabled.
        """
        user = find_login_user(self.cleaned_data.get("username"))
        password = self.cleaned_data.get("password") or ""
        return user is not None and not user.is_active and user.check_password(password)

    def _remaining_attempts(self) -> int | None:
        failures = failures_in_request(self.request) if self.request is not None else None
        return None if failures is None else failure_limit() - failures


class OtpCodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("6 位验证码"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
            }
        ),
        help_text=_(
            "打开手机上的验证器应用（如 Microsoft Authenticator、Google Authenticator），"
            "输入“商量”账号当前显示的 6 位数字。"
        ),
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data.get("code", "")).split())
        if not (len(code) == 6 and code.isdigit()):
            raise ValidationError(_("请输入 6 位数字验证码。"), code="format")
        return code


class PasswordConfirmForm(StyledFormMixin, forms.Form):
    password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(StyledFormMixin, forms.Form):
    old_password = forms.CharField(
        label=_("原密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("确认新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password"].help_text = password_rules_text()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data
