"""The proposal office on one proposal: the review page (with similar proposals and the
merge picker), the assign page, and its decisions on the units' requests."""

from __future__ import annotations

import importlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shangliang.accounts.permissions import can
from shangliang.core.errors import Conflict, DomainError
from shangliang.core.forms import form_errors_text, show_domain_error
from shangliang.core.http import AuthedRequest
from shangliang.core.workflow import workflow_for
from shangliang.proposals.forms import AssignForm, ReviewForm
from shangliang.proposals.member_views import form_for
from shangliang.proposals.models import Assignment, Proposal
from shangliang.proposals.selectors import merge_targets, with_stage_names
from shangliang.proposals.services.assigning import (
    OFFICE_ASSIGNMENT_ACTIONS,
    assign_rows,
    proposal_assign,
)
from shangliang.proposals.services.handling import assignment_act
from shangliang.proposals.services.review import proposal_review
from shangliang.proposals.steps import settings_for

SIMILAR_LIMIT = 10


def _managed(request: AuthedRequest, pk: int) -> Proposal:
    """A proposal of a committee whose queues the user manages; 404 otherwise."""
    p = (
        Proposal.objects.select_related("org", "session", "author__user", "merged_into")
        .filter(pk=pk)
        .first()
    )
    if p is None or not can(request.user, "proposals.manage", p.org):
        raise Http404
    return p


def similar_proposals(p: Proposal) -> list[tuple[Proposal, float]] | None:
    """``proposals.similarity.similar_to`` when that module is installed; else None."""
    try:
        module = importlib.import_module("shangliang.proposals.similarity")
    except ImportError:
        return None
    finder = getattr(module, "similar_to", None)
    if finder is None:
        return None
    return list(finder(p, limit=SIMILAR_LIMIT))


def _stage_name(p: Proposal, stages: list[str]) -> str:
    return stages[p.review_stage] if p.review_stage < len(stages) else ""


def _queue_url(p: Proposal, key: str) -> str:
    return reverse("proposals:office_queue", args=[p.org_id]) + "?" + urlencode({"queue": key})


@login_required
@require_http_methods(["GET", "POST"])
def review(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _managed(request, pk)
    conf = settings_for(p.org)
    targets = list(merge_targets(proposal=p)[:500])
    seen_stage = p.review_stage
    with_stage_names([p])
    form = ReviewForm(request.POST or None, proposal=p, conf=conf, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            done = proposal_review(actor=request.user, proposal=p, **form.service_fields())
        except Conflict as exc:
            messages.error(request, exc.detail)
            return redirect("proposals:detail", pk=p.pk)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            if done.status == Proposal.Status.IN_REVIEW:
                text = _("已通过%(stage)s，进入%(next)s。") % {
                    "stage": conf.review_stages[seen_stage],
                    "next": _stage_name(done, conf.review_stages),
                }
            else:
                text = _("%(p)s：%(s)s") % {"p": done, "s": done.get_status_display()}
            messages.success(request, text)
            return redirect(_queue_url(p, f"review_{seen_stage}"))
    context: dict[str, Any] = {
        "p": p,
        "form": form,
        "stage_name": _stage_name(p, conf.review_stages),
        "stages": conf.review_stages,
        "cosigners": p.cosigners.select_related("membership__user").order_by("id"),
        "units": p.suggested_units.all(),
        "attachments": p.attachments.all(),
        "similar": similar_proposals(p),
        "may_review": p.status == Proposal.Status.IN_REVIEW,
        "nav_active": "office",
    }
    return render(request, "proposals/office/review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _managed(request, pk)
    initial = {"units": list(p.suggested_units.values_list("pk", flat=True)), "mode": "sole"}
    form = AssignForm(request.POST or None, org=p.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rows = assign_rows(d["mode"], d.get("lead"), d["units"])
            proposal_assign(actor=request.user, proposal=p, mode=d["mode"], units=rows)
        except Conflict as exc:
            messages.error(request, exc.detail)
            return redirect("proposals:detail", pk=p.pk)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("已交办：%(p)s") % {"p": p})
            return redirect(_queue_url(p, "accepted"))
    context = {
        "p": p,
        "form": form,
        "units": p.suggested_units.all(),
        "may_assign": p.status == Proposal.Status.ACCEPTED,
        "nav_active": "office",
    }
    return render(request, "proposals/office/assign.html", context)


@login_required
@require_POST
def assignment_action(request: AuthedRequest, assignment_id: int, action: str) -> HttpResponse:
    a = Assignment.objects.select_related("proposal__org", "unit").filter(pk=assignment_id).first()
    if a is None or not can(request.user, "proposals.manage", a.proposal.org):
        raise Http404
    if action not in OFFICE_ASSIGNMENT_ACTIONS:
        raise Http404
    act = workflow_for(a).action(action)
    form = form_for(act, a, request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("proposals:detail", pk=a.proposal_id)
    try:
        assignment_act(actor=request.user, assignment=a, action=action, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已执行：%(a)s") % {"a": act.label})
    return redirect("proposals:detail", pk=a.proposal_id)
