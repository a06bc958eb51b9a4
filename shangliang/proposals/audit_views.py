"""The proposal office's pages on handling: the reply audit queue, reassignment and extension
requests, the deadline board (also for leaders) and the contact check of ratings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import can
from shangliang.core.http import AuthedRequest
from shangliang.core.workflow import workflow_for
from shangliang.core.xlsx import workbook_response
from shangliang.orgs.models import Organization
from shangliang.proposals.services.handling import board_export
from shangliang.proposals.steps import settings_for, today
from shangliang.proposals.unit_forms import BoardFilterForm, assignment_action_form
from shangliang.proposals.unit_rows import rows_for
from shangliang.proposals.unit_selectors import (
    audit_queue_for,
    board_for,
    contact_mismatches_for,
    extension_requests_for,
    may_watch_board,
    reassignment_requests_for,
    top_org_id,
)

PAGE_SIZE = 30
QUEUE_ACTIONS = {
    "audit": ("approve_reply", "return_reply"),
    "reassignments": ("decide_reassignment",),
    "extensions": ("decide_extension",),
}


def _org(org_id: int) -> Organization:
    return get_object_or_404(Organization, pk=org_id, is_active=True)


@login_required
@require_GET
def office_home(request: AuthedRequest) -> HttpResponse:
    org_id = top_org_id(request.user, [Role.Kind.PROPOSAL_OFFICE])
    if org_id is not None:
        return redirect("proposals:handling_audit", org_id=org_id)
    org_id = top_org_id(request.user, [Role.Kind.LEADER])
    if org_id is not None:
        return redirect("proposals:handling_board", org_id=org_id)
    raise Http404


def _queue(request: AuthedRequest, org_id: int, kind: str) -> HttpResponse:
    org = _org(org_id)
    if not can(request.user, "proposals.manage", org):
        raise PermissionDenied
    selector = {
        "audit": audit_queue_for,
        "reassignments": reassignment_requests_for,
        "extensions": extension_requests_for,
    }[kind]
    page = Paginator(selector(user=request.user, org=org), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    labels = {c["code"]: c["label"] for c in settings_for(org).result_classes}
    items = []
    for row in rows_for(page.object_list, today=today()):
        wf = workflow_for(row.a)
        forms_ = []
        for name in QUEUE_ACTIONS[kind]:
            form = assignment_action_form(wf.action(name), row.a)
            form.auto_id = f"id_{row.a.pk}_%s"  # one page holds a form per request
            forms_.append((wf.action(name), form))
        items.append((row, forms_, labels.get(row.a.result_class, row.a.result_class)))
    context = {
        "org": org,
        "page": page,
        "items": items,
        "kind": kind,
        "section": kind,
        "nav_active": "handling_office",
    }
    return render(request, "proposals/unit/queue.html", context)


@login_required
@require_GET
def audit_queue(request: AuthedRequest, org_id: int) -> HttpResponse:
    return _queue(request, org_id, "audit")


@login_required
@require_GET
def reassignments(request: AuthedRequest, org_id: int) -> HttpResponse:
    return _queue(request, org_id, "reassignments")


@login_required
@require_GET
def extensions(request: AuthedRequest, org_id: int) -> HttpResponse:
    return _queue(request, org_id, "extensions")


def _watched(request: AuthedRequest, org_id: int) -> Organization:
    org = _org(org_id)
    if not may_watch_board(request.user, org):
        raise PermissionDenied
    return org


@login_required
@require_GET
def board(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _watched(request, org_id)
    form = BoardFilterForm(request.GET or None)
    level, q = form.values()
    qs = board_for(user=request.user, org=org, level=level, today=today(), q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "org": org,
        "form": form,
        "page": page,
        "rows": rows_for(page.object_list, today=today()),
        "export_query": query.urlencode(),
        "section": "board",
        "is_office": can(request.user, "proposals.manage", org),
        "nav_active": "handling_office",
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "proposals/unit/board.html"
    response = render(request, f"{template}#rows" if partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def board_xlsx(request: AuthedRequest, org_id: int) -> FileResponse:
    org = _watched(request, org_id)
    level, q = BoardFilterForm(request.GET or None).values()
    wb, _count = board_export(actor=request.user, org=org, level=level, today=today(), q=q)
    name = _("%(org)s-提案办理期限-%(d)s.xlsx") % {
        "org": org.short_name or org.name,
        "d": today().strftime("%Y%m%d"),
    }
    return workbook_response(wb, name)


@login_required
@require_GET
def contact_check(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _org(org_id)
    if not can(request.user, "proposals.manage", org):
        raise PermissionDenied
    qs = contact_mismatches_for(user=request.user, org=org)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "page": page,
        "section": "contacts",
        "nav_active": "handling_office",
    }
    return render(request, "proposals/unit/contacts.html", context)
