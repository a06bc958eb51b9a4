"""PDF downloads: a proposal's form (提案表) and an approved reply's letter (答复函)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from shangliang.core.errors import NotFound
from shangliang.core.http import AuthedRequest
from shangliang.core.pdf import pdf_response
from shangliang.proposals.services.printing import proposal_print, reply_letter_print


@login_required
@require_GET
def proposal_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        printed = proposal_print(actor=request.user, proposal_id=pk)
    except NotFound:
        raise Http404 from None
    return pdf_response(printed.pdf, printed.filename, inline=request.GET.get("download") != "1")


@login_required
@require_GET
def reply_letter_pdf(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    try:
        printed = reply_letter_print(actor=request.user, assignment_id=assignment_id)
    except NotFound:
        raise Http404 from None
    return pdf_response(printed.pdf, printed.filename, inline=request.GET.get("download") != "1")
