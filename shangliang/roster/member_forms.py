"""The forms of adding one member and editing a member. They read the input the way the
roster import reads a cell (1975年3月 is a birth month); the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shangliang.accounts import services as account_services
from shangliang.accounts.models import Membership, User
from shangliang.core.errors import DomainError, Invalid
from shangliang.core.forms import StyledFormMixin, show_domain_error
from shangliang.orgs.models import Committee, Group, Organization, Sector, Term
from shangliang.roster import columns as col
from shangliang.roster.member_services import PROFILE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: Any, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, **kwargs)


class MemberForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("姓名"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("11 位手机号，用于登录，也用于识别已有账号的同一人员。"),
    )
    gender = forms.ChoiceField(
        label=_("性别"), required=False, choices=[("", "—"), *User.Gender.choices]
    )
    ethnicity = _text(_("民族"), 20)
    birth_month = _text(_("出生年月"), 20, help_text=_("例如 1975-03、1975年3月、1975.03。"))
    party = _text(_("党派"), 40, help_text=_("例如：中共、民盟、无党派人士。"))
    workplace = _text(_("工作单位及职务"), 200)
    term = forms.ModelChoiceField(label=_("届次"), queryset=Term.objects.none(), empty_label=None)
    position = forms.ChoiceField(
        label=_("职务"), choices=Membership.Position.choices, initial=Membership.Position.MEMBER
    )
    sector = forms.ModelChoiceField(
        label=_("界别"), queryset=Sector.objects.none(), required=False, empty_label="—"
    )
    committee = forms.ModelChoiceField(
        label=_("专委会"), queryset=Committee.objects.none(), required=False, empty_label="—"
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("小组"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    joined_on = forms.DateField(label=_("任职日期"), required=False, widget=DATE)

    PERSON = PROFILE_FIELDS
    SEAT = ("term", "position", "sector", "committee", "groups", "joined_on")

    def __init__(
        self, *args: Any, org: Organization, membership: Membership | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The organisation's active parts, and those the member already has.
        held: dict[str, Q] = dict.fromkeys(("sector", "committee", "groups"), Q(pk__in=[]))
        if membership is not None:
            held = {
                "sector": Q(pk=membership.sector_id),
                "committee": Q(pk=membership.committee_id),
                "groups": Q(pk__in=[g.pk for g in membership.groups.all()]),
            }
        for name, model in (("sector", Sector), ("committee", Committee), ("groups", Group)):
            choices = model.objects.filter(org=org).filter(Q(is_active=True) | held[name])
            self.fields[name].queryset = choices  # type: ignore[attr-defined]
        self.fields["term"].queryset = Term.objects.filter(org=org).order_by("-number")  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        return str(self._parse("name", col.parse_name))

    def clean_phone(self) -> str | None:
        value = self.cleaned_data.get("phone")
        if self.fields["phone"].disabled:
            return value
        try:
            return account_services.normalize_phone(value)
        except Invalid as exc:
            raise forms.ValidationError(exc.detail) from None

    def clean_birth_month(self) -> Any:
        return self._parse("birth_month", col.parse_birth_month)

    def _parse(self, name: str, parse: Any) -> Any:
        value = self.cleaned_data.get(name)
        if self.fields[name].disabled:
            return value
        try:
            return parse(value)
        except col.CellError as exc:
            raise forms.ValidationError(str(exc)) from None

    def person_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.PERSON if name in self.fields]

    def seat_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SEAT if name in self.fields]

    def add_service_error(self, exc: DomainError) -> None:
        show_domain_error(self, exc)


class MemberAddForm(MemberForm):
    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, org=org, **kwargs)
        del self.fields["joined_on"]  # the term's start, as for an import
        current = Term.objects.filter(org=org, is_current=True).first()
        if current is not None:
            self.fields["term"].initial = current.pk

    def service_args(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class MemberEditForm(MemberForm):
    """Editing one membership; with ``profile_editable`` false (the person also serves where
    the editor has no say) the personal details are shown but cannot be changed."""

    def __init__(
        self,
        *args: Any,
        membership: Membership,
        profile_editable: bool = True,
        **kwargs: Any,
    ) -> None:
        user = membership.user
        kwargs.setdefault(
            "initial",
            {
                "name": user.name,
                "phone": user.phone,
                "gender": user.gender,
                "ethnicity": user.ethnicity,
                "birth_month": user.birth_month.strftime("%Y-%m") if user.birth_month else "",
                "party": user.party,
                "workplace": user.workplace,
                "position": membership.position,
                "sector": membership.sector_id,
                "committee": membership.committee_id,
                "groups": [g.pk for g in membership.groups.all()],
                "joined_on": membership.joined_on,
            },
        )
        super().__init__(*args, org=membership.org, membership=membership, **kwargs)
        del self.fields["term"]  # a membership stays in its term
        self.profile_editable = profile_editable
        if not profile_editable:
            for name in PROFILE_FIELDS:
                self.fields[name].disabled = True

    def changes(self) -> dict[str, Any]:
        """The submitted values the editor may change (the service writes only real changes)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not self.fields[name].disabled
        }
