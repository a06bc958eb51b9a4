"""重点提案 for the leaders: the list with supervisors and progress, and the supervision log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import paths_for
from shangliang.core.errors import DomainError
from shangliang.core.forms import form_errors_text
from shangliang.core.http import AuthedRequest
from shangliang.core.xlsx import workbook_response
from shangliang.proposals.forms import SupervisionForm
from shangliang.proposals.member_views import get_visible
from shangliang.proposals.selectors import key_candidates_for, key_proposals_for
from shangliang.proposals.services.export import key_export
from shangliang.proposals.services.supervision import supervision_add

KINDS = [Role.Kind.LEADER, Role.Kind.PROPOSAL_OFFICE]


@login_required
@require_GET
def key_list(request: AuthedRequest) -> HttpResponse:
    if not (request.user.is_superuser or paths_for(request.user, KINDS)):
        raise Http404
    context = {
        "rows": key_proposals_for(user=request.user)[:500],
        "candidates": key_candidates_for(user=request.user)[:500],
        "nav_active": "key",
    }
    return render(request, "proposals/key.html", context)


@login_required
@require_GET
def key_xlsx(request: AuthedRequest) -> FileResponse:
    if not (request.user.is_superuser or paths_for(request.user, KINDS)):
        raise Http404
    wb, _count = key_export(actor=request.user)
    filename = _("重点提案-%(d)s.xlsx") % {"d": timezone.localdate().strftime("%Y%m%d")}
    return workbook_response(wb, filename)


@login_required
@require_POST
def supervision_new(request: AuthedRequest, pk: int) -> HttpResponse:
    p = get_visible(request, pk)
    form = SupervisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("proposals:detail", pk=p.pk)
    try:
        supervision_add(actor=request.user, proposal=p, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("督办情况已记录。"))
    return redirect("proposals:detail", pk=p.pk)
