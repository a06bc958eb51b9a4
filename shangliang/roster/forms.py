from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shangliang.accounts.models import Membership
from shangliang.core.forms import StyledFormMixin, style_widgets
from shangliang.orgs.models import Committee, Group, Organization, Sector, Term
from shangliang.roster.selectors import RosterFilters


class RosterFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("姓名或单位"), required=False, max_length=60)
    sector = forms.ModelChoiceField(
        label=_("界别"), queryset=Sector.objects.none(), required=False, empty_label=_("全部")
    )
    committee = forms.ModelChoiceField(
        label=_("专委会"), queryset=Committee.objects.none(), required=False, empty_label=_("全部")
    )
    group = forms.ModelChoiceField(
        label=_("小组"), queryset=Group.objects.none(), required=False, empty_label=_("全部")
    )
    position = forms.ChoiceField(
        label=_("职务"), required=False, choices=[("", _("全部")), *Membership.Position.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Membership.Status.choices]
    )
    term = forms.ModelChoiceField(
        label=_("届次"), queryset=Term.objects.none(), required=False, empty_label=_("本届")
    )

    def __init__(self, *args: object, org: Organization, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(org=org)  # type: ignore[attr-defined]
        self.fields["committee"].queryset = Committee.objects.filter(org=org)  # type: ignore[attr-defined]
        self.fields["group"].queryset = Group.objects.filter(org=org)  # type: ignore[attr-defined]
        self.fields["term"].queryset = Term.objects.filter(org=org)  # type: ignore[attr-defined]
        for name in ("sector", "committee", "group", "position", "status", "term"):
            self.fields[name].widget.attrs["data-autosubmit"] = ""
        style_widgets(self)

    def filters(self) -> RosterFilters:
        if not self.is_valid():
            return RosterFilters()
        d = self.cleaned_data
        return RosterFilters(
            q=d.get("q") or "",
            sector=d["sector"].pk if d.get("sector") else None,
            committee=d["committee"].pk if d.get("committee") else None,
            group=d["group"].pk if d.get("group") else None,
            position=d.get("position") or "",
            status=d.get("status") or "",
            term=d["term"].pk if d.get("term") else None,
        )


class ImportForm(StyledFormMixin, forms.Form):
    """The upload; the file's content is checked by the service, not by its name."""

    term = forms.ModelChoiceField(label=_("导入到届次"), queryset=Term.objects.none())
    file = forms.FileField(
        label=_("名册文件（.xlsx）"),
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args: object, org: Organization, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        terms = Term.objects.filter(org=org)
        self.fields["term"].queryset = terms  # type: ignore[attr-defined]
        current = terms.filter(is_current=True).first()
        if current is not None:
            self.fields["term"].initial = current.pk
        style_widgets(self)
