"""Bootstrap classes on every form widget, so templates stay plain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _


def style_widgets(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(
            widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
        ):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "").split()
        errors = getattr(form, "_errors", None)  # only after validation; never trigger it
        wanted = [css, "is-invalid"] if errors and name in errors else [css]
        classes += [c for c in wanted if c not in classes]
        widget.attrs["class"] = " ".join(classes)


class StyledFormMixin:
    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        style_widgets(self)  # type: ignore[arg-type]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)  # type: ignore[arg-type]


def action_form(action: Any, data: Any = None) -> forms.Form:
    """A form for a workflow action's fields, so pages need no per-action form class."""
    fields: dict[str, forms.Field] = {}
    for f in action.fields:
        if f.kind == "choice":
            fields[f.name] = forms.ChoiceField(
                label=f.label, required=f.required, choices=[("", "—"), *f.choices]
            )
        elif f.kind == "date":
            fields[f.name] = forms.DateField(
                label=f.label, required=f.required, widget=forms.DateInput(attrs={"type": "date"})
            )
        elif f.kind == "bool":
            fields[f.name] = forms.BooleanField(label=f.label, required=False)
        elif f.kind == "list":
            continue  # lists (units of an assignment...) have their own form on the page
        elif f.kind == "int":
            fields[f.name] = forms.IntegerField(label=f.label, required=f.required)
        else:
            widget = (
                forms.Textarea(attrs={"rows": 3}) if f.kind == "textarea" else forms.TextInput()
            )
            fields[f.name] = forms.CharField(
                label=f.label, required=f.required, max_length=f.max_length, widget=widget
            )
    form_class = type("ActionForm", (StyledFormMixin, forms.Form), fields)
    form: forms.Form = form_class(data, prefix=action.name)
    return form


def show_domain_error(form: forms.BaseForm, exc: Any) -> None:
    """Show a service's error (a DomainError) on a form: its sentence beside the field when
    it names one field of the form, each field's message when it names several, otherwise
    the sentence above the form."""
    named = {f: msgs for f, msgs in getattr(exc, "fields", {}).items() if f in form.fields}
    if len(named) == 1:
        form.add_error(next(iter(named)), exc.detail)
    elif named:
        for field, messages in named.items():
            for message in messages:
                form.add_error(field, message)
    else:
        form.add_error(None, exc.detail)
    style_widgets(form)


def form_errors_text(form: forms.BaseForm) -> str:
    """A form's errors in one line, for a flash message after a failed action button."""
    return _("请检查填写的内容：") + "；".join(
        f"{form.fields[k].label if k in form.fields else ''}：{'，'.join(str(e) for e in v)}"
        for k, v in form.errors.items()
    )
