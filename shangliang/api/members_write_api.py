"""Adding a member and editing one (the roster managers' part of the members API).

Both endpoints call the roster's services (``roster.member_services``), which the pages
call too: permissions, validation and the audit trail are the same.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Status

from shangliang.api.idempotency import idempotent
from shangliang.api.members_api import member_detail_out
from shangliang.api.schemas import Id, MemberCreateIn, MemberDetailOut, MemberUpdateIn, errors
from shangliang.api.selectors import org_parts
from shangliang.core.errors import Invalid
from shangliang.core.http import AuthedRequest
from shangliang.orgs.models import Committee, Group, Organization, Sector, Term
from shangliang.roster.member_services import member_add, member_update
from shangliang.roster.selectors import membership_visible, roster_org_visible

router = Router(tags=["members"])

ERRORS = """
Errors: 403 `forbidden` (you may read this roster but not manage it, or — on an update —
the person also serves in a committee you do not manage, so their name, phone and other
personal details are not yours to change), 404 (the committee or member is not visible to
you), 409 `already_member` (adding: the person is already a member of this committee in
this term), 422 `invalid` (see `fields`; unknown fields are refused).
"""


def _one(model: Any, org: Organization, pk: int | None, field: str) -> Any:
    return None if pk is None else org_parts(model, org=org, ids=[pk], field=field)[0]


def _resolve_parts(org: Organization, data: dict[str, Any]) -> dict[str, Any]:
    """Ids in the body → the organisation's sector, committee and groups."""
    for field, model in (("sector", Sector), ("committee", Committee)):
        if field in data:
            data[field] = _one(model, org, data[field], field)
    if "groups" in data:
        ids = list(dict.fromkeys(data["groups"] or []))
        data["groups"] = org_parts(Group, org=org, ids=ids, field="groups")
    return data


def _term(org: Organization, term_id: int | None) -> Term:
    if term_id is not None:
        term: Term = _one(Term, org, term_id, "term")
        return term
    current = Term.objects.filter(org=org, is_current=True).first()
    if current is None:
        message = _("%(o)s还没有设置本届届次，请指定 term。") % {"o": org}
        raise Invalid(message, fields={"term": [message]})
    return current


@router.post(
    "/orgs/{org_id}/members",
    response={201: MemberDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    by_alias=True,
    summary="Add one member to a committee's roster (its managers: general office, admin)",
    description="The person's account is found by `phone` (the same person if the name "
    "matches: a provincial member who also sits on a city committee keeps one account) or "
    "created, without a usable password (an administrator sets one). An existing account "
    "keeps its details; only blank ones are filled from the request. The member starts "
    "`active`. Returns the new member." + ERRORS,
)
@idempotent
def member_create(
    request: AuthedRequest, org_id: Id, payload: MemberCreateIn
) -> Status[MemberDetailOut]:
    org = roster_org_visible(user=request.user, org_id=org_id)
    data = _resolve_parts(org, payload.model_dump())
    term = _term(org, data.pop("term"))
    m = member_add(actor=request.user, org=org, term=term, **data)
    return Status(201, member_detail_out(request.user, m))


@router.patch(
    "/members/{member_id}",
    response={200: MemberDetailOut, **errors(400, 401, 403, 404, 422)},
    by_alias=True,
    summary="Change a member's seat (position, sector, committee, groups, joined_on) or "
    "personal details",
    description="Only the fields in the body change; `null` clears an optional field. The "
    "status is not edited here: use the workflow actions (`/members/{id}/actions/...`). "
    "Personal details (name, phone, gender, ethnicity, birth_month, party, workplace) "
    "belong to the person, shared by every committee they serve in." + ERRORS,
)
def member_patch(request: AuthedRequest, member_id: Id, payload: MemberUpdateIn) -> MemberDetailOut:
    m = membership_visible(user=request.user, membership_id=member_id)
    changes = _resolve_parts(m.org, payload.model_dump(exclude_unset=True))
    m = member_update(actor=request.user, membership=m, **changes)
    return member_detail_out(request.user, m)
