"""Forms of the registration, role and unit-user pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shangliang.accounts.backends import find_login_user, phone_candidate
from shangliang.accounts.forms import password_rules_text
from shangliang.accounts.models import Role, User
from shangliang.core.forms import StyledFormMixin

# The honeypot: a text field people never see (hidden with CSS, skipped by the keyboard and
# screen readers) that form-filling robots fill in.
HONEYPOT_FIELD = "hp_extra"


def _name_field() -> forms.CharField:
    return forms.CharField(
        label=_("姓名"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def _phone_field() -> forms.CharField:
    return forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("11 位中国大陆手机号，可用于登录。"),
    )


def _clean_phone(value: str) -> str:
    phone = phone_candidate(value or "")
    if phone is None:
        raise ValidationError(_("请输入 11 位中国大陆手机号，如 13812345678。"), code="phone")
    return phone


class RegisterForm(StyledFormMixin, forms.Form):
    name = _name_field()
    phone = _phone_field()
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("确认密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_terms = forms.BooleanField(
        label=_("我已阅读并同意《用户服务协议》"),
        error_messages={"required": _("请阅读并同意《用户服务协议》后再注册。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_rules_text()

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password and password != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif password:
            probe = User(username="", name=data.get("name", ""), phone=data.get("phone"))
            try:
                validate_password(password, probe)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class FindUserForm(StyledFormMixin, forms.Form):
    """An existing account, by username or mobile number."""

    ident = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        help_text=_("对方已有账号（委员、工作人员、注册群众等）时使用。"),
    )

    def clean_ident(self) -> User:
        ident = self.cleaned_data.get("ident", "")
        user = find_login_user(ident)
        if user is None:
            raise ValidationError(
                _("未找到用户名或手机号为“%(i)s”的账号，可在“新建账号”中开设。"),
                params={"i": ident},
                code="not_found",
            )
        return user


class NewAccountForm(StyledFormMixin, forms.Form):
    """A new account: the name and mobile number; the password is a temporary one."""

    name = _name_field()
    phone = _phone_field()

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("phone", ""))


class _RoleFields(forms.Form):
    kind = forms.ChoiceField(label=_("角色"), choices=[("", _("请选择")), *Role.Kind.choices])
    title = forms.CharField(
        label=_("职务"),
        max_length=60,
        required=False,
        help_text=_("选填，如“提案委员会办公室主任”。"),
    )


class RoleGrantForm(FindUserForm, _RoleFields):
    field_order = ["ident", "kind", "title"]


class RoleCreateForm(NewAccountForm, _RoleFields):
    field_order = ["name", "phone", "kind", "title"]


class _UnitFields(forms.Form):
    is_manager = forms.BooleanField(label=_("单位负责人"), required=False)


class UnitUserAddForm(FindUserForm, _UnitFields):
    field_order = ["ident", "is_manager"]


class UnitUserCreateForm(NewAccountForm, _UnitFields):
    field_order = ["name", "phone", "is_manager"]
