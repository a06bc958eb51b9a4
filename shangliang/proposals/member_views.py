"""Members' pages: my proposals, cosign invitations, a proposal's page and its actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shangliang.accounts.models import Role, User
from shangliang.accounts.permissions import can
from shangliang.core.audit import history_for
from shangliang.core.errors import DomainError, NotFound
from shangliang.core.forms import action_form, form_errors_text, style_widgets
from shangliang.core.http import AuthedRequest
from shangliang.core.pdf import cjk_font
from shangliang.core.workflow import Action, available_actions, workflow_for
from shangliang.orgs.models import Unit
from shangliang.proposals.excellent_views import excellent_context
from shangliang.proposals.forms import SupervisionForm
from shangliang.proposals.models import Proposal
from shangliang.proposals.selectors import (
    cosign_invitations_for,
    proposal_visible,
    proposals_of_member,
    with_stage_names,
)
from shangliang.proposals.services.assigning import OFFICE_ASSIGNMENT_ACTIONS
from shangliang.proposals.services.drafting import EDITABLE, proposal_act
from shangliang.proposals.services.printing import letter_ready
from shangliang.proposals.services.supervision import may_supervise

PAGE_SIZE = 30
OWN_PAGES = ("review", "assign")  # actions with their own page (lists, pickers)


def get_visible(request: AuthedRequest, pk: int) -> Proposal:
    try:
        return proposal_visible(user=request.user, proposal_id=pk)
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def mine(request: AuthedRequest) -> HttpResponse:
    page = Paginator(proposals_of_member(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = with_stage_names(page.object_list)
    invitations = cosign_invitations_for(user=request.user).count()
    partial = request.htmx and not request.htmx.history_restore_request
    template = "proposals/mine.html#rows" if partial else "proposals/mine.html"
    context = {"page": page, "invitations": invitations, "nav_active": "proposals"}
    return render(request, template, context)


@login_required
@require_GET
def invitations(request: AuthedRequest) -> HttpResponse:
    rows = list(cosign_invitations_for(user=request.user)[:200])
    return render(request, "proposals/invitations.html", {"rows": rows, "nav_active": "proposals"})


def _leader_choices(p: Proposal) -> list[tuple[int, str]]:
    users = User.objects.filter(
        roles__kind=Role.Kind.LEADER, roles__org_id__in=p.org.ancestor_ids
    ).distinct()
    return [(u.pk, u.display_name) for u in users.order_by("name")]


def form_for(action: Action, obj: Any, data: Any = None) -> forms.Form:
    """The action's form, with pickers instead of raw ids where the table asks for one."""
    form = action_form(action, data)
    org = obj.org if isinstance(obj, Proposal) else obj.proposal.org
    if "supervisor" in form.fields and isinstance(obj, Proposal):
        form.fields["supervisor"] = forms.TypedChoiceField(
            label=_("督办领导"), coerce=int, choices=[("", "—"), *_leader_choices(obj)]
        )
    if "new_unit" in form.fields:
        units = Unit.objects.filter(org=org, is_active=True).exclude(pk=obj.unit_id)
        form.fields["new_unit"] = forms.TypedChoiceField(
            label=_("改由承办单位"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "—"), *((u.pk, u.name) for u in units)],
        )
    style_widgets(form)
    return form


def _assignment_rows(request: AuthedRequest, p: Proposal) -> list[dict[str, Any]]:
    rows = []
    office = can(request.user, "proposals.manage", p.org)
    for a in p.assignments.select_related("unit").order_by("round", "role", "id"):
        actions = []
        if office:
            actions = [
                (act, form_for(act, a))
                for act in available_actions(request.user, a)
                if act.name in OFFICE_ASSIGNMENT_ACTIONS
            ]
        letter = letter_ready(a) and can(request.user, "proposals.view_assignment", a)
        rows.append({"a": a, "actions": actions, "letter": letter})
    return rows


def detail_context(request: AuthedRequest, p: Proposal) -> dict[str, Any]:
    user = request.user
    actions = available_actions(user, p)
    office = can(user, "proposals.manage", p.org)
    with_stage_names([p])
    return {
        "p": p,
        "cosigners": p.cosigners.select_related("membership__user").order_by("id"),
        "attachments": p.attachments.all(),
        "assignments": _assignment_rows(request, p),
        "units": p.suggested_units.all(),
        "actions": [(a, form_for(a, p)) for a in actions if a.name not in OWN_PAGES],
        "may_review": office and any(a.name == "review" for a in actions),
        "may_assign": office and any(a.name == "assign" for a in actions),
        "may_edit": p.author.user_id == user.pk and p.status in EDITABLE,
        "is_office": office,
        "workflow": workflow_for(p),
        "history": history_for(p).select_related("actor")[:100],
        "supervision": p.supervision.select_related("recorded_by") if p.is_key else [],
        "supervision_form": SupervisionForm() if may_supervise(user, p) else None,
        "nav_active": "office" if office else "proposals",
        "pdf_font": cjk_font(),
        "excellent": excellent_context(user, p),
    }


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    p = get_visible(request, pk)
    return render(request, "proposals/detail.html", detail_context(request, p))


def after_action(request: AuthedRequest, p: Proposal) -> HttpResponse:
    if can(request.user, "proposals.view", Proposal.objects.get(pk=p.pk)):
        return redirect("proposals:detail", pk=p.pk)
    return redirect("proposals:mine")


@login_required
@require_POST
def action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    p = get_visible(request, pk)
    try:
        act = workflow_for(p).action(action)
    except DomainError:
        raise Http404 from None
    if act.name in OWN_PAGES:
        raise Http404
    form = form_for(act, p, request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("proposals:detail", pk=p.pk)
    try:
        proposal_act(actor=request.user, proposal=p, action=action, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("proposals:detail", pk=p.pk)
    messages.success(request, _("已执行：%(a)s") % {"a": act.label})
    return after_action(request, p)


@login_required
@require_GET
def attachment(request: AuthedRequest, pk: int, attachment_id: int) -> FileResponse:
    p = get_visible(request, pk)
    found = p.attachments.filter(pk=attachment_id).first()
    if found is None or not found.file:
        raise Http404
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
