"""Members' ratings of replies (待我测评)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shangliang.core.errors import DomainError
from shangliang.core.http import AuthedRequest
from shangliang.core.workflow import workflow_for
from shangliang.proposals.services.rating import assignment_rate
from shangliang.proposals.steps import settings_for, today
from shangliang.proposals.unit_forms import assignment_action_form
from shangliang.proposals.unit_selectors import ratings_waiting_for

MAX_SHOWN = 100


def _page(
    request: AuthedRequest, *, bound: tuple[int, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    items = []
    day = today()
    for a in ratings_waiting_for(user=request.user)[:MAX_SHOWN]:
        rate = workflow_for(a).action("rate")
        if bound and bound[0] == a.pk:
            form = bound[1]
        else:
            form = assignment_action_form(rate, a)
            form.auto_id = f"id_{a.pk}_%s"
        expired = a.rating_due_on is not None and day > a.rating_due_on
        label = settings_for(a.proposal.org).result_class_label(a.result_class)
        items.append({"a": a, "form": form, "expired": expired, "result_label": label})
    context = {"items": items, "nav_active": "ratings"}
    return render(request, "proposals/unit/ratings.html", context, status=status)


@login_required
@require_GET
def ratings_mine(request: AuthedRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def rating_submit(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    a = ratings_waiting_for(user=request.user).filter(pk=assignment_id).first()
    if a is None:
        raise Http404(_("这件答复不在您的待测评列表中。"))
    rate = workflow_for(a).action("rate")
    form = assignment_action_form(rate, a, request.POST)
    form.auto_id = f"id_{a.pk}_%s"
    if not form.is_valid():
        return _page(request, bound=(a.pk, form), status=422)
    try:
        assignment_rate(
            actor=request.user,
            assignment=a,
            rating=form.cleaned_data["rating"],
            contacted_before_reply=form.cleaned_data["contacted_before_reply"],
            comment=form.cleaned_data.get("comment") or "",
        )
    except DomainError as exc:  # the window passed, or the reply moved on meanwhile
        messages.error(request, exc.detail)
        return redirect("proposals:ratings_mine")
    messages.success(request, _("测评已提交，感谢您的意见。"))
    return redirect("proposals:ratings_mine")
