"""Forms of the administrators' pages: they parse input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from shangliang.accounts.models import Membership
from shangliang.core.errors import DomainError
from shangliang.core.forms import StyledFormMixin, show_domain_error, style_widgets
from shangliang.core.models import CalendarDay
from shangliang.orgs.models import Group, Organization, Sector, Unit, Workstation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHONE = RegexValidator(r"^[0-9+\-() ]{3,20}$", _("请输入电话号码（数字，可含 - 和括号）。"))


class Form(StyledFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_fields()
        style_widgets(self)  # again: setup_fields may add fields

    def setup_fields(self) -> None:
        """Adjust fields (choices of this committee, data- attributes) before validation."""

    def add_domain_error(self, exc: DomainError) -> None:
        """Show a service's error beside the fields it names (the rest above the form)."""
        show_domain_error(self, exc)


def _name(max_length: int = 100) -> forms.CharField:
    return forms.CharField(label=_("名称"), max_length=max_length)


class OrderField(forms.IntegerField):
    """The position in lists; left empty, it is 0."""

    def to_python(self, value: Any) -> int:
        number = super().to_python(value)
        return 0 if number is None else number


def _order() -> forms.IntegerField:
    return OrderField(
        label=_("排序"),
        min_value=0,
        max_value=100000,
        initial=0,
        required=False,
        help_text=_("数字小的排在前面。"),
    )


class OrgForm(Form):
    name = _name()
    short_name = forms.CharField(label=_("简称"), max_length=40, required=False)
    region_code = forms.CharField(label=_("行政区划代码"), max_length=12, required=False)


class ChildOrgForm(OrgForm):
    level = forms.TypedChoiceField(label=_("层级"), coerce=int)

    field_order = ["name", "level", "short_name", "region_code"]

    def __init__(self, *args: Any, parent: Organization, **kwargs: Any) -> None:
        self.parent = parent
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        below = [(v, label) for v, label in Organization.Level.choices if v > self.parent.level]
        self.fields["level"].choices = below  # type: ignore[attr-defined]
        if below:
            self.fields["level"].initial = below[0][0]


class TermForm(Form):
    number = forms.IntegerField(label=_("届次"), min_value=1, max_value=99)
    name = _name(max_length=60)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False)


class NewTermForm(TermForm):
    current = forms.BooleanField(
        label=_("设为本届"),
        required=False,
        initial=True,
        help_text=_("本届委员才算在任委员；设为本届后，原来的本届不再是本届。"),
    )


class SessionForm(Form):
    number = forms.IntegerField(label=_("次"), min_value=1, max_value=99)
    name = _name(max_length=80)
    opens_on = forms.DateField(label=_("开幕日期"), widget=DATE)
    closes_on = forms.DateField(label=_("闭幕日期"), widget=DATE)
    proposal_deadline = forms.DateTimeField(
        label=_("大会提案截止时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("一般在会议期间；之后提交的提案作为平时提案处理。"),
    )


class PartForm(Form):
    """A form for one of ``org``'s parts (choices such as sectors come from ``org``)."""

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        self.org = org
        super().__init__(*args, **kwargs)


class SectorForm(PartForm):
    name = _name()
    order = _order()


class CommitteeForm(SectorForm):
    pass


class GroupForm(PartForm):
    name = _name()
    kind = forms.ChoiceField(label=_("类型"), choices=Group.Kind.choices)
    sector = forms.ModelChoiceField(
        label=_("界别"),
        queryset=Sector.objects.none(),
        required=False,
        help_text=_("工作组按界别组成，须选择界别。"),
    )
    region = forms.CharField(
        label=_("片区"), max_length=60, required=False, help_text=_("学习组按片区组成。")
    )
    order = _order()

    def setup_fields(self) -> None:
        self.fields["sector"].queryset = Sector.objects.filter(  # type: ignore[attr-defined]
            org=self.org, is_active=True
        )
        self.fields["sector"].widget.attrs["data-show-when"] = "kind=work"
        self.fields["region"].widget.attrs["data-show-when"] = "kind=study"

    def clean(self) -> dict[str, Any]:
        """The page hides the field the chosen kind does not use; drop what it may still hold."""
        data = super().clean() or {}
        if data.get("kind") == Group.Kind.STUDY:
            data["sector"] = None
        elif data.get("kind") == Group.Kind.WORK:
            data["region"] = ""
        return data


class UnitForm(PartForm):
    name = _name()
    short_name = forms.CharField(label=_("简称"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=Unit.Kind.choices)
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, validators=[PHONE]
    )
    order = _order()


class MemberChoiceField(forms.ModelMultipleChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        sector = f"（{obj.sector.name}）" if obj.sector else ""
        return f"{obj.user.display_name}{sector}"


class WorkstationForm(PartForm):
    name = _name()
    kind = forms.ChoiceField(label=_("类型"), choices=Workstation.Kind.choices)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("纬度"), max_digits=9, decimal_places=6, required=False, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("经度"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-180,
        max_value=180,
    )
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, validators=[PHONE]
    )
    description = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    members = MemberChoiceField(
        label=_("驻站委员"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("本组织本届的在职委员；按住 Ctrl（手机上点选）可多选。"),
    )
    order = _order()

    def setup_fields(self) -> None:
        self.fields["members"].queryset = (  # type: ignore[attr-defined]
            Membership.objects.filter(
                org=self.org,
                term__is_current=True,
                status__in=[Membership.Status.ACTIVE, Membership.Status.SUSPENDED],
            )
            .select_related("user", "sector")
            .order_by("sector__order", "user__name", "pk")
        )


class CalendarDayForm(Form):
    date = forms.DateField(label=_("日期"), widget=DATE)
    kind = forms.ChoiceField(label=_("类型"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("名称"), max_length=60, required=False)


class CalendarCheckForm(Form):
    date = forms.DateField(label=_("起算日期"), widget=DATE)
    days = forms.IntegerField(label=_("工作日数"), min_value=0, max_value=250, initial=5)
