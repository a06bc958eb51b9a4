"""Shapes of the duty API (履职档案, 述职报告)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints


class DutyItemOut(Schema):
    item: str = Field(description="Item code, e.g. `proposal.accepted`, `attend.plenary`.")
    label: str
    points: float = Field(description="Negative for penalties and compensating rows.")
    kind: str = Field(description="`credit`, or `reversal` (a compensation of an undone source).")
    role: str = Field(description="`sole`, `first` (first proposer) or `cosigner`.")
    source_type: str = Field(description="`proposals.proposal`, `meetings.attendance`, ...")
    source_id: str
    time: dt.datetime


class DutyMemberOut(Schema):
    membership: int
    name: str
    org: int
    year: int
    score: float = Field(description="Base score plus the capped points of the year.")
    base: float
    points: float
    grade: str = Field(description="`excellent` | `good` | `pass` | `fail`.")
    grade_label: str
    items: list[DutyItemOut] = Field(description="Every ledger row of the year, newest first.")
    minimums: dict[str, bool] = Field(
        description="Each configured minimum requirement (`training`, `deliberation`, "
        "`proposal`, `opinion`, `research`, `duty_report`): met this year or not."
    )
    averages: dict[str, float | None] = Field(
        description="Average score of the member's `sector`, `committee` and `org`."
    )


class DutyReportOut(Schema):
    id: int
    membership: int
    year: int
    body: str
    state: str = Field(description="`draft` or `submitted`.")
    submitted_at: dt.datetime | None


class DutyReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    body: Annotated[str, StringConstraints(max_length=8000)] = Field(
        "", description="Empty: start from the draft pre-filled from the ledger."
    )


class DutyReportDraftOut(Schema):
    year: int
    body: str
