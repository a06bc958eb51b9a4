from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from shangliang.accounts import services
from shangliang.accounts.models import Membership, Role
from shangliang.core.http import AuthedRequest

router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: str


class ErrorOut(Schema):
    code: str
    detail: str
    fields: dict[str, list[str]] | None = None


class MembershipOut(Schema):
    id: int
    org_id: int
    org_name: str
    term: str
    position: str
    position_label: str
    sector: str | None
    committee: str | None
    status: str
    status_label: str


class RoleOut(Schema):
    org_id: int
    org_name: str
    kind: str
    label: str


class MeOut(Schema):
    id: int
    username: str
    name: str
    phone: str | None
    must_change_password: bool
    memberships: list[MembershipOut]
    roles: list[RoleOut]
    units: list[dict[str, object]]


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 403: ErrorOut, 422: ErrorOut},
    summary="Exchange a username (or mobile number) and password for a bearer token",
)
def issue_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    raw, token = services.token_issue(
        request=request, username=payload.username, password=payload.password
    )
    return TokenOut(token=raw, expires_at=token.expires_at.isoformat())


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


@router.get("/me", response=MeOut, summary="The caller, their memberships and roles")
def me(request: AuthedRequest) -> MeOut:
    user = request.user
    memberships = Membership.objects.filter(user=user).select_related(
        "org", "term", "sector", "committee"
    )
    roles = Role.objects.filter(user=user).select_related("org")
    units = user.unit_links.select_related("unit", "unit__org")
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
            {"unit_id": u.unit_id, "unit_name": u.unit.name, "org_id": u.unit.org_id} for u in units
        ],
    )
