"""Issues (刊期) of the committee's periodicals: the list leaders and the office read, one
issue with the office's builder (date, distribution lines, order of items, taking an item
out), and the issue as a PDF laid out like the printed periodical."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shangliang.accounts.permissions import can
from shangliang.core.errors import DomainError
from shangliang.core.http import AuthedRequest
from shangliang.core.pdf import pdf_response, render_pdf
from shangliang.opinions.forms import IssueForm
from shangliang.opinions.models import Adoption, Instruction, Issue, Opinion
from shangliang.opinions.selectors import issues_readable
from shangliang.opinions.services.issues import issue_move, issue_remove, issue_update
from shangliang.opinions.steps import settings_for

PAGE_SIZE = 50


def _issue(request: AuthedRequest, issue_id: int) -> Issue:
    issue = Issue.objects.select_related("org").filter(pk=issue_id).first()
    if issue is None or not can(request.user, "opinions.read_issues", issue.org):
        raise Http404
    return issue


@login_required
@require_GET
def issues(request: AuthedRequest) -> HttpResponse:
    rows = issues_readable(user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    names: dict[int, Any] = {}
    for issue in page:
        conf = names.setdefault(issue.org_id, settings_for(issue.org))
        issue.series_name = conf.series_name(issue.series)  # type: ignore[attr-defined]
    return render(request, "opinions/issues.html", {"page": page, "nav_active": "opinions_issues"})


def issue_context(issue: Issue) -> dict[str, Any]:
    conf = settings_for(issue.org)
    items = list(
        issue.items.select_related("author")
        .prefetch_related("reporters__user")
        .order_by("issue_order", "id")
    )
    return {
        "issue": issue,
        "series_name": conf.series_name(issue.series),
        "items": items,
        "distribution": [line for line in issue.distribution.splitlines() if line.strip()],
    }


def held_items(issue: Issue) -> set[int]:
    """The items that cannot leave the issue: an adoption or an instruction is recorded."""
    held = Opinion.objects.filter(issue=issue).filter(
        Exists(Adoption.objects.filter(opinion=OuterRef("pk")))
        | Exists(Instruction.objects.filter(opinion=OuterRef("pk")))
    )
    return set(held.values_list("pk", flat=True))


@login_required
@require_http_methods(["GET", "POST"])
def issue_detail(request: AuthedRequest, issue_id: int) -> HttpResponse:
    """An issue; for the office also the builder (date, distribution lines, order, taking an
    item out with a reason)."""
    issue = _issue(request, issue_id)
    office = can(request.user, "opinions.manage", issue.org)
    initial = {"date": issue.date, "distribution": issue.distribution}
    form = IssueForm(initial=initial) if office else None
    if request.method == "POST":
        if not office:
            raise Http404
        try:
            if "move" in request.POST:
                issue_move(
                    actor=request.user,
                    issue=issue,
                    opinion_id=int(request.POST["move"]),
                    up=request.POST.get("dir") == "up",
                )
                return redirect("opinions:issue", issue_id=issue.pk)
            if "remove" in request.POST:
                removed = issue_remove(
                    actor=request.user,
                    issue=issue,
                    opinion_id=int(request.POST["remove"]),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request,
                    _("已将“%(t)s”撤出本期，它回到已签发状态，可在其他刊期编发。")
                    % {"t": removed.display_title},
                )
                return redirect("opinions:issue", issue_id=issue.pk)
            form = IssueForm(request.POST)
            if form.is_valid():
                issue_update(actor=request.user, issue=issue, **form.cleaned_data)
                messages.success(request, _("已保存本期信息。"))
                return redirect("opinions:issue", issue_id=issue.pk)
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "detail", _("请求无效。")))
    context = issue_context(issue)
    context.update(
        {
            "nav_active": "opinions_issues",
            "is_office": office,
            "form": form,
            "held": held_items(issue) if office else set(),
        }
    )
    return render(request, "opinions/issue.html", context)


@login_required
@require_GET
def issue_pdf(request: AuthedRequest, issue_id: int) -> HttpResponse:
    issue = _issue(request, issue_id)
    context = issue_context(issue)
    filename = f"issue-{issue.year}-{issue.series}-{issue.number}.pdf"
    data = render_pdf("opinions/pdf/issue.html", context, request=request)
    return pdf_response(data, filename)
