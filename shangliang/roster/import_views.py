"""Roster spreadsheets: the import template, uploads and their progress, and the export."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shangliang.accounts.permissions import can
from shangliang.core.errors import DomainError, NotFound
from shangliang.core.http import AuthedRequest
from shangliang.core.xlsx import workbook_response
from shangliang.orgs.models import Organization
from shangliang.roster import services
from shangliang.roster.forms import ImportForm, RosterFilterForm
from shangliang.roster.selectors import import_job_visible, import_jobs_for
from shangliang.roster.sheets import errors_workbook, template_workbook

RECENT_JOBS = 10
SHOWN_ERRORS = 200  # on the page; the downloadable report has them all


def _org_for(request: AuthedRequest, org_id: int, perm: str) -> Organization:
    """404 for a roster the user may not even read; 403 for one they read but may not change."""
    org = get_object_or_404(Organization, pk=org_id, is_active=True)
    if not can(request.user, "orgs.view_roster", org):
        raise Http404
    if not can(request.user, perm, org):
        raise PermissionDenied
    return org


def _label(org: Organization) -> str:
    return org.short_name or org.name


@login_required
@require_GET
def roster_template(request: AuthedRequest, org_id: int) -> FileResponse:
    org = _org_for(request, org_id, "orgs.manage_roster")
    filename = _("%(org)s-委员名册导入模板.xlsx") % {"org": _label(org)}
    return workbook_response(template_workbook(org=org), filename)


@login_required
@require_GET
def roster_export(request: AuthedRequest, org_id: int) -> FileResponse:
    org = _org_for(request, org_id, "orgs.view_roster")
    filters = RosterFilterForm(request.GET or None, org=org).filters()
    wb, _count = services.roster_export(actor=request.user, org=org, filters=filters)
    filename = _("%(org)s-委员名册-%(d)s.xlsx") % {
        "org": _label(org),
        "d": timezone.localdate().strftime("%Y%m%d"),
    }
    return workbook_response(wb, filename)


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _org_for(request, org_id, "orgs.manage_roster")
    form = ImportForm(request.POST or None, request.FILES or None, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.roster_import_start(
                actor=request.user,
                org=org,
                term=form.cleaned_data["term"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            form.add_error("file", exc.detail)
        else:
            return redirect("roster:import_job", job_id=job.pk)
    context = {
        "org": org,
        "form": form,
        "jobs": import_jobs_for(user=request.user, org=org)[:RECENT_JOBS],
        "max_mb": settings.ROSTER_MAX_UPLOAD_MB,
        "nav_active": "roster",
    }
    return render(request, "roster/import.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def import_job(request: AuthedRequest, job_id: int) -> HttpResponse:
    try:
        job = import_job_visible(user=request.user, job_id=job_id)
    except NotFound:
        raise Http404 from None
    context = {
        "job": job,
        "org": job.org,
        "shown_errors": job.errors[:SHOWN_ERRORS],
        "nav_active": "roster",
    }
    template = "roster/job.html#progress" if request.htmx else "roster/job.html"
    return render(request, template, context)


@login_required
@require_GET
def import_errors(request: AuthedRequest, job_id: int) -> FileResponse:
    try:
        job = import_job_visible(user=request.user, job_id=job_id)
    except NotFound:
        raise Http404 from None
    filename = _("委员名册导入错误报告-%(id)s.xlsx") % {"id": job.pk}
    return workbook_response(errors_workbook(job.errors), filename)
