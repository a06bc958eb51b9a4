"""Stage 2: people. Members of two terms (most of the current term's members also served in
the previous one), staff roles, one user per handling unit, and the members' workstations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from shangliang.accounts.models import Membership, Role, UnitUser, User
from shangliang.orgs.models import Workstation
from shangliang.scale import vocab
from shangliang.scale.context import Ctx, OrgInfo

CARRIED = 0.8  # share of the current term's members who also served in the previous term
STAFF = [
    ("proposal_office", 2, "提案委员会办公室"),
    ("info_office", 1, "信息处"),
    ("committee_office", 1, "研究室"),
    ("general_office", 1, "办公厅"),
    ("leader", 1, "秘书长"),
    ("admin", 1, "信息中心"),
]
PERSONAS = {  # province-level accounts the benchmark logs in as
    "proposal_office": "bench_office",
    "info_office": "bench_info",
    "leader": "bench_leader",
}


def _user(ctx: Ctx, prefix: str, *, org: OrgInfo, username: str | None = None) -> int:
    r = ctx.rng
    sink = ctx.sinks[User]
    pk = sink.new_id()
    sink.add(
        id=pk,
        password=ctx.password_hash,
        username=username or f"{prefix}{pk}",
        name=ctx.text.name(),
        phone=f"139{pk:08d}" if prefix == "m" else None,
        gender=r.choice("MMF"),
        ethnicity=r.choice(vocab.ETHNICITIES),
        birth_month=dt.date(r.randint(1958, 1990), r.randint(1, 12), 1),
        party=r.choice(vocab.PARTIES),
        workplace=r.choice(vocab.WORKPLACES).format(place=org.place) if prefix == "m" else "",
        date_joined=ctx.at(org.term_starts[0] if org.term_starts else ctx.today),
    )
    return pk


def _position(i: int, seats: int) -> str:
    if i == 0:
        return "chair"
    if i <= 6:
        return "vice_chair"
    if i == 7:
        return "secretary_general"
    return "standing" if i < 8 + seats // 8 else "member"


def _members(ctx: Ctx, org: OrgInfo) -> None:
    r = ctx.rng
    seats = ctx.preset.seats[org.level - 1]
    people = [
        _user(ctx, "m", org=org, username="bench_member" if org.level == 1 and i == 8 else None)
        for i in range(seats)
    ]
    previous = people[: int(seats * CARRIED)] + [
        _user(ctx, "m", org=org) for _ in range(seats - int(seats * CARRIED))
    ]
    r.shuffle(previous)
    groups_through = Membership.groups.through
    for term_index, (term_id, users) in enumerate(zip(org.terms, (previous, people), strict=True)):
        current = term_index == 1
        active: list[int] = []
        for i, user_id in enumerate(users):
            status = "active"
            roll = r.random()
            if current and i >= 8 and roll < 0.03:
                status = "exited" if roll < 0.02 else "suspended"
            mid = ctx.sinks[Membership].add(
                user_id=user_id,
                org_id=org.id,
                term_id=term_id,
                position=_position(i, seats),
                sector_id=r.choice(org.sectors),
                committee_id=r.choice(org.committees) if r.random() < 0.7 else None,
                status=status,
                status_reason="工作变动" if status != "active" else "",
                status_changed_on=ctx.today - dt.timedelta(days=r.randint(10, 300))
                if status != "active"
                else None,
                joined_on=org.term_starts[term_index],
            )
            org.seat_user[mid] = user_id
            if current and org.level == 1 and i == 8:
                ctx.extra["persona_seat"] = mid
            if status == "active":
                active.append(mid)
            study = org.groups[:8]
            work = org.groups[8:]
            ctx.sinks[groups_through].add(membership_id=mid, group_id=r.choice(study))
            if work and r.random() < 0.3:
                ctx.sinks[groups_through].add(membership_id=mid, group_id=r.choice(work))
        org.seats[term_id] = active


def _staff(ctx: Ctx, org: OrgInfo) -> None:
    for kind, n, title in STAFF:
        for i in range(n):
            username = PERSONAS.get(kind) if org.level == 1 and i == 0 else None
            uid = _user(ctx, "s", org=org, username=username)
            ctx.sinks[Role].add(user_id=uid, org_id=org.id, kind=kind, title=title)
            org.staff.setdefault(kind, []).append(uid)
    for unit_id in org.units:
        username = "bench_unit" if org.level == 1 and unit_id == org.units[0] else None
        uid = _user(ctx, "u", org=org, username=username)
        ctx.sinks[UnitUser].add(user_id=uid, unit_id=unit_id, is_manager=True)
        org.unit_users[unit_id] = uid


def _workstations(ctx: Ctx) -> None:
    r = ctx.rng
    through = Workstation.members.through
    kinds = ["studio", "station", "room"]
    total = ctx.preset.workstations
    weights = [ctx.preset.seats[o.level - 1] for o in ctx.orgs]
    for n in range(total):
        org = r.choices(ctx.orgs, weights=weights, k=1)[0]
        kind = kinds[n % 3]
        label = {"studio": "委员工作室", "station": "委员工作站", "room": "协商议事室"}[kind]
        stem = vocab.PLACE_STEMS[n % len(vocab.PLACE_STEMS)]
        wid = ctx.sinks[Workstation].add(
            org_id=org.id,
            name=f"{org.place}{stem}{label}（{n + 1}）",
            order=n,
            is_active=True,
            kind=kind,
            address=f"{org.place}{stem}路{r.randint(1, 300)}号",
            latitude=Decimal("28.1") + Decimal(r.randint(0, 99999)) / 100000,
            longitude=Decimal("112.9") + Decimal(r.randint(0, 99999)) / 100000,
            contact_phone=f"0731-{r.randint(2000000, 8999999)}",
            description=ctx.text.sentence(),
        )
        org.workstations.append(wid)
        seats = org.seats[org.terms[-1]]
        for mid in r.sample(seats, min(len(seats), r.randint(2, 4))):
            ctx.sinks[through].add(workstation_id=wid, membership_id=mid)


def run(ctx: Ctx) -> None:
    for org in ctx.orgs:
        _members(ctx, org)
        _staff(ctx, org)
    _workstations(ctx)
    samples: list[str] = []
    for org in ctx.orgs:
        current = org.seats[org.terms[-1]]
        samples += [f"m{org.seat_user[m]}" for m in current[9 : 9 + 60]]
    ctx.samples["members"] = samples
    ctx.samples["units"] = [f"u{o.unit_users[u]}" for o in ctx.orgs for u in o.units[1:6]]
    ctx.samples["offices"] = [f"s{o.staff['proposal_office'][1]}" for o in ctx.orgs]
    ctx.personas.update(
        member="bench_member",
        office="bench_office",
        unit="bench_unit",
        info="bench_info",
        leader="bench_leader",
    )
