"""Stage 3: proposals of five years in every state, with cosigners, assignments to units,
contacts, replies, ratings and supervision, consistent with the workflow: numbers run
from 1 in each session in the order of submission and only accepted proposals have one,
only proposals in handling or closed have assignments, a closed proposal's assignments are
all done and rated by its proposers, merged ones point to an accepted proposal of the same
session. Some proposals are rewritten copies of earlier ones (planted duplicates).
No audit rows are written for this generated history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from shangliang.proposals.models import (
    Assignment,
    Contact,
    Cosigner,
    Proposal,
    Rating,
    SupervisionEntry,
)
from shangliang.scale.context import Ctx, OrgInfo, SessionInfo
from shangliang.scale.models import PlantedDuplicate
from shangliang.scale.text import Doc

P = Proposal.Status
A = Assignment.Status
UPCOMING: dict[str, int] = {P.DRAFT: 55, P.IN_REVIEW: 35, P.RETURNED: 5, P.WITHDRAWN: 5}
LATEST: dict[str, int] = {
    P.IN_REVIEW: 2,
    P.RETURNED: 1,
    P.ACCEPTED: 3,
    P.HANDLING: 30,
    P.CLOSED: 48,
    P.MERGED: 4,
    P.CONVERTED: 8,
    P.REJECTED: 2,
    P.WITHDRAWN: 2,
}
LAST_YEAR: dict[str, int] = {
    P.HANDLING: 2,
    P.CLOSED: 83,
    P.MERGED: 4,
    P.CONVERTED: 8,
    P.REJECTED: 2,
    P.WITHDRAWN: 1,
}
OLDER: dict[str, int] = {P.CLOSED: 85, P.MERGED: 4, P.CONVERTED: 8, P.REJECTED: 2, P.WITHDRAWN: 1}
STAGES: dict[str, int] = {
    A.TO_SIGN: 8,
    A.REASSIGN_REQUESTED: 2,
    A.HANDLING: 45,
    A.DRAFTED: 5,
    A.IN_AUDIT: 10,
    A.RATING: 20,
}
RATING_VALUES = (["satisfied"] * 85) + (["basically_satisfied"] * 12) + (["dissatisfied"] * 3)
NUMBERED = (P.ACCEPTED, P.HANDLING, P.CLOSED)
COLLECTIVE = [
    ("party", "民盟{place}委员会"),
    ("peoples_org", "{place}妇女联合会"),
    ("sector", "经济界别"),
    ("group", "第一学习组"),
    ("committee", "提案委员会"),
]
RESERVOIR = 40
DAY = dt.timedelta(days=1)


@dataclass
class Spec:
    id: int
    status: str
    doc: Doc
    author: int
    kind: str
    is_plenary: bool
    submitted_at: dt.datetime | None
    created_at: dt.datetime
    cosigners: list[int] = field(default_factory=list)
    number: int | None = None
    merged_into: int | None = None


def _pick(ctx: Ctx, table: dict[str, int]) -> str:
    return ctx.rng.choices(list(table), weights=list(table.values()), k=1)[0]


class ProposalMaker:
    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.s = ctx.sinks
        total = sum(ctx.preset.proposals[o.level - 1] * 5 for o in ctx.orgs)
        self.plant_rate = ctx.preset.planted / max(total, 1)
        self.reservoir: dict[int, list[tuple[int, Doc]]] = {}
        self.planted = 0
        # what the duty stage credits: (id, org, author, kind, confirmed cosigners,
        # submitted_at, accepted_at, is_key, title)
        self.facts: list[tuple[object, ...]] = []
        ctx.extra["proposal_facts"] = self.facts

    # --- one session of one committee ----------------------------------------------------

    def session(self, org: OrgInfo, sess: SessionInfo) -> None:
        ctx, r = self.ctx, self.ctx.rng
        base = ctx.preset.proposals[org.level - 1]
        if sess.upcoming:
            n, table = max(2, base * 3 // 100), UPCOMING
        else:
            age = ctx.year - sess.year
            n = round(base * r.uniform(0.9, 1.1))
            table = LATEST if age == 0 else LAST_YEAR if age == 1 else OLDER
        seats = org.seats[sess.term_id]
        persona = ctx.extra.get("persona_seat")
        current = sess.term_id == org.terms[-1]
        # the latest session shows every state at least once, however small the preset
        forced = list(table) if table is LATEST or sess.upcoming else []
        specs = [
            self._spec(
                org, sess, seats, table, persona, current, forced[i] if i < len(forced) else None
            )
            for i in range(n)
        ]
        specs.sort(key=lambda s: (s.submitted_at or ctx.now, s.id))
        numbered = [s for s in specs if s.status in NUMBERED]
        for i, s in enumerate(numbered, start=1):
            s.number = i
        for s in specs:
            if s.status == P.MERGED:
                same = [m for m in numbered if m.doc.category == s.doc.category] or numbered
                if same:
                    s.merged_into = r.choice(same).id
                else:
                    s.status = P.CONVERTED
        for s in specs:
            self._write(org, sess, s)

    def _spec(
        self,
        org: OrgInfo,
        sess: SessionInfo,
        seats: list[int],
        table: dict[str, int],
        persona: object,
        current: bool,
        status: str | None = None,
    ) -> Spec:
        ctx, r = self.ctx, self.ctx.rng
        status = status or _pick(ctx, table)
        author = r.choice(seats)
        if org.level == 1 and current and isinstance(persona, int) and r.random() < 0.008:
            author = persona
        kind = r.choices(["individual", "joint", "collective"], weights=[70, 20, 10])[0]
        is_plenary = r.random() < 0.85
        if status == P.DRAFT:
            submitted = None
            created = ctx.now - dt.timedelta(days=r.uniform(0, 20))
        elif sess.upcoming:
            submitted = ctx.now - dt.timedelta(days=r.uniform(0, 10))
            created = submitted - dt.timedelta(days=r.uniform(0, 5))
            is_plenary = True
        elif is_plenary:
            submitted = min(sess.deadline - dt.timedelta(days=r.uniform(0, 40)), ctx.now)
            created = submitted - dt.timedelta(days=r.uniform(0, 10))
        else:
            start = dt.datetime.combine(sess.closes_on, dt.time(9), tzinfo=sess.deadline.tzinfo)
            submitted = min(start + dt.timedelta(days=r.uniform(1, 300)), ctx.now)
            created = submitted - dt.timedelta(days=r.uniform(0, 10))
        doc: Doc | None = None
        pool = self.reservoir.setdefault(org.id, [])
        visible = status not in (P.DRAFT, P.WITHDRAWN)
        pid = self.s[Proposal].new_id()
        if visible and pool and not sess.upcoming and r.random() < self.plant_rate:
            original_id, original = r.choice(pool)
            doc = ctx.text.rewrite(original)
            self.s[PlantedDuplicate].add(kind="proposal", original_id=original_id, duplicate_id=pid)
            self.planted += 1
        if doc is None:
            doc = ctx.text.proposal(org.place)
            if visible:
                if len(pool) < RESERVOIR:
                    pool.append((pid, doc))
                else:
                    pool[r.randrange(RESERVOIR)] = (pid, doc)
        cosigners: list[int] = []
        if kind == "joint":
            cosigners = [
                m for m in r.sample(seats, min(len(seats), r.randint(3, 5))) if m != author
            ]
        return Spec(pid, status, doc, author, kind, is_plenary, submitted, created, cosigners)

    # --- rows ------------------------------------------------------------------------------

    def _write(self, org: OrgInfo, sess: SessionInfo, s: Spec) -> None:
        ctx, r = self.ctx, self.ctx.rng
        at = s.submitted_at or s.created_at
        accepted_at = closed_at = None
        reason = ""
        if s.status in (P.ACCEPTED, P.HANDLING, P.CLOSED, P.MERGED, P.CONVERTED, P.REJECTED):
            start = max(at, ctx.at(sess.closes_on)) if s.is_plenary else at
            decided = min(start + dt.timedelta(days=r.uniform(10, 30)), ctx.now)
            if s.status in NUMBERED:
                accepted_at = decided
            elif s.status == P.CONVERTED:
                reason = "内容更适合以社情民意信息形式反映，转有关部门参考。"
            elif s.status == P.REJECTED:
                reason = "内容空泛，没有具体建议。"
            elif s.status == P.MERGED:
                reason = "与同类提案并案办理。"
            updated = decided
        elif s.status == P.RETURNED:
            reason = "请补充具体建议后重新提交。"
            updated = min(at + dt.timedelta(days=3), ctx.now)
        else:
            updated = at
        is_key = s.status in (P.HANDLING, P.CLOSED) and r.random() < 0.055
        confirmed = s.status not in (P.DRAFT, P.IN_REVIEW)
        signed: list[int] = []
        for m in s.cosigners:
            state = "confirmed" if confirmed or r.random() < 0.6 else "invited"
            if state == "confirmed":
                signed.append(m)
            self.s[Cosigner].add(
                proposal_id=s.id,
                membership_id=m,
                status=state,
                created_at=s.created_at,
                responded_at=s.created_at + DAY if state == "confirmed" else None,
            )
        if accepted_at is not None and s.status != P.ACCEPTED:
            closed_at = self._assign(org, s, accepted_at, is_key)
            updated = max(updated, closed_at or accepted_at)
        collective_type = collective_name = ""
        if s.kind == "collective":
            collective_type, name = r.choice(COLLECTIVE)
            collective_name = name.format(place=org.place)
        consent = r.random() < 0.9
        self.s[Proposal].add(
            id=s.id,
            created_at=s.created_at,
            updated_at=updated,
            org_id=org.id,
            session_id=sess.id,
            kind=s.kind,
            author_id=s.author,
            collective_type=collective_type,
            collective_name=collective_name,
            title=s.doc.title,
            situation=s.doc.situation,
            analysis=s.doc.analysis,
            suggestions=s.doc.suggestions,
            category=s.doc.category,
            publish_consent=consent,
            publish_approved=s.status == P.CLOSED and consent and r.random() < 0.4,
            status=s.status,
            review_stage=r.randrange(3)
            if s.status == P.IN_REVIEW
            else (2 if accepted_at or s.status in (P.MERGED, P.CONVERTED, P.REJECTED) else 0),
            is_plenary=s.is_plenary,
            number=s.number,
            merged_into_id=s.merged_into,
            decision_reason=reason,
            submitted_at=s.submitted_at,
            accepted_at=accepted_at,
            closed_at=closed_at if s.status == P.CLOSED else None,
            is_key=is_key,
            supervisor_id=org.staff["leader"][0] if is_key else None,
        )
        if s.submitted_at and s.status not in (P.DRAFT, P.WITHDRAWN):
            self.facts.append(
                (
                    s.id,
                    org.id,
                    s.author,
                    s.kind,
                    tuple(signed),
                    s.submitted_at,
                    accepted_at,
                    is_key,
                    s.doc.title,
                )
            )
        if is_key:
            self.s[SupervisionEntry].add(
                proposal_id=s.id,
                date=(accepted_at or ctx.now).date() + dt.timedelta(days=30),
                kind="meeting",
                note="召开重点提案督办座谈会，听取承办单位办理情况汇报。",
                recorded_by_id=org.staff["proposal_office"][0],
            )

    def _assign(self, org: OrgInfo, s: Spec, accepted_at: dt.datetime, key: bool) -> dt.datetime:
        """Assignments of an accepted proposal; returns when its handling ended (or began)."""
        ctx, r = self.ctx, self.ctx.rng
        mode = r.choices(["sole", "lead_co", "split"], weights=[60, 30, 10])[0]
        count = {"sole": 1, "lead_co": r.randint(2, 3), "split": 2}[mode]
        units: list[int] = []
        while len(units) < min(count, len(org.units)):
            u = ctx.pick_weighted(org.units, org.unit_weights)
            if u not in units:
                units.append(u)
        roles = (
            ["sole"]
            if mode == "sole"
            else ["lead"] + ["co"] * (len(units) - 1)
            if mode == "lead_co"
            else ["split"] * len(units)
        )
        assigned = min(accepted_at + dt.timedelta(days=r.uniform(3, 10)), ctx.now)
        closed = s.status == P.CLOSED
        stage = A.DONE if closed else _pick(ctx, STAGES)
        if stage == A.DRAFTED and mode != "lead_co":
            stage = A.IN_AUDIT
        raters = [s.author, *s.cosigners]
        end = assigned
        for unit, role in zip(units, roles, strict=True):
            end = max(end, self._assignment(org, s, unit, role, assigned, stage, raters, key))
        return end

    def _assignment(
        self,
        org: OrgInfo,
        s: Spec,
        unit: int,
        role: str,
        assigned: dt.datetime,
        stage: str,
        raters: list[int],
        key: bool,
    ) -> dt.datetime:
        ctx, r = self.ctx, self.ctx.rng
        day = assigned.date()
        first_due = day + dt.timedelta(days=90)
        extended = r.random() < 0.05
        due = first_due + dt.timedelta(days=60) if extended else first_due
        status = stage
        if role == "co":  # a co-handler sends its opinion to the lead unit
            co_status: dict[str, str] = {
                A.TO_SIGN: A.TO_SIGN,
                A.REASSIGN_REQUESTED: A.HANDLING,
                A.HANDLING: r.choice([A.HANDLING, A.OPINION_SENT]),
            }
            status = co_status.get(stage, A.OPINION_SENT)
            if stage == A.DONE:
                status = A.DONE
        signed = (
            None
            if status in (A.TO_SIGN,)
            else min(assigned + dt.timedelta(days=r.uniform(0.2, 5)), ctx.now)
        )
        replying = role != "co"
        has_reply = replying and status in (A.DRAFTED, A.IN_AUDIT, A.RATING, A.DONE)
        replied = rating_due = done = None
        if status in (A.RATING, A.DONE) and replying:
            replied = min(assigned + dt.timedelta(days=r.uniform(40, 88)), ctx.now)
            rating_due = replied.date() + dt.timedelta(days=21)
        if status == A.DONE:
            base = replied or min(assigned + dt.timedelta(days=r.uniform(20, 60)), ctx.now)
            done = min(base + dt.timedelta(days=r.uniform(3, 20)), ctx.now)
        aid = self.s[Assignment].add(
            created_at=assigned,
            updated_at=done or replied or signed or assigned,
            proposal_id=s.id,
            unit_id=unit,
            role=role,
            status=status,
            round=1,
            assigned_at=assigned,
            sign_due_on=day + dt.timedelta(days=7),
            signed_at=signed,
            first_due_on=first_due,
            due_on=due,
            reassign_reason="本单位职责不涉及该事项，建议调整。"
            if status == A.REASSIGN_REQUESTED
            else "",
            extension_requested_to=due if extended else None,
            extension_reason="涉及多部门协调，需延期答复。" if extended else "",
            co_opinion="原则同意，将配合主办单位做好相关工作。"
            if role == "co" and status in (A.OPINION_SENT, A.DONE)
            else "",
            reply_text=ctx.text.reply(s.doc, s.doc.title) if has_reply else "",
            result_class=r.choice("AAABBC") if has_reply else "",
            countersigned_units=[],
            replied_at=replied,
            rating_due_on=rating_due,
            done_at=done,
        )
        if replying and signed is not None and status != A.REASSIGN_REQUESTED and r.random() < 0.85:
            self.s[Contact].add(
                assignment_id=aid,
                date=min(signed.date() + dt.timedelta(days=r.randint(5, 30)), ctx.today),
                way=r.choice(["visit", "meeting", "phone", "phone"]),
                person="第一提案人",
                note="就提案办理思路与提案人沟通，听取意见。",
                recorded_by_id=org.unit_users[unit],
                created_at=signed,
            )
        if replying and status == A.DONE and done is not None:
            for m in raters:
                self.s[Rating].add(
                    assignment_id=aid,
                    membership_id=m,
                    round=1,
                    value=r.choice(RATING_VALUES),
                    contacted_before_reply=r.random() < 0.92,
                    comment="",
                    created_at=done,
                )
        return done or replied or signed or assigned


def run(ctx: Ctx) -> None:
    maker = ProposalMaker(ctx)
    for org in ctx.orgs:
        for sess in org.sessions:
            if sess.year >= ctx.year - 4:
                maker.session(org, sess)
    ctx.out(f"  planted duplicates: {maker.planted}")
