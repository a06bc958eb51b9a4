"""The member's yearly duty report (述职报告), with a draft pre-filled from the ledger."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shangliang.core.errors import DomainError
from shangliang.core.http import AuthedRequest
from shangliang.duty.archive_views import year_param
from shangliang.duty.models import DutyReport
from shangliang.duty.selectors import my_memberships
from shangliang.duty.services.reports import report_draft, report_save, report_submit


@login_required
def report_page(request: AuthedRequest) -> HttpResponse:
    year = year_param(request)
    m = my_memberships(request.user).filter(term__is_current=True).first()
    if m is None:
        raise Http404
    report = DutyReport.objects.filter(membership=m, year=year).first()
    body = report.body if report else report_draft(m, year)
    error = ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            report = report_save(actor=request.user, membership=m, year=year, body=body)
            if request.POST.get("submit"):
                report_submit(actor=request.user, report=report)
                messages.success(request, _("述职报告已提交。"))
            else:
                messages.success(request, _("已保存草稿。"))
            return redirect(f"{reverse('duty:report')}?year={year}")
        except DomainError as exc:
            error = exc.detail
    context = {
        "m": m,
        "year": year,
        "report": report,
        "body": body,
        "error": error,
        "nav_active": "duty",
    }
    return render(request, "duty/report.html", context, status=422 if error else 200)
