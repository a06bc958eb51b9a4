from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shangliang.accounts import services as account_services
from shangliang.accounts.permissions import can
from shangliang.core.audit import history_for
from shangliang.core.errors import DomainError, NotFound
from shangliang.core.forms import action_form
from shangliang.core.http import AuthedRequest
from shangliang.core.workflow import available_actions, workflow_for
from shangliang.orgs.models import Organization
from shangliang.roster.forms import RosterFilterForm
from shangliang.roster.selectors import membership_visible, roster_for, roster_orgs_for

PAGE_SIZE = 50


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    orgs = list(roster_orgs_for(user=request.user)[:1])
    if not orgs:
        raise Http404(_("您没有可查看的委员名册。"))
    target = redirect("roster:list", org_id=orgs[0].pk)
    if request.GET:
        target["Location"] += "?" + request.GET.urlencode()
    return target


@login_required
def roster_list(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=org_id, is_active=True)
    form = RosterFilterForm(request.GET or None, org=org)
    try:
        members = roster_for(user=request.user, org=org, filters=form.filters())
    except NotFound:
        raise Http404 from None
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "form": form,
        "page": page,
        "orgs": roster_orgs_for(user=request.user),
        "show_private": can(request.user, "orgs.view_private", org),
        "can_manage": can(request.user, "orgs.manage_roster", org),
        "export_query": _without_page(request),
        "nav_active": "roster",
    }
    # A history restore (Back after filtering) needs the whole page, not the rows.
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "roster/list.html#rows" if partial else "roster/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _without_page(request: AuthedRequest) -> str:
    """The filters of the list, for the export link (the page number does not matter)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def membership_detail(request: AuthedRequest, membership_id: int) -> HttpResponse:
    try:
        m = membership_visible(user=request.user, membership_id=membership_id)
    except NotFound:
        raise Http404 from None
    actions = available_actions(request.user, m)
    context = {
        "m": m,
        "actions": [(a, action_form(a)) for a in actions],
        "workflow": workflow_for(m),
        "history": history_for(m).select_related("actor")[:50],
        "show_private": can(request.user, "orgs.view_private", m.org)
        or m.user_id == request.user.pk,
        "can_manage_account": can(request.user, "accounts.manage_user", m.user),
        "can_edit": can(request.user, "accounts.manage_membership", m),
        "nav_active": "roster",
    }
    return render(request, "roster/membership.html", context)


@login_required
@require_POST
def membership_action(request: AuthedRequest, membership_id: int, action: str) -> HttpResponse:
    try:
        m = membership_visible(user=request.user, membership_id=membership_id)
    except NotFound:
        raise Http404 from None
    wf = workflow_for(m)
    try:
        act = wf.action(action)
    except DomainError:
        raise Http404 from None
    form = action_form(act, request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("请检查填写的内容：")
            + "；".join(
                f"{form.fields[k].label}：{'，'.join(str(e) for e in v)}"
                for k, v in form.errors.items()
            ),
        )
        return redirect("roster:membership", membership_id=m.pk)
    try:
        account_services.membership_act(
            actor=request.user, membership=m, action=action, **form.cleaned_data
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已执行：%(a)s") % {"a": act.label})
    return redirect("roster:membership", membership_id=m.pk)
