"""Stage 4: public-opinion reports (社情民意信息) of five years in every state, with their
reporters, the periodical issues they were published in, adoptions per level, leaders'
instructions, forwardings to units, and copies reported up to the parent committee.
Some reports are rewritten copies of earlier ones (planted duplicates, kind "opinion").
Not generated: the editor's five-gate checklist rows and feedback batches."""

from __future__ import annotations

import datetime as dt

from shangliang.opinions.models import Adoption, Forwarding, Instruction, Issue, Opinion, Reporter
from shangliang.scale.context import TZ, Ctx, OrgInfo
from shangliang.scale.models import PlantedDuplicate
from shangliang.scale.text import Doc

OS = Opinion.Status
RECENT: dict[str, int] = {
    OS.DRAFT: 4,
    OS.SUBMITTED: 12,
    OS.EDITING: 6,
    OS.RETURNED: 3,
    OS.SIGNED_OFF: 5,
    OS.PUBLISHED: 25,
    OS.KEPT: 35,
    OS.COMBINED: 5,
    OS.WITHDRAWN: 5,
}
SETTLED: dict[str, int] = {OS.PUBLISHED: 30, OS.KEPT: 57, OS.COMBINED: 6, OS.WITHDRAWN: 7}
LEVEL = {1: "province", 2: "city", 3: "county"}
LEADERS = {1: "省委副书记", 2: "市委书记", 3: "县长"}
UPWARD = 0.15  # share of published lower-level reports that the parent committee takes up
RESERVOIR = 40


def _month(when: dt.datetime) -> int:
    local = when.astimezone(TZ)
    return local.year * 100 + local.month


def _pick(ctx: Ctx, table: dict[str, int]) -> str:
    return ctx.rng.choices(list(table), weights=list(table.values()), k=1)[0]


class OpinionMaker:
    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.s = ctx.sinks
        self.by_id = {o.id: o for o in ctx.orgs}
        self.issue_of: dict[tuple[int, int], tuple[int, int]] = {}  # (org, year) → (issue, n)
        self.issue_number: dict[tuple[int, int], int] = {}
        self.reservoir: dict[int, list[tuple[int, Doc]]] = {}
        self.planted = 0
        self.last_published: dict[int, int] = {}
        # what the duty stage credits: (id, org, membership, submitted_at, [(item, when)], title)
        self.facts: list[tuple[object, ...]] = []
        ctx.extra["opinion_facts"] = self.facts
        target = max(ctx.preset.planted // 2, 1)
        self.plant_rate = target / max(ctx.preset.opinions, 1)

    def _issue(self, org: OrgInfo, day: dt.date) -> tuple[int, int]:
        """The open issue of the year (a new one every eight items)."""
        key = (org.id, day.year)
        current = self.issue_of.get(key)
        if current is None or current[1] >= 8:
            number = self.issue_number.get(key, 0) + 1
            self.issue_number[key] = number
            iid = self.s[Issue].add(
                org_id=org.id,
                series="sqmy",
                year=day.year,
                number=number,
                date=day,
                distribution="报：领导同志\n送：办公厅",
                created_by_id=org.staff["info_office"][0],
                created_at=self.ctx.at(day),
            )
            current = (iid, 0)
        current = (current[0], current[1] + 1)
        self.issue_of[key] = current
        return current

    def one(self, org: OrgInfo, year: int) -> None:
        ctx, r = self.ctx, self.ctx.rng
        term = org.terms[-1] if year >= org.term_starts[-1].year else org.terms[0]
        seats = org.seats[term]
        membership = r.choice(seats)
        user = org.seat_user[membership]
        status = _pick(ctx, RECENT if year == ctx.year else SETTLED)
        combined_into = self.last_published.get(org.id) if status == OS.COMBINED else None
        if status == OS.COMBINED and combined_into is None:
            status = OS.KEPT
        start = dt.date(year, 1, 1)
        span = max(1, min((ctx.today - start).days, 364))
        day = start + dt.timedelta(days=r.randrange(span))
        submitted = None if status == OS.DRAFT else ctx.at(day)
        oid = self.s[Opinion].new_id()
        pool = self.reservoir.setdefault(org.id, [])
        doc: Doc | None = None
        if status not in (OS.DRAFT, OS.WITHDRAWN) and pool and r.random() < self.plant_rate:
            original_id, original = r.choice(pool)
            doc = ctx.text.rewrite(original)
            self.s[PlantedDuplicate].add(kind="opinion", original_id=original_id, duplicate_id=oid)
            self.planted += 1
        if doc is None:
            doc = ctx.text.opinion(org.place)
            if status not in (OS.DRAFT, OS.WITHDRAWN):
                if len(pool) < RESERVOIR:
                    pool.append((oid, doc))
                else:
                    pool[r.randrange(RESERVOIR)] = (oid, doc)
        self._write(
            org,
            oid,
            doc,
            status,
            user,
            membership,
            submitted,
            day,
            None,
            combined_into=combined_into,
        )
        if status == OS.PUBLISHED:
            self.last_published[org.id] = oid
        if status == OS.PUBLISHED and org.parent and r.random() < UPWARD:
            parent = self.by_id[org.parent]
            copy_status = OS.PUBLISHED if r.random() < 0.5 else OS.KEPT
            cid = self.s[Opinion].new_id()
            up_day = min(day + dt.timedelta(days=r.randint(3, 20)), ctx.today)
            self._write(
                parent,
                cid,
                doc,
                copy_status,
                user,
                membership,
                ctx.at(up_day),
                up_day,
                oid,
                reporter_org=org.id,
            )

    def _write(
        self,
        org: OrgInfo,
        oid: int,
        doc: Doc,
        status: str,
        user: int,
        membership: int | None,
        submitted: dt.datetime | None,
        day: dt.date,
        source: int | None,
        reporter_org: int | None = None,
        combined_into: int | None = None,
    ) -> None:
        ctx, r = self.ctx, self.ctx.rng
        info = org.staff["info_office"][0]
        edited = status in (OS.EDITING, OS.SIGNED_OFF, OS.PUBLISHED)
        signed = status in (OS.SIGNED_OFF, OS.PUBLISHED)
        signed_at = (
            ctx.at(min(day + dt.timedelta(days=r.randint(2, 10)), ctx.today)) if signed else None
        )
        issue_id, order = (None, 0)
        published_at = None
        if status == OS.PUBLISHED:
            pday = min(day + dt.timedelta(days=r.randint(5, 15)), ctx.today)
            issue_id, order = self._issue(org, pday)
            published_at = ctx.at(pday)
        created = (submitted or ctx.now) - dt.timedelta(hours=r.randint(1, 72))
        self.s[Opinion].add(
            id=oid,
            created_at=created,
            updated_at=published_at or signed_at or submitted or created,
            org_id=org.id,
            kind="upward" if source else "original",
            author_id=user,
            reporter_kind="lower" if source else "member",
            reporter_unit="",
            title=doc.title,
            situation=doc.situation,
            analysis=doc.analysis,
            suggestions=doc.suggestions,
            edited_title=doc.title if edited else "",
            edited_text=doc.body if edited else "",
            status=status,
            editor_id=info if edited or status in (OS.KEPT, OS.RETURNED, OS.COMBINED) else None,
            signed_off_by_id=org.staff["leader"][0] if signed else None,
            source_id=source,
            combined_into_id=combined_into,
            origin_id=source,
            issue_id=issue_id,
            issue_order=order,
            reported_upward_at=None,
            keep_reason="暂不编发，留存备查。" if status == OS.KEPT else "",
            questions="请补充具体数据和事例。" if status == OS.RETURNED else "",
            withdraw_reason="情况已解决。" if status == OS.WITHDRAWN else "",
            submitted_at=submitted,
            submitted_month=(
                submitted.astimezone(TZ).year * 100 + submitted.astimezone(TZ).month
                if submitted
                else None
            ),
            signed_off_at=signed_at,
            published_at=published_at,
        )
        self.s[Reporter].add(
            opinion_id=oid,
            user_id=user,
            membership_id=membership,
            org_id=reporter_org or org.id,
            first=True,
            created_at=created,
        )
        credits: list[tuple[str, dt.datetime]] = []
        if source is None and submitted is not None and status != OS.WITHDRAWN:
            self.facts.append((oid, org.id, membership, submitted, credits, doc.title))
        elif source is not None and self.facts and self.facts[-1][0] == source:
            credits = self.facts[-1][4]  # type: ignore[assignment]  # credit the original's reporter
        if status != OS.PUBLISHED or published_at is None:
            return
        credits.append((f"opinion.adopted.{LEVEL[org.level]}", published_at))
        self.s[Adoption].add(
            opinion_id=oid,
            level=LEVEL[org.level],
            kind="single",
            recorded_by_id=info,
            month=_month(published_at),
            created_at=published_at,
        )
        if org.level == 1 and r.random() < 0.03:
            credits.append(("opinion.adopted.national", published_at))
            self.s[Adoption].add(
                opinion_id=oid,
                level="national",
                kind="single",
                recorded_by_id=info,
                month=_month(published_at),
                created_at=published_at,
            )
        if r.random() < 0.05:
            credits.append(("opinion.instructed", published_at))
            self.s[Instruction].add(
                opinion_id=oid,
                leader_level=LEVEL[org.level],
                leader=LEADERS[org.level],
                text="请有关部门认真研究，提出具体措施。",
                date=min(published_at.date() + dt.timedelta(days=7), ctx.today),
                recorded_by_id=info,
                created_at=published_at,
            )
        if r.random() < 0.05:
            unit = ctx.pick_weighted(org.units, org.unit_weights)
            replied = r.random() < 0.7
            self.s[Forwarding].add(
                opinion_id=oid,
                unit_id=unit,
                status="replied" if replied else "to_reply",
                reply_text="已收悉，我单位将认真研究落实。" if replied else "",
                replied_at=published_at + dt.timedelta(days=10) if replied else None,
                created_at=published_at,
            )


def run(ctx: Ctx) -> None:
    maker = OpinionMaker(ctx)
    weights = [ctx.preset.seats[o.level - 1] for o in ctx.orgs]
    total_weight = sum(weights)
    per_year = ctx.preset.opinions / 5 / (1 + UPWARD * 0.3)  # upward copies count too
    for org, w in zip(ctx.orgs, weights, strict=True):
        for year in range(ctx.year - 4, ctx.year + 1):
            for _ in range(round(per_year * w / total_weight)):
                maker.one(org, year)
    ctx.out(f"  planted opinion duplicates: {maker.planted}")
