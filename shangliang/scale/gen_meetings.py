"""Stage 5: meetings and activities of five years with their attendance: one plenary
session a year (every member), standing committee meetings (standing members), and
consultations, research, inspections and trainings with a sample of members.
Not generated: leave requests and attendance corrections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from shangliang.meetings.models import Attendance, Meeting
from shangliang.scale.context import TZ, Ctx, OrgInfo

K = Meeting.Kind
OTHER = [K.CONSULTATION, K.RESEARCH, K.INSPECTION, K.TRAINING, K.COMMITTEE]
TITLES = {
    K.CONSULTATION: "“{topic}”专题协商会",
    K.RESEARCH: "{topic}专题调研",
    K.INSPECTION: "{topic}视察活动",
    K.TRAINING: "委员履职能力培训班",
    K.COMMITTEE: "专门委员会{topic}座谈会",
}


def _meeting(
    ctx: Ctx,
    org: OrgInfo,
    kind: str,
    start: dt.datetime,
    half_days: int,
    title: str,
    seats: list[int],
) -> None:
    r = ctx.rng
    past = start < ctx.now
    mid = ctx.sinks[Meeting].add(
        org_id=org.id,
        kind=kind,
        title=title[:200],
        place=f"{org.place}政协机关会议室",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4 * half_days),
        half_days=Decimal(half_days),
        status="finalized" if past else "planned",
        created_by_id=org.staff["general_office"][0],
        created_at=start - dt.timedelta(days=10),
    )
    facts: list[tuple[object, ...]] = ctx.extra.setdefault("attendance_facts", [])  # type: ignore[assignment]
    for m in seats:
        roll = r.random()
        status = (
            "expected"
            if not past
            else ("attended" if roll < 0.9 else "leave" if roll < 0.97 else "absent")
        )
        speech = ""
        if status == "attended" and kind in (K.PLENARY, K.STANDING, K.CONSULTATION):
            speech = "written" if r.random() < 0.04 else "oral" if r.random() < 0.02 else ""
        aid = ctx.sinks[Attendance].add(
            meeting_id=mid,
            membership_id=m,
            status=status,
            speech=speech,
            checked_in_at=start if status == "attended" else None,
            checked_in_by_staff=False,
            created_at=start - dt.timedelta(days=10),
        )
        if past and status != "expected":
            facts.append((aid, org.id, m, kind, status, speech, start, half_days, title))


def run(ctx: Ctx) -> None:
    r = ctx.rng
    per_year = ctx.preset.meetings_per_org_year
    for org in ctx.orgs:
        for sess in org.sessions:
            if sess.year < ctx.year - 4 or sess.upcoming:
                continue
            seats = org.seats[sess.term_id]
            standing = seats[: max(8, len(seats) // 8)]
            start = dt.datetime.combine(sess.opens_on, dt.time(9), tzinfo=TZ)
            _meeting(ctx, org, K.PLENARY, start, 8, f"{org.place}政协{sess.year}年全体会议", seats)
            for i in range(max(1, per_year // 3)):
                day = dt.date(sess.year, 3 + i * 3, 20)
                _meeting(
                    ctx,
                    org,
                    K.STANDING,
                    dt.datetime.combine(day, dt.time(9), tzinfo=TZ),
                    2,
                    f"{org.place}政协常委会第{i + 1}次会议（{sess.year}年）",
                    standing,
                )
            for i in range(max(1, per_year - per_year // 3 - 1)):
                kind = OTHER[i % len(OTHER)]
                _cat, topic = r.choice(ctx.text.topics)
                day = dt.date(sess.year, 1 + r.randrange(12), 1 + r.randrange(28))
                sample = r.sample(seats, min(len(seats), r.randint(15, 50)))
                _meeting(
                    ctx,
                    org,
                    kind,
                    dt.datetime.combine(day, dt.time(14), tzinfo=TZ),
                    1,
                    TITLES[kind].format(topic=topic),
                    sample,
                )
