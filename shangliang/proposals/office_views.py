"""The proposal office's queues: counts per status and review stage, filters, htmx paging,
Excel export, bulk acceptance and assignment, the units' requests, and the settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shangliang.core.errors import DomainError, NotFound
from shangliang.core.forms import show_domain_error
from shangliang.core.http import AuthedRequest
from shangliang.core.xlsx import workbook_response
from shangliang.orgs.models import Organization, Unit
from shangliang.proposals.forms import ProposalFilterForm, SettingsForm
from shangliang.proposals.selectors import (
    ASSIGNMENT_QUEUES,
    assignment_queue_counts,
    office_assignments,
    office_org,
    office_orgs_for,
    office_queue,
    office_queues,
    queue_by_key,
    queue_counts,
    with_stage_names,
)
from shangliang.proposals.services.assigning import proposals_bulk_assign
from shangliang.proposals.services.export import assignments_export, proposals_export
from shangliang.proposals.services.review import BulkResult, proposals_bulk_accept
from shangliang.proposals.services.settings import may_edit_settings, proposal_settings_update
from shangliang.proposals.steps import settings_for

PAGE_SIZE = 50
BULK_QUEUES = ("accepted",)  # plus every review stage


def _org(request: AuthedRequest, org_id: int) -> Organization:
    try:
        return office_org(user=request.user, org_id=org_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    org = office_orgs_for(user=request.user).first()
    if org is None:
        raise Http404
    target = redirect("proposals:office_queue", org_id=org.pk)
    if request.GET:
        target["Location"] += "?" + request.GET.urlencode()
    return target


def _query_without(request: AuthedRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
@require_GET
def queue(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _org(request, org_id)
    stages = settings_for(org).review_stages
    current = queue_by_key(stages, request.GET.get("queue", ""))
    form = ProposalFilterForm(request.GET or None, org=org)
    filters = form.filters()
    rows = office_queue(user=request.user, org=org, queue=current, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_stage_names(page.object_list)
    counts = queue_counts(org=org, stages=stages, filters=filters)
    context = {
        "org": org,
        "orgs": office_orgs_for(user=request.user),
        "form": form,
        "page": page,
        "queues": [(q, counts[q.key]) for q in office_queues(stages)],
        "current": current,
        "stages": stages,
        "bulk": current.key in BULK_QUEUES or current.key.startswith("review_"),
        "units": Unit.objects.filter(org=org, is_active=True),
        "export_query": _query_without(request, "page"),
        "filter_query": _query_without(request, "page", "queue"),
        "assignment_counts": assignment_queue_counts(Q(proposal__org=org)),
        "may_settings": may_edit_settings(request.user, org),
        "nav_active": "office",
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "proposals/office/queue.html#rows" if partial else "proposals/office/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def export(request: AuthedRequest, org_id: int) -> FileResponse:
    org = _org(request, org_id)
    stages = settings_for(org).review_stages
    current = queue_by_key(stages, request.GET.get("queue", ""))
    filters = ProposalFilterForm(request.GET or None, org=org).filters()
    wb, _count = proposals_export(
        actor=request.user, org=org, queue=current, filters=filters, stages=stages
    )
    filename = _("%(org)s-提案-%(queue)s-%(d)s.xlsx") % {
        "org": org.short_name or org.name,
        "queue": current.label,
        "d": timezone.localdate().strftime("%Y%m%d"),
    }
    return workbook_response(wb, filename)


def _bulk_items(request: AuthedRequest) -> list[tuple[int, int | None]]:
    """The ticked rows: "id:stage" (the stage the officer saw) or "id"."""
    items = []
    for raw in request.POST.getlist("p"):
        pk, _sep, stage = raw.partition(":")
        try:
            items.append((int(pk), int(stage) if stage else None))
        except ValueError:
            continue
    return items


def _to_queue(org: Organization, queue: str) -> HttpResponse:
    url = reverse("proposals:office_queue", args=[org.pk])
    return redirect(f"{url}?{urlencode({'queue': queue})}" if queue else url)


@login_required
@require_POST
def bulk(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _org(request, org_id)
    items = _bulk_items(request)
    back = request.POST.get("queue", "")
    if not items:
        messages.error(request, _("请先勾选提案。"))
        return _to_queue(org, back)
    results: list[BulkResult] = []
    what = request.POST.get("do")
    try:
        if what == "accept":
            results = proposals_bulk_accept(actor=request.user, org=org, items=items)
        elif what == "assign":
            unit = Unit.objects.filter(pk=request.POST.get("unit") or 0, org=org).first()
            if unit is None:
                raise NotFound(_("请选择承办单位。"))
            ids = [pk for pk, _stage in items]
            results = proposals_bulk_assign(actor=request.user, org=org, ids=ids, unit=unit)
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.detail)
        return _to_queue(org, back)
    context = {
        "org": org,
        "results": results,
        "done": sum(r.ok for r in results),
        "failed": sum(not r.ok for r in results),
        "queue": back,
        "nav_active": "office",
    }
    return render(request, "proposals/office/bulk_result.html", context)


@login_required
@require_GET
def assignments(request: AuthedRequest, org_id: int, kind: str) -> HttpResponse:
    org = _org(request, org_id)
    if kind not in ASSIGNMENT_QUEUES:
        raise Http404
    rows = office_assignments(user=request.user, org=org, kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "org": org,
        "page": page,
        "kind": kind,
        "label": ASSIGNMENT_QUEUES[kind][0],
        "nav_active": "office",
    }
    return render(request, "proposals/office/assignments.html", context)


@login_required
@require_GET
def assignments_xlsx(request: AuthedRequest, org_id: int, kind: str) -> FileResponse:
    org = _org(request, org_id)
    if kind not in ASSIGNMENT_QUEUES:
        raise Http404
    wb, _count = assignments_export(actor=request.user, org=org, kind=kind)
    filename = _("%(org)s-%(list)s-%(d)s.xlsx") % {
        "org": org.short_name or org.name,
        "list": ASSIGNMENT_QUEUES[kind][0],
        "d": timezone.localdate().strftime("%Y%m%d"),
    }
    return workbook_response(wb, filename)


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = Organization.objects.filter(pk=org_id, is_active=True).first()
    if org is None or not may_edit_settings(request.user, org):
        raise Http404
    conf = settings_for(org)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                proposal_settings_update(actor=request.user, org=org, **form.service_fields())
            except DomainError as exc:
                show_domain_error(form, exc)
            else:
                messages.success(request, _("提案工作设置已保存。"))
                return redirect("proposals:office_settings", org_id=org.pk)
    else:
        form = SettingsForm(initial=SettingsForm.initial_for(conf))
    context = {"org": org, "form": form, "nav_active": "office"}
    return render(request, "proposals/office/settings.html", context)
