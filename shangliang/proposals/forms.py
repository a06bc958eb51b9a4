"""HTML input for the members' and the proposal office's pages."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shangliang.core.forms import StyledFormMixin, style_widgets
from shangliang.orgs.models import Organization, Session, Unit
from shangliang.proposals.models import Proposal, ProposalSettings, SupervisionEntry
from shangliang.proposals.selectors import ProposalFilters
from shangliang.proposals.steps import settings_for

TEXTAREA = {"rows": 6}


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class DraftForm(StyledFormMixin, forms.Form):
    membership = forms.ChoiceField(label=_("以哪个政协委员身份提出"), required=False)
    kind = forms.ChoiceField(label=_("提案类型"), choices=Proposal.Kind.choices)
    collective_type = forms.ChoiceField(
        label=_("提案单位类型"),
        required=False,
        choices=[("", "—"), *Proposal.CollectiveType.choices],
    )
    collective_name = forms.CharField(label=_("提案单位名称"), required=False, max_length=100)
    title = forms.CharField(
        label=_("案由"),
        required=False,
        help_text=_("写成“关于……的建议”，例如“关于加强农村养老服务的建议”。"),
    )
    situation = forms.CharField(
        label=_("情况与问题"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    analysis = forms.CharField(
        label=_("分析（选填）"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    suggestions = forms.CharField(
        label=_("具体建议"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    category = forms.ChoiceField(label=_("类别"), required=False)
    suggested_units = forms.ModelMultipleChoiceField(
        label=_("建议承办单位"),
        required=False,
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("可多选（电脑上按住 Ctrl 点选）。提案委审查时最终确定承办单位。"),
    )
    publish_consent = forms.BooleanField(label=_("同意公开办理答复"), required=False)

    def __init__(
        self,
        *args: Any,
        org: Organization,
        memberships: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        conf = settings_for(org)
        cast(forms.CharField, self.fields["title"]).max_length = conf.title_max_length
        self.fields["title"].widget.attrs["maxlength"] = str(conf.title_max_length)
        _choice(self, "category").choices = [("", "—"), *((c, c) for c in conf.categories)]
        self.fields["suggested_units"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            org=org, is_active=True
        )
        for name in ("collective_type", "collective_name"):
            self.fields[name].widget.attrs["data-show-when"] = "kind=collective"
        if memberships and len(memberships) > 1:
            _choice(self, "membership").choices = memberships
        else:
            del self.fields["membership"]
        style_widgets(self)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("membership", None)
        return data


def draft_initial(p: Proposal) -> dict[str, Any]:
    return {
        "kind": p.kind,
        "collective_type": p.collective_type,
        "collective_name": p.collective_name,
        "title": p.title,
        "situation": p.situation,
        "analysis": p.analysis,
        "suggestions": p.suggestions,
        "category": p.category,
        "suggested_units": list(p.suggested_units.values_list("pk", flat=True)),
        "publish_consent": p.publish_consent,
    }


class AttachmentForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("附件"),
        help_text=_("PDF、Word、Excel、PowerPoint 或 JPG、PNG 图片。"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.jpg,.jpeg,.png"}
        ),
    )


PLENARY_CHOICES = [("", _("全部")), ("1", _("大会提案")), ("0", _("平时提案"))]


class ProposalFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("案由包含"), required=False, max_length=60)
    session = forms.ModelChoiceField(
        label=_("会议"), queryset=Session.objects.none(), required=False, empty_label=_("全部")
    )
    category = forms.ChoiceField(label=_("类别"), required=False)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部")), *Proposal.Kind.choices]
    )
    plenary = forms.ChoiceField(label=_("大会/平时"), required=False, choices=PLENARY_CHOICES)

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(  # type: ignore[attr-defined]
            term__org=org
        ).order_by("-opens_on")
        conf = settings_for(org)
        _choice(self, "category").choices = [("", _("全部")), *((c, c) for c in conf.categories)]
        for name in ("session", "category", "kind", "plenary"):
            self.fields[name].widget.attrs["data-autosubmit"] = ""
        style_widgets(self)

    def filters(self) -> ProposalFilters:
        if not self.is_valid():
            return ProposalFilters()
        d = self.cleaned_data
        plenary = d.get("plenary") or ""
        return ProposalFilters(
            q=d.get("q") or "",
            session=d["session"].pk if d.get("session") else None,
            category=d.get("category") or "",
            kind=d.get("kind") or "",
            plenary=None if plenary == "" else plenary == "1",
        )


class ReviewForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("审查结果"))
    reason = forms.CharField(
        label=_("审查意见 / 理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回、转为意见建议时须写明理由。"),
    )
    reject_ground = forms.ChoiceField(label=_("不予立案理由"), required=False)
    merge_into = forms.TypedChoiceField(
        label=_("并入提案"), required=False, coerce=int, empty_value=None
    )
    stage = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, proposal: Proposal, conf: ProposalSettings, targets: Any, **kwargs: Any
    ) -> None:
        from shangliang.proposals.workflow import OUTCOMES

        super().__init__(*args, **kwargs)
        _choice(self, "outcome").choices = [("", "—"), *OUTCOMES]
        _choice(self, "reject_ground").choices = [("", "—"), *((g, g) for g in conf.reject_grounds)]
        _choice(self, "merge_into").choices = [
            ("", "—"),
            *((t.pk, f"{t.number_label or _('未编号')} {t.title}") for t in targets),
        ]
        self.fields["reject_ground"].widget.attrs["data-show-when"] = "outcome=reject"
        self.fields["merge_into"].widget.attrs["data-show-when"] = "outcome=merge"
        self.fields["stage"].initial = proposal.review_stage
        style_widgets(self)

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        reason = d["reject_ground"] if d["outcome"] == "reject" else d.get("reason") or ""
        merge = d.get("merge_into") if d["outcome"] == "merge" else None
        return {"outcome": d["outcome"], "reason": reason, "merge_into": merge, "stage": d["stage"]}


class AssignForm(StyledFormMixin, forms.Form):
    mode = forms.ChoiceField(label=_("办理方式"), widget=forms.RadioSelect)
    lead = forms.TypedChoiceField(label=_("主办单位"), required=False, coerce=int, empty_value=None)
    units = forms.TypedMultipleChoiceField(
        label=_("承办单位（独办选一个；主办会办时为会办单位；分办选多个）"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        from shangliang.proposals.workflow import MODES

        super().__init__(*args, **kwargs)
        units = [(u.pk, u.name) for u in Unit.objects.filter(org=org, is_active=True)]
        _choice(self, "mode").choices = MODES
        _choice(self, "lead").choices = [("", "—"), *units]
        _choice(self, "units").choices = units
        self.fields["lead"].widget.attrs["data-show-when"] = "mode=lead_co"
        style_widgets(self)


class SupervisionForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("方式"), choices=SupervisionEntry.Kind.choices)
    note = forms.CharField(label=_("督办情况"), widget=forms.Textarea(attrs={"rows": 3}))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class SettingsForm(StyledFormMixin, forms.Form):
    """ProposalSettings with its lists as one item per line."""

    categories = forms.CharField(label=_("类别（每行一个）"), widget=forms.Textarea(attrs=TEXTAREA))
    review_stages = forms.CharField(
        label=_("审查阶段（每行一个，按顺序）"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reject_grounds = forms.CharField(
        label=_("不予立案理由（每行一个）"), widget=forms.Textarea(attrs={"rows": 10})
    )
    result_classes = forms.CharField(
        label=_("办理结果分类（每行“代码 名称”，如“A 已解决或基本解决”）"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from shangliang.proposals.services.settings import NUMBERS

        super().__init__(*args, **kwargs)
        for name in NUMBERS:
            model_field = cast(Any, ProposalSettings._meta.get_field(name))
            self.fields[name] = forms.IntegerField(
                label=model_field.verbose_name, min_value=1, max_value=100000
            )
        reviewer = cast(Any, ProposalSettings._meta.get_field("excellent_reviewer"))
        self.fields["excellent_reviewer"] = forms.ChoiceField(
            label=reviewer.verbose_name, choices=reviewer.choices, required=False
        )
        style_widgets(self)

    @staticmethod
    def initial_for(conf: ProposalSettings) -> dict[str, Any]:
        from shangliang.proposals.services.settings import NUMBERS

        initial: dict[str, Any] = {
            "categories": "\n".join(conf.categories),
            "review_stages": "\n".join(conf.review_stages),
            "reject_grounds": "\n".join(conf.reject_grounds),
            "result_classes": "\n".join(f"{c['code']} {c['label']}" for c in conf.result_classes),
        }
        initial.update({name: getattr(conf, name) for name in NUMBERS})
        initial["excellent_reviewer"] = conf.excellent_reviewer
        return initial

    def clean_result_classes(self) -> list[dict[str, str]]:
        rows = []
        for line in _lines(self.cleaned_data["result_classes"]):
            code, _sep, label = line.partition(" ")
            if not label.strip() or len(code) > 4:
                raise forms.ValidationError(
                    _("“%(l)s”应写成“代码 名称”，代码最多 4 个字符。") % {"l": line}
                )
            rows.append({"code": code, "label": label.strip()})
        return rows

    def service_fields(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        for name in ("categories", "review_stages", "reject_grounds"):
            d[name] = _lines(d[name])
        if not d.get("excellent_reviewer"):
            d.pop("excellent_reviewer", None)
        return d
