"""PDFs (issue 3 §9): a proposal in the official form layout and an approved reply as a
letter, with a Chinese font embedded. The same services as the pages (audited)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Router

from shangliang.api.schemas import Id, errors
from shangliang.core.http import AuthedRequest
from shangliang.core.pdf import pdf_response
from shangliang.proposals.services.printing import proposal_print, reply_letter_print

router = Router(tags=["printing"])


def pdf_body(what: str) -> dict[str, Any]:
    """The OpenAPI description of a 200 answer that is a PDF file, not JSON."""
    return {
        "responses": {
            200: {
                "description": what,
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/proposals/{proposal_id}/pdf",
    response={200: None, **errors(401, 404, 422)},
    openapi_extra=pdf_body("The proposal form (提案表) as a PDF."),
    summary="The proposal in the official form layout (提案表), as a PDF",
    description="For everyone who may see the proposal. Contact details of the proposer are "
    "printed for the proposal office only. `Content-Disposition` names the file (UTF-8, RFC "
    "5987). Each download is recorded in the audit trail.",
)
def proposal_pdf(request: AuthedRequest, proposal_id: Id) -> HttpResponse:
    printed = proposal_print(actor=request.user, proposal_id=proposal_id)
    return pdf_response(printed.pdf, printed.filename, inline=False)


@router.get(
    "/assignments/{assignment_id}/reply/pdf",
    response={200: None, **errors(401, 404, 422)},
    openapi_extra=pdf_body("The reply letter (答复函) as a PDF."),
    summary="An approved reply as the unit's letter to the proposers (答复函), as a PDF",
    description="Once the proposal office approved the reply of a sole, lead or split unit "
    "(state `rating` or `done`), for the proposers, the unit, the co-handling units and the "
    "office; 404 before that, for a co-handler's opinion, or when the assignment is not "
    "visible to you. Each download is recorded in the audit trail.",
)
def reply_pdf(request: AuthedRequest, assignment_id: Id) -> HttpResponse:
    printed = reply_letter_print(actor=request.user, assignment_id=assignment_id)
    return pdf_response(printed.pdf, printed.filename, inline=False)
