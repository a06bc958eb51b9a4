"""The shapes of the opinion-report API (OpenAPI components)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt, StringConstraints, WithJsonSchema

from shangliang.api.schemas import ActionOut, HistoryOut, Id, RefOut
from shangliang.opinions.models import Opinion

OpinionState = Annotated[
    Opinion.Status, WithJsonSchema({"type": "string", "enum": list(Opinion.Status.values)})
]
OpinionSource = Annotated[
    Opinion.Kind, WithJsonSchema({"type": "string", "enum": list(Opinion.Kind.values)})
]
ReporterKind = Annotated[
    Opinion.ReporterKind,
    WithJsonSchema({"type": "string", "enum": list(Opinion.ReporterKind.values)}),
]
BodyText = Annotated[str, StringConstraints(strict=True, max_length=20_000)]
TitleText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, max_length=200)]
MAX_LIST = 100


class OpinionFiltersIn(Schema):
    status: OpinionState | None = None
    kind: OpinionSource | None = None
    org: Id | None = None
    mine: bool = Field(False, description="Only reports the caller wrote or is credited on.")
    q: Annotated[str, StringConstraints(max_length=100)] = Field("", description="In the title.")


class OpinionRowOut(Schema):
    id: int
    org_id: int
    org_name: str
    kind: str = Field(description="original | upward (a copy reported from the level below)")
    title: str = Field(description="The edited title once the office has edited it.")
    author: str
    reporter_kind: str
    reporter_unit: str
    state: str
    state_label: str
    submitted_at: dt.datetime | None
    updated_at: dt.datetime


class OpinionPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OpinionRowOut]


class ReporterOut(Schema):
    user_id: int
    name: str
    membership_id: int | None
    org_id: int
    first: bool


class CheckOut(Schema):
    gate: str
    label: str
    passed: bool
    note: str


class IssueOut(Schema):
    id: int
    series: str
    series_name: str
    year: int
    number: int
    date: dt.date


class AdoptionOut(Schema):
    level: str
    level_label: str
    kind: str
    kind_label: str
    recorded_at: dt.datetime


class InstructionOut(Schema):
    leader_level: str
    leader_level_label: str
    leader: str
    text: str
    date: dt.date
    has_scan: bool


class ForwardingOut(Schema):
    id: int
    unit: RefOut
    state: str
    state_label: str
    reply_text: str
    replied_at: dt.datetime | None


class LinkOut(Schema):
    id: int
    org_id: int
    org_name: str


class OpinionDetailOut(OpinionRowOut):
    original_title: str
    situation: str
    analysis: str
    suggestions: str
    edited_title: str
    edited_text: str
    questions: str = Field(description="The office's questions when it sent the report back.")
    keep_reason: str
    reporters: list[ReporterOut]
    checks: list[CheckOut]
    issue: IssueOut | None
    adoptions: list[AdoptionOut]
    instructions: list[InstructionOut]
    forwardings: list[ForwardingOut]
    source: LinkOut | None = Field(description="The lower level's record this copy came from.")
    upward: list[LinkOut] = Field(description="Copies at the levels above (reported upward).")
    reported_national: bool
    combined_into: int | None
    available_actions: list[ActionOut]
    history: list[HistoryOut] = Field(
        description="Newest first (up to 100), including the lower levels' history of a copy."
    )


class OpinionCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    org: Id | None = Field(None, description="The committee to report to; your first one.")
    reporter_kind: ReporterKind | None = Field(
        None,
        description="member (default for members), informant, party, peoples_org, "
        "committee, sector, lower; the last five need `reporter_unit`.",
    )
    reporter_unit: Annotated[str, StringConstraints(strict=True, max_length=100)] = ""
    title: TitleText
    situation: BodyText = ""
    analysis: BodyText = ""
    suggestions: BodyText = ""
    co_reporters: list[Id] = Field(
        default_factory=list,
        max_length=MAX_LIST,
        description="User ids of members or informants of the same committee reporting jointly.",
    )


class OpinionUpdateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: TitleText | None = None
    situation: BodyText | None = None
    analysis: BodyText | None = None
    suggestions: BodyText | None = None
    reporter_unit: Annotated[str, StringConstraints(strict=True, max_length=100)] | None = None
    co_reporters: list[Id] | None = Field(None, max_length=MAX_LIST)


OpinionValue = (
    Annotated[str, StringConstraints(strict=True, max_length=20_000)]
    | Annotated[StrictInt, Field(ge=-(2**53), le=2**53)]
    | StrictBool
    | Annotated[list[Id], Field(max_length=MAX_LIST)]
    | None
)
OpinionFields = dict[Annotated[str, StringConstraints(max_length=64)], OpinionValue]


class OpinionSimilarIn(Schema):
    model_config = ConfigDict(extra="forbid")

    org: Id | None = None
    title: Annotated[str, StringConstraints(strict=True, max_length=200)] = ""
    text: BodyText = ""


class OpinionSimilarOut(Schema):
    id: int
    title: str
    state: str
    score: float = Field(ge=0, le=1)
