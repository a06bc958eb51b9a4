"""The shapes of the proposals, assignments and units API (OpenAPI components)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt, StringConstraints, WithJsonSchema

from shangliang.api.schemas import ActionOut, HistoryOut, Id, RefOut
from shangliang.proposals.models import Assignment, Proposal


def _enum(choices: type[Proposal.Kind] | type[Proposal.Status] | type[Assignment.Status]) -> object:
    return WithJsonSchema({"type": "string", "enum": list(choices.values)})


ProposalKind = Annotated[Proposal.Kind, _enum(Proposal.Kind)]
ProposalState = Annotated[Proposal.Status, _enum(Proposal.Status)]
AssignmentState = Annotated[Assignment.Status, _enum(Assignment.Status)]
CollectiveType = Literal["", "party", "peoples_org", "sector", "group", "committee"]

Title = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]
BodyText = Annotated[str, StringConstraints(strict=True, max_length=20_000)]
Short = Annotated[str, StringConstraints(strict=True, max_length=100)]
MAX_LIST = 100


# --- lists ----------------------------------------------------------------------------------


class ProposalFiltersIn(Schema):
    status: ProposalState | None = None
    session: Id | None = None
    kind: ProposalKind | None = None
    category: Annotated[str, StringConstraints(max_length=20)] = ""
    mine: bool = Field(False, description="Only proposals the caller wrote or cosigns.")
    q: Annotated[str, StringConstraints(max_length=100)] = Field(
        "", description="Part of the title (案由)."
    )
    org: Id | None = None


class ProposalRowOut(Schema):
    id: int
    org_id: int
    session: RefOut
    kind: str
    kind_label: str
    title: str
    number: int | None
    number_label: str
    category: str
    author: str
    state: str
    state_label: str
    is_key: bool
    submitted_at: dt.datetime | None
    updated_at: dt.datetime


class ProposalPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ProposalRowOut]


class AssignmentFiltersIn(Schema):
    status: AssignmentState | None = None
    unit: Id | None = None
    proposal: Id | None = None


class ProposalRefOut(Schema):
    id: int
    title: str
    number: int | None


class AssignmentRowOut(Schema):
    id: int
    proposal: ProposalRefOut
    unit: RefOut
    role: str
    role_label: str
    round: int
    state: str
    state_label: str
    due_on: dt.date


class AssignmentPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AssignmentRowOut]


class UnitRowOut(Schema):
    id: int
    org_id: int
    name: str
    short_name: str
    kind: str
    kind_label: str


class UnitPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[UnitRowOut]


class UnitFiltersIn(Schema):
    org: Id | None = None
    q: Annotated[str, StringConstraints(max_length=100)] = ""


# --- one proposal ---------------------------------------------------------------------------


class CosignerOut(Schema):
    id: int = Field(description="The cosigner's membership id.")
    name: str
    status: str = Field(description="invited | confirmed | declined")
    status_label: str
    responded_at: dt.datetime | None


class ProposalAssignmentOut(Schema):
    id: int
    unit: RefOut
    role: str
    role_label: str
    round: int
    state: str
    state_label: str
    due_on: dt.date


class ProposalDetailOut(ProposalRowOut):
    org_name: str
    author_id: int = Field(description="The first proposer's membership id.")
    collective_type: str
    collective_name: str
    situation: str
    analysis: str
    suggestions: str
    suggested_units: list[RefOut]
    publish_consent: bool
    review_stage: int
    is_plenary: bool
    decision_reason: str
    merged_into: ProposalRefOut | None
    supervisor: RefOut | None
    accepted_at: dt.datetime | None
    closed_at: dt.datetime | None
    cosigners: list[CosignerOut]
    assignments: list[ProposalAssignmentOut]
    available_actions: list[ActionOut]
    history: list[HistoryOut] = Field(description="Newest first (up to 100).")


class ProposalCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    org: Id | None = Field(
        None, description="The committee (one where you serve this term); your first seat's."
    )
    kind: ProposalKind = Proposal.Kind.INDIVIDUAL
    title: Title = Field(max_length=200)
    situation: BodyText = ""
    analysis: BodyText = ""
    suggestions: BodyText = ""
    category: Annotated[str, StringConstraints(strict=True, max_length=20)] = ""
    cosigners: list[Id] = Field(
        default_factory=list,
        max_length=MAX_LIST,
        description="Membership ids of members of the same committee and term to invite.",
    )
    suggested_units: list[Id] = Field(default_factory=list, max_length=MAX_LIST)
    publish_consent: StrictBool = True
    collective_type: CollectiveType = ""
    collective_name: Short = ""


class ProposalUpdateIn(Schema):
    """Only the fields present change; ``cosigners`` is the whole list of invitations."""

    model_config = ConfigDict(extra="forbid")

    kind: ProposalKind | None = None
    title: Title | None = Field(None, max_length=200)
    situation: BodyText | None = None
    analysis: BodyText | None = None
    suggestions: BodyText | None = None
    category: Annotated[str, StringConstraints(strict=True, max_length=20)] | None = None
    cosigners: list[Id] | None = Field(None, max_length=MAX_LIST)
    suggested_units: list[Id] | None = Field(None, max_length=MAX_LIST)
    publish_consent: StrictBool | None = None
    collective_type: CollectiveType | None = None
    collective_name: Short | None = None


class UnitChoiceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    unit: Id
    role: Literal["", "sole", "lead", "co", "split"] = ""


WorkflowValue = (
    Annotated[str, StringConstraints(strict=True, max_length=20_000)]
    | Annotated[StrictInt, Field(ge=-(2**53), le=2**53)]
    | StrictBool
    | Annotated[list[UnitChoiceIn], Field(max_length=MAX_LIST)]
    | None
)
WorkflowFields = dict[Annotated[str, StringConstraints(max_length=64)], WorkflowValue]


# --- one assignment -------------------------------------------------------------------------


class ContactOut(Schema):
    date: dt.date
    way: str
    way_label: str
    person: str
    note: str


class RatingOut(Schema):
    member: str
    round: int
    value: str
    value_label: str
    contacted_before_reply: bool
    comment: str


class AssignmentDetailOut(AssignmentRowOut):
    org_id: int
    assigned_at: dt.datetime
    sign_due_on: dt.date
    signed_at: dt.datetime | None
    first_due_on: dt.date
    extension_requested_to: dt.date | None
    extension_reason: str
    co_opinion: str
    reply_text: str | None = Field(
        description="null while the reply is with the units and the office (for proposers)."
    )
    result_class: str
    replied_at: dt.datetime | None
    rating_due_on: dt.date | None
    done_at: dt.datetime | None
    audit_comment: str
    contacts: list[ContactOut]
    ratings: list[RatingOut] = Field(
        description="A handling unit sees the ratings only once they are final (the round is "
        "over or the assignment is done); a proposer sees their own."
    )
    available_actions: list[ActionOut]
    history: list[HistoryOut] = Field(description="Newest first (up to 100).")


# --- similar proposals ----------------------------------------------------------------------


class SimilarIn(Schema):
    model_config = ConfigDict(extra="forbid")

    org: Id | None = Field(None, description="The committee to search; your first seat's.")
    title: Annotated[str, StringConstraints(strict=True, max_length=200)] = ""
    body: BodyText = ""


class SimilarOut(Schema):
    id: int
    title: str
    number: int | None
    session: RefOut
    state: str
    score: float = Field(ge=0, le=1)
