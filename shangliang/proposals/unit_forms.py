"""HTML input for the handling units' pages, the office's audit and board, and ratings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shangliang.core.forms import StyledFormMixin, action_form, style_widgets
from shangliang.core.workflow import Action
from shangliang.orgs.models import Unit
from shangliang.proposals.models import Assignment
from shangliang.proposals.steps import add_months, settings_for
from shangliang.proposals.unit_selectors import TABS, InboxFilters

YES_NO = (("yes", _("是")), ("no", _("否")))
LEVELS = (("", _("全部未答复")), ("1", _("已逾期")), ("2", _("逾期超过15天（已提请领导督办）")))


class InboxFilterForm(StyledFormMixin, forms.Form):
    tab = forms.ChoiceField(
        choices=[(k, k) for k in TABS], required=False, widget=forms.HiddenInput
    )
    q = forms.CharField(label=_("案由或编号"), required=False, max_length=100)

    def filters(self) -> InboxFilters:
        if not self.is_valid():
            return InboxFilters()
        return InboxFilters(tab=self.cleaned_data["tab"] or "all", q=self.cleaned_data["q"])


class BoardFilterForm(StyledFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("督办级别"), choices=LEVELS, required=False)
    q = forms.CharField(label=_("案由或承办单位"), required=False, max_length=100)

    def values(self) -> tuple[int, str]:
        if not self.is_valid():
            return 0, ""
        return int(self.cleaned_data["level"] or 0), self.cleaned_data["q"]


class ReplyFileForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("签章答复件（PDF）"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


def assignment_action_form(action: Action, a: Assignment, data: Any = None) -> forms.Form:
    """The engine's form for an action, with the choices this assignment needs."""
    form = action_form(action, data)
    fields = form.fields
    if action.name == "draft_reply":
        classes = settings_for(a.proposal.org).result_classes
        fields["result_class"] = forms.ChoiceField(
            label=fields["result_class"].label,
            choices=[("", "—"), *[(c["code"], f"{c['code']} {c['label']}") for c in classes]],
        )
        if data is None:
            form.initial = {
                "result_class": a.result_class,
                "text": a.reply_text,
                "doc_number": a.reply_doc_number,
            }
        fields["doc_number"].help_text = _("如“X教函〔2026〕12号”，印在答复函上；可不填。")
    elif action.name == "request_extension":
        limit = add_months(a.assigned_at.date(), settings_for(a.proposal.org).max_reply_months)
        until = fields["until"]
        until.widget.attrs.update(max=limit.isoformat(), min=a.due_on.isoformat())
        until.help_text = _("当前期限 %(due)s，最迟可延至 %(limit)s。") % {
            "due": a.due_on,
            "limit": limit,
        }
    elif action.name == "decide_reassignment":
        units = Unit.objects.filter(org_id=a.proposal.org_id, is_active=True).exclude(pk=a.unit_id)
        fields["new_unit"] = forms.TypedChoiceField(
            label=_("改由承办单位"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "—"), *units.values_list("pk", "name")],
            help_text=_("同意调整时可选择新的承办单位，系统将向其交办。"),
        )
    elif action.name == "record_contact" and data is None:
        form.initial = {"person": a.proposal.author.user.display_name}
    elif action.name == "rate":
        fields["rating"] = forms.ChoiceField(
            label=fields["rating"].label,
            choices=[(c, label) for c, label in action.fields[0].choices],
            widget=forms.RadioSelect,
        )
        fields["contacted_before_reply"] = forms.ChoiceField(
            label=fields["contacted_before_reply"].label, choices=YES_NO, widget=forms.RadioSelect
        )
    style_widgets(form)
    return form


def action_values(form: forms.Form) -> dict[str, Any]:
    """A valid action form's values, as the service takes them."""
    return dict(form.cleaned_data)
