"""HTML input for opinion reports (the services check everything again)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shangliang.core.forms import StyledFormMixin
from shangliang.opinions.models import Opinion


class OpinionForm(StyledFormMixin, forms.Form):
    org = forms.TypedChoiceField(label=_("报送至"), coerce=int)
    reporter_kind = forms.ChoiceField(label=_("反映人身份"), choices=Opinion.ReporterKind.choices)
    reporter_unit = forms.CharField(
        label=_("反映单位"),
        required=False,
        max_length=100,
        help_text=_("以党派、人民团体、专委会、界别名义报送时填写。"),
    )
    co_reporters = forms.CharField(
        label=_("联名反映人"),
        required=False,
        max_length=500,
        help_text=_("本会委员或特邀信息员的用户名，多人用逗号分隔。"),
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    situation = forms.CharField(
        label=_("情况"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    analysis = forms.CharField(
        label=_("分析"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    suggestions = forms.CharField(
        label=_("建议"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, orgs: list[Any], fixed_org: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        org_field = cast(forms.TypedChoiceField, self.fields["org"])
        org_field.choices = [(o.pk, o.name) for o in orgs]
        if fixed_org:
            self.fields["org"].disabled = True
        for name in ("title", "situation", "analysis", "suggestions"):
            self.fields[name].widget.attrs["data-similar"] = "1"


class EditorForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("编辑后标题"), max_length=200)
    text = forms.CharField(label=_("编辑后正文"), widget=forms.Textarea(attrs={"rows": 16}))
    version = forms.CharField(widget=forms.HiddenInput)


class FeedbackForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("附言"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    with_instructions = forms.BooleanField(
        label=_("反馈中附领导批示原文"), required=False, initial=True
    )


class GuideForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    topics = forms.CharField(label=_("选题（每行一个）"), widget=forms.Textarea(attrs={"rows": 8}))
    valid_until = forms.DateField(
        label=_("有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ScanForm(StyledFormMixin, forms.Form):
    instruction = forms.TypedChoiceField(label=_("批示"), coerce=int)
    scan = forms.FileField(label=_("批示件扫描（PDF 或图片）"))


class ReplyForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("回复内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )


class IssueForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    distribution = forms.CharField(
        label=_("报送范围（报/送/发，每行一项）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SettingsForm(StyledFormMixin, forms.Form):
    max_length = forms.IntegerField(label=_("正文最长字数"), min_value=100, max_value=20000)
    title_max_length = forms.IntegerField(label=_("标题最长字数"), min_value=10, max_value=200)
    gates = forms.CharField(
        label=_("审核关口（每行“代码:名称”）"), widget=forms.Textarea(attrs={"rows": 5})
    )
    series = forms.CharField(
        label=_("刊物（每行“代码:名称”）"),
        help_text=_("代码用小写英文字母、数字或连字符；已有刊期使用的刊物不能删除。"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    signers = forms.CharField(
        label=_("签发人（用户名，逗号分隔；空则信息处和领导均可签发）"),
        required=False,
        max_length=500,
    )
