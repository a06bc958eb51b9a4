"""Tokens and the caller: ``/auth/token`` and ``/me``."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from shangliang.accounts.models import Membership, Role
from shangliang.accounts.tokens import token_issue, token_revoke
from shangliang.api.auth import bearer_token
from shangliang.api.schemas import (
    MembershipOut,
    MeOut,
    RoleOut,
    TokenIn,
    TokenOut,
    UnitLinkOut,
    errors,
)
from shangliang.core.http import AuthedRequest

router = Router(tags=["auth"])


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, **errors(400, 401, 403, 422, 429)},
    summary="Exchange a username (or mobile number) and password for a bearer token",
    description="Five wrong passwords lock the account for a while: then even the right "
    "password gets 429 `locked_out`. An account with two-factor login must also send `code`, "
    "the current six-digit code of its authenticator; without it the answer is 401 "
    "`otp_required`.",
)
def token_create(request: HttpRequest, payload: TokenIn) -> TokenOut:
    raw, token = token_issue(
        request=request, username=payload.username, password=payload.password, code=payload.code
    )
    return TokenOut(token=raw, expires_at=token.expires_at)


@router.delete(
    "/auth/token",
    response={204: None, **errors(401)},
    summary="Revoke the token this request carries (log out)",
)
def token_delete(request: AuthedRequest) -> Status[None]:
    token_revoke(actor=request.user, raw=bearer_token(request))
    return Status(204, None)


def membership_out(m: Membership) -> MembershipOut:
    return MembershipOut(
        id=m.pk,
        org_id=m.org_id,
        org_name=m.org.name,
        term=m.term.name,
        position=m.position,
        position_label=str(m.get_position_display()),
        sector=m.sector.name if m.sector else None,
        committee=m.committee.name if m.committee else None,
        status=m.status,
        status_label=str(m.get_status_display()),
    )


@router.get(
    "/me",
    response={200: MeOut, **errors(401)},
    summary="The caller, their memberships, staff roles and handling units",
)
def me(request: AuthedRequest) -> MeOut:
    user = request.user
    memberships = Membership.objects.filter(user=user).select_related(
        "org", "term", "sector", "committee"
    )
    roles = Role.objects.filter(user=user).select_related("org")
    units = user.unit_links.select_related("unit")
    return MeOut(
        id=user.pk,
        username=user.username,
        name=user.display_name,
        phone=user.phone,
        must_change_password=user.must_change_password,
        memberships=[membership_out(m) for m in memberships],
        roles=[
            RoleOut(
                org_id=r.org_id, org_name=r.org.name, kind=r.kind, label=str(r.get_kind_display())
            )
            for r in roles
        ],
        units=[
            UnitLinkOut(
                unit_id=u.unit_id,
                unit_name=u.unit.name,
                org_id=u.unit.org_id,
                is_manager=u.is_manager,
            )
            for u in units
        ],
    )
