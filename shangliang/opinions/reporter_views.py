"""Reporters' pages (my reports, writing with similar reports and the topic guide, feedback)
and the one page of a report every persona opens, with its workflow actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shangliang.accounts.models import User
from shangliang.accounts.permissions import can
from shangliang.core.errors import DomainError, NotFound
from shangliang.core.forms import action_form, form_errors_text, show_domain_error, style_widgets
from shangliang.core.http import AuthedRequest
from shangliang.core.models import AuditEvent
from shangliang.core.workflow import Action, available_actions, workflow_for
from shangliang.opinions.forms import OpinionForm
from shangliang.opinions.models import Level, Opinion
from shangliang.opinions.selectors import (
    current_guide,
    feedback_for,
    history_chain,
    opinion_visible,
    opinions_of_reporter,
    opinions_visible_to,
)
from shangliang.opinions.services import (
    EDITABLE,
    opinion_act,
    opinion_save_and_submit,
    opinion_save_draft,
    reporting_orgs,
)
from shangliang.opinions.services.feedback import feedback_mark_read
from shangliang.opinions.similarity import similar_to_text
from shangliang.opinions.steps import levels_reached, serving_membership, settings_for
from shangliang.orgs.models import Unit

PAGE_SIZE = 30
OWN_PAGES = ("edit",)  # the editor has its own page


def get_visible(request: AuthedRequest, pk: int) -> Opinion:
    try:
        return opinion_visible(user=request.user, opinion_id=pk)
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def mine(request: AuthedRequest) -> HttpResponse:
    page = Paginator(opinions_of_reporter(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    unread = feedback_for(user=request.user).filter(read_at__isnull=True).count()
    context = {
        "page": page,
        "unread": unread,
        "may_write": bool(reporting_orgs(request.user)),
        "nav_active": "opinions",
    }
    return render(request, "opinions/mine.html", context)


@login_required
@require_GET
def feedback(request: AuthedRequest) -> HttpResponse:
    rows = list(feedback_for(user=request.user)[:200])
    feedback_mark_read(actor=request.user)
    return render(request, "opinions/feedback.html", {"rows": rows, "nav_active": "opinions"})


def _co_ids(text: str) -> list[int] | None:
    names = [n.strip() for n in text.replace("，", ",").split(",") if n.strip()]
    if not names:
        return []
    found = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    if len(found) != len(set(names)):
        return None
    return [found[n] for n in names]


def _write(request: AuthedRequest, o: Opinion | None) -> HttpResponse:
    orgs = reporting_orgs(request.user)
    if o is None and not orgs:
        messages.error(request, _("您不是任何政协的委员或特邀信息员，不能报送社情民意信息。"))
        return redirect("opinions:mine")
    initial: dict[str, Any] = {}
    if o is not None:
        co = o.reporters.filter(first=False).select_related("user")
        initial = {
            "org": o.org_id,
            "reporter_kind": o.reporter_kind,
            "reporter_unit": o.reporter_unit,
            "co_reporters": ", ".join(r.user.username for r in co),
            "title": o.title,
            "situation": o.situation,
            "analysis": o.analysis,
            "suggestions": o.suggestions,
        }
        orgs = [o.org]
    elif orgs:
        first = orgs[0]
        kind = "member" if serving_membership(request.user, first) else "informant"
        initial = {"org": first.pk, "reporter_kind": kind}
    data = request.POST if request.method == "POST" else None
    form = OpinionForm(data, initial=initial, orgs=orgs, fixed_org=o is not None)
    org = o.org if o is not None else orgs[0]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        co_ids = _co_ids(d["co_reporters"])
        if co_ids is None:
            form.add_error("co_reporters", _("找不到这些用户名。"))
        else:
            fields = {
                k: d[k] for k in ("title", "situation", "analysis", "suggestions", "reporter_unit")
            }
            fields["reporter_kind"] = d["reporter_kind"]
            fields["co_reporters"] = co_ids
            org = next((x for x in orgs if x.pk == d["org"]), org)
            try:
                save = opinion_save_and_submit if "submit" in request.POST else opinion_save_draft
                saved = save(actor=request.user, opinion=o, org=org, **fields)
            except DomainError as exc:
                if "text" in exc.fields:
                    exc.fields.setdefault("situation", exc.fields["text"])
                show_domain_error(form, exc)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("已报送，信息处将编辑审核。"))
                    return redirect("opinions:detail", pk=saved.pk)
                messages.success(request, _("草稿已保存。"))
                return redirect("opinions:edit", pk=saved.pk)
    context = {
        "form": form,
        "o": o,
        "guide": current_guide(org=org),
        "max_length": settings_for(org).max_length,
        "nav_active": "opinions",
    }
    return render(request, "opinions/write.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: AuthedRequest) -> HttpResponse:
    return _write(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    o = get_visible(request, pk)
    if o.author_id != request.user.pk or o.status not in EDITABLE:
        return redirect("opinions:detail", pk=o.pk)
    return _write(request, o)


@login_required
@require_POST
def similar(request: AuthedRequest) -> HttpResponse:
    """The similar-reports panel (htmx), for what is being written."""
    orgs = reporting_orgs(request.user)
    try:
        org_id = int(request.POST.get("org") or 0)
    except ValueError:
        org_id = 0
    org = next((o for o in orgs if o.pk == org_id), orgs[0] if orgs else None)
    found: list[tuple[Opinion, float]] = []
    if org is not None:
        text = " ".join(
            request.POST.get(k, "")[:5000] for k in ("situation", "analysis", "suggestions")
        )
        found = similar_to_text(
            org=org,
            title=request.POST.get("title", "")[:200],
            text=text,
            within=opinions_visible_to(user=request.user),
            exclude=int(request.POST.get("exclude") or 0) or None,
        )
    return render(request, "opinions/_similar.html", {"similar": found})


def form_for(action: Action, o: Opinion, data: Any = None) -> forms.Form:
    """The action's form, with pickers where the table asks for a code or an id."""
    form = action_form(action, data)
    conf = settings_for(o.org)
    if "gate" in form.fields:
        form.fields["gate"] = forms.ChoiceField(
            label=_("关口"), choices=[(g["code"], g["label"]) for g in conf.gates]
        )
    if "passed" in form.fields:
        form.fields["passed"] = forms.ChoiceField(
            label=_("结论"), choices=[("true", _("通过")), ("false", _("未通过"))]
        )
    if "series" in form.fields:
        form.fields["series"] = forms.ChoiceField(
            label=_("刊物"), choices=[(s["code"], f"《{s['name']}》") for s in conf.series]
        )
    if action.name == "record_adoption":
        form.fields["level"] = forms.ChoiceField(
            label=_("采用层级"), choices=[(lv, Level(lv).label) for lv in levels_reached(o)]
        )
    if "into" in form.fields:
        others = (
            Opinion.objects.filter(
                org=o.org,
                status__in=[
                    Opinion.Status.SUBMITTED,
                    Opinion.Status.EDITING,
                    Opinion.Status.SIGNED_OFF,
                ],
            )
            .exclude(pk=o.pk)
            .order_by("-submitted_at")[:200]
        )
        form.fields["into"] = forms.TypedChoiceField(
            label=_("综合到"),
            coerce=int,
            choices=[(x.pk, f"#{x.pk} {x.display_title}") for x in others],
        )
    if action.name == "forward":
        units = Unit.objects.filter(org=o.org, is_active=True).order_by("order", "name")
        form.fields["units"] = forms.MultipleChoiceField(
            label=_("转送单位"),
            choices=[(u.pk, u.name) for u in units],
            widget=forms.CheckboxSelectMultiple,
        )
    style_widgets(form)
    return form


def detail_context(request: AuthedRequest, o: Opinion) -> dict[str, Any]:
    user = request.user
    office = can(user, "opinions.manage", o.org)
    actions = [(a, form_for(a, o)) for a in available_actions(user, o) if a.name not in OWN_PAGES]
    history = (
        AuditEvent.objects.filter(
            target_type="opinions.opinion", target_id__in=[str(i) for i in history_chain(o)]
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:100]
    )
    conf = settings_for(o.org)
    return {
        "o": o,
        "conf": conf,
        "is_office": office,
        "reporters": o.reporters.select_related("user", "org").order_by("-first", "id"),
        "checks": [(c, conf.gate_label(c.gate)) for c in o.checks.order_by("id")],
        "adoptions": o.adoptions.order_by("id"),
        "instructions": o.instructions.order_by("date", "id"),
        "forwardings": o.forwardings.select_related("unit").order_by("id"),
        "upward": o.upward_copies.select_related("org"),
        "combined_sources": o.combined_sources.all() if office else [],
        "series_name": conf.series_name(o.issue.series) if o.issue else "",
        "actions": actions,
        "may_edit": o.author_id == user.pk and o.status in EDITABLE,
        "may_open_editor": office and o.status == Opinion.Status.EDITING,
        "history": history,
        "nav_active": "opinions_office" if office else "opinions",
    }


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    o = get_visible(request, pk)
    return render(request, "opinions/detail.html", detail_context(request, o))


@login_required
@require_POST
def action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    o = get_visible(request, pk)
    try:
        act = workflow_for(o).action(action)
    except DomainError:
        raise Http404 from None
    if act.name in OWN_PAGES:
        raise Http404
    form = form_for(act, o, request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("opinions:detail", pk=o.pk)
    try:
        opinion_act(actor=request.user, opinion=o, action=action, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("opinions:detail", pk=o.pk)
    messages.success(request, _("已执行：%(a)s") % {"a": act.label})
    after = Opinion.objects.select_related("org").get(pk=o.pk)
    if after.status == Opinion.Status.EDITING and can(request.user, "opinions.manage", after.org):
        return redirect("opinions:editor", pk=o.pk)  # the editor holds the checklist too
    if can(request.user, "opinions.view", after):
        return redirect("opinions:detail", pk=o.pk)
    return redirect("opinions:mine")


@login_required
@require_GET
def scan(request: AuthedRequest, pk: int, instruction_id: int) -> FileResponse:
    o = get_visible(request, pk)
    found = o.instructions.filter(pk=instruction_id).first()
    if found is None or not found.scan:
        raise Http404
    return FileResponse(
        found.scan.open("rb"), as_attachment=True, filename=str(found.scan.name).split("/")[-1]
    )
