"""The shapes the API reads and writes (they are the OpenAPI document's components)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictInt, StringConstraints, WithJsonSchema

from shangliang.accounts.models import Membership

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
MAX_PAGE_SIZE = 200
# Model choices inline in the OpenAPI document (a component named "Status" would clash).
MemberPosition = Annotated[
    Membership.Position, WithJsonSchema({"type": "string", "enum": Membership.Position.values})
]
MemberStatus = Annotated[
    Membership.Status, WithJsonSchema({"type": "string", "enum": Membership.Status.values})
]


class ErrorOut(Schema):
    code: str = Field(description="Stable machine-readable code, e.g. `not_found`, `conflict`.")
    detail: str = Field(description="A message for people (Chinese by default).")
    fields: dict[str, list[str]] | None = Field(
        None, description="Per-field messages when the input was invalid."
    )


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """``response={200: X, **errors(401, 404)}``: the error statuses an operation declares,
    and 500 and 503 (the database is unreachable), which any operation may answer, in the
    same format."""
    return dict.fromkeys((*statuses, 500, 503), ErrorOut)


class RefOut(Schema):
    id: int
    name: str


# --- auth and the caller ----------------------------------------------------------------


class TokenIn(Schema):
    username: Annotated[str, StringConstraints(min_length=1, max_length=150)] = Field(
        description="Username or mobile number."
    )
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    code: Annotated[str, StringConstraints(max_length=12)] = Field(
        default="", description="The current TOTP code, for accounts with two-factor login."
    )


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


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


class UnitLinkOut(Schema):
    unit_id: int
    unit_name: str
    org_id: int
    is_manager: bool


class MeOut(Schema):
    id: int
    username: str
    name: str
    phone: str | None
    must_change_password: bool
    memberships: list[MembershipOut]
    roles: list[RoleOut]
    units: list[UnitLinkOut]


# --- organisations ----------------------------------------------------------------------


class OrgOut(Schema):
    id: int
    name: str
    short_name: str
    level: int
    level_label: str
    parent_id: int | None
    path: str


class SessionOut(Schema):
    id: int
    number: int
    name: str
    opens_on: dt.date
    closes_on: dt.date
    proposal_deadline: dt.datetime


class TermOut(Schema):
    id: int
    number: int
    name: str
    starts_on: dt.date
    ends_on: dt.date | None
    is_current: bool
    sessions: list[SessionOut]


class GroupOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    sector_id: int | None
    region: str


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str


class WorkstationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    contact_phone: str
    description: str


class OrgDetailOut(OrgOut):
    terms: list[TermOut]
    sectors: list[RefOut]
    committees: list[RefOut]
    groups: list[GroupOut]
    units: list[UnitOut]
    workstations: list[WorkstationOut]


# --- members ----------------------------------------------------------------------------


class PageIn(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class MemberFilters(Schema):
    q: Annotated[str, StringConstraints(max_length=100)] = Field(
        "", description="Part of the name or workplace, or the exact username."
    )
    sector: Id | None = None
    committee: Id | None = None
    group: Id | None = None
    position: MemberPosition | None = None
    status: MemberStatus | None = None
    term: Id | None = Field(None, description="A term id; the current term when omitted.")


class MemberOut(Schema):
    id: int
    user_id: int
    name: str
    org_id: int
    term: RefOut
    position: str
    position_label: str
    is_standing: bool
    sector: RefOut | None
    committee: RefOut | None
    groups: list[RefOut]
    workplace: str
    party: str
    status: str
    status_label: str
    joined_on: dt.date | None
    # Private: null unless the caller may see the organisation's private data (or is the member).
    phone: str | None
    gender: str | None
    ethnicity: str | None
    birth_month: str | None = Field(description="YYYY-MM")
    status_reason: str | None
    status_changed_on: dt.date | None


class MemberPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MemberOut]


class ChoiceOut(Schema):
    value: str
    label: str


class FieldOut(Schema):
    name: str
    label: str
    kind: str = Field(description="text | textarea | date | choice | int | bool | list")
    required: bool
    max_length: int = Field(description="The longest text accepted (text and textarea).")
    choices: list[ChoiceOut]


class ActionOut(Schema):
    name: str
    label: str
    confirm: str = Field(description="A question to confirm before acting; empty if none.")
    fields: list[FieldOut]


class HistoryOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    action: str
    label: str
    actor: str | None
    time: dt.datetime
    from_state: str | None = Field(None, alias="from")
    to_state: str | None = Field(None, alias="to")
    fields: dict[str, Any]


class MemberDetailOut(MemberOut):
    org_name: str
    state: str
    state_label: str
    available_actions: list[ActionOut]
    history: list[HistoryOut] | None = Field(
        description="Newest first; null unless the caller may see private data or is the member."
    )


ActionValue = (
    Annotated[str, StringConstraints(strict=True, max_length=10_000)]
    | Annotated[StrictInt, Field(ge=-(2**53), le=2**53)]
    | None
)
ActionFields = dict[Annotated[str, StringConstraints(max_length=64)], ActionValue]


# --- adding and editing members ---------------------------------------------------------

MAX_GROUPS = 100
Text = Annotated[str, StringConstraints(strict=True, max_length=200)]
NameText = Annotated[str, StringConstraints(strict=True, max_length=60)]
PhoneText = Annotated[str, StringConstraints(strict=True, max_length=20)]
MonthText = Annotated[str, StringConstraints(strict=True, max_length=20)]
Gender = Literal["", "M", "F"]


class MemberCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    term: Id | None = Field(
        None, description="A term of the committee; the current one if omitted."
    )
    name: NameText
    phone: PhoneText = Field(
        description="Mainland mobile number. An account with this number is the same person "
        "if the name matches (their existing account is used); another name is an error."
    )
    gender: Gender = Field("", description="`M`, `F` or empty.")
    ethnicity: Text = ""
    birth_month: MonthText | None = Field(None, description="`1975-03` (`1975年3月` is read too).")
    party: Text = ""
    workplace: Text = ""
    position: MemberPosition = Membership.Position.MEMBER
    sector: Id | None = None
    committee: Id | None = None
    groups: list[Id] = Field(default_factory=list, max_length=MAX_GROUPS)


class MemberUpdateIn(Schema):
    """Only the fields present are changed; `null` clears an optional one."""

    model_config = ConfigDict(extra="forbid")

    name: NameText | None = None
    phone: PhoneText | None = None
    gender: Gender | None = None
    ethnicity: Text | None = None
    birth_month: MonthText | None = Field(None, description="`1975-03`; null clears it.")
    party: Text | None = None
    workplace: Text | None = None
    position: MemberPosition | None = None
    sector: Id | None = None
    committee: Id | None = None
    groups: list[Id] | None = Field(None, max_length=MAX_GROUPS)
    joined_on: dt.date | None = None
