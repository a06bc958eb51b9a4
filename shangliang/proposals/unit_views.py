"""The handling unit's pages: the inbox (承办提案), its export, and the assignment page with
the actions of the workflow, the signed reply upload and its download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from shangliang.core.errors import DomainError, NotFound
from shangliang.core.forms import show_domain_error
from shangliang.core.http import AuthedRequest
from shangliang.core.workflow import available_actions, workflow_for
from shangliang.core.xlsx import workbook_response
from shangliang.proposals.services.handling import (
    assignment_act,
    assignment_attach_reply_pdf,
    inbox_export,
)
from shangliang.proposals.steps import today
from shangliang.proposals.unit_context import detail_context
from shangliang.proposals.unit_forms import (
    InboxFilterForm,
    ReplyFileForm,
    action_values,
    assignment_action_form,
)
from shangliang.proposals.unit_rows import rows_for
from shangliang.proposals.unit_selectors import (
    assignment_visible,
    inbox_counts,
    inbox_for,
    reply_visible,
    unit_ids_for,
)

PAGE_SIZE = 30
TAB_LABELS = (
    ("all", gettext_lazy("全部")),
    ("to_sign", gettext_lazy("待签收")),
    ("handling", gettext_lazy("办理中")),
    ("countersign", gettext_lazy("待会签")),
    ("in_audit", gettext_lazy("答复待审核")),
    ("rating", gettext_lazy("待测评")),
    ("done", gettext_lazy("已办结")),
    ("round2", gettext_lazy("二次办理")),
)


@login_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    units = unit_ids_for(request.user)
    if not units:
        raise Http404(_("您不是承办单位用户。"))
    form = InboxFilterForm(request.GET or None)
    filters = form.filters()
    qs = inbox_for(user=request.user, filters=filters, units=units)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = inbox_counts(user=request.user, units=units)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("tab", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows_for(page.object_list, today=today(), units=units),
        "tab": filters.tab,
        "tabs": [(key, str(label), counts.get(key, 0)) for key, label in TAB_LABELS],
        "tab_query": query.urlencode(),
        "export_query": _without_page(request),
        "many_units": len(units) > 1,
        "nav_active": "unit_inbox",
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "proposals/unit/inbox.html"
    response = render(request, f"{template}#rows" if partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _without_page(request: AuthedRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def inbox_xlsx(request: AuthedRequest) -> FileResponse:
    if not unit_ids_for(request.user):
        raise Http404
    filters = InboxFilterForm(request.GET or None).filters()
    wb, _count = inbox_export(actor=request.user, filters=filters, today=today())
    name = _("承办提案-%(d)s.xlsx") % {"d": today().strftime("%Y%m%d")}
    return workbook_response(wb, name)


def _visible(request: AuthedRequest, assignment_id: int) -> Any:
    try:
        return assignment_visible(user=request.user, assignment_id=assignment_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def assignment_detail(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    a = _visible(request, assignment_id)
    return render(request, "proposals/unit/assignment.html", detail_context(request, a))


def _next_or(request: AuthedRequest, a: Any) -> HttpResponseRedirect:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("proposals:unit_assignment", assignment_id=a.pk)


@login_required
@require_POST
def assignment_action(request: AuthedRequest, assignment_id: int, action: str) -> HttpResponse:
    a = _visible(request, assignment_id)
    try:
        act = workflow_for(a).action(action)
    except DomainError:
        raise Http404 from None
    form = assignment_action_form(act, a, request.POST)
    status = 422
    if form.is_valid():
        try:
            assignment_act(actor=request.user, assignment=a, action=action, **action_values(form))
        except DomainError as exc:
            a = _visible(request, assignment_id)  # it may have moved on meanwhile
            if act not in available_actions(request.user, a):
                messages.error(request, exc.detail)
                return redirect("proposals:unit_assignment", assignment_id=a.pk)
            show_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("已执行：%(a)s") % {"a": act.label})
            return _next_or(request, a)
    elif act not in available_actions(request.user, a):
        messages.error(request, _("当前不能执行“%(a)s”。") % {"a": act.label})
        return redirect("proposals:unit_assignment", assignment_id=a.pk)
    context = detail_context(request, a, bound=(action, form))
    return render(request, "proposals/unit/assignment.html", context, status=status)


@login_required
@require_POST
def reply_file_upload(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    a = _visible(request, assignment_id)
    form = ReplyFileForm(request.POST, request.FILES)
    status = 422
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            assignment_attach_reply_pdf(
                actor=request.user, assignment=a, upload=upload, size=upload.size
            )
        except DomainError as exc:
            show_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("已上传签章答复件。"))
            return redirect("proposals:unit_assignment", assignment_id=a.pk)
    context = detail_context(request, a, file_form=form)
    return render(request, "proposals/unit/assignment.html", context, status=status)


@login_required
@require_GET
def reply_file_download(request: AuthedRequest, assignment_id: int) -> FileResponse:
    a = _visible(request, assignment_id)
    if not a.reply_file or not reply_visible(request.user, a):
        raise Http404
    name = _("答复件-%(n)s.pdf") % {"n": a.proposal.number or a.proposal_id}
    return FileResponse(
        a.reply_file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
