"""Stage 1: the committee tree (one province, its cities and counties), two terms each with
their sessions, and each committee's sectors, special committees, groups and units."""

from __future__ import annotations

import datetime as dt

from shangliang.orgs.models import Committee, Group, Organization, Sector, Session, Term, Unit
from shangliang.scale import vocab
from shangliang.scale.context import TZ, Ctx, OrgInfo, SessionInfo, zipf_cum

CN = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    if n < 10:
        return CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


def _org(ctx: Ctx, *, level: int, place: str, parent: OrgInfo | None) -> OrgInfo:
    sink = ctx.sinks[Organization]
    pk = sink.new_id()
    path = f"{parent.path if parent else '/'}{pk}/"
    name = f"中国人民政治协商会议{place}委员会"
    sink.add(
        id=pk,
        name=name,
        short_name=f"{place}政协",
        level=level,
        parent_id=parent.id if parent else None,
        path=path,
        region_code=f"43{len(ctx.orgs):04d}",
        is_active=True,
    )
    info = OrgInfo(
        id=pk,
        index=len(ctx.orgs),
        level=level,
        name=name,
        place=place,
        path=path,
        parent=parent.id if parent else None,
    )
    ctx.orgs.append(info)
    return info


def _places(ctx: Ctx) -> list[str]:
    suffixes = ["县", "区", "市"]
    names: list[str] = []
    for stem in vocab.PLACE_STEMS:
        names.append(stem + "县")
    i = 0
    while len(names) < ctx.preset.counties:  # more counties than stems: 长乐区, 长乐市 …
        stem = vocab.PLACE_STEMS[i % len(vocab.PLACE_STEMS)]
        names.append(stem + suffixes[1 + (i // len(vocab.PLACE_STEMS)) % 2])
        i += 1
    return names[: ctx.preset.counties]


def _terms_and_sessions(ctx: Ctx, org: OrgInfo) -> None:
    """Two five-year terms; the current one began three years before this year, and its
    next session is still ahead (its proposal deadline is in the future)."""
    year = ctx.year
    current_start = year - 3
    for number, start, is_current in ((12, current_start - 5, False), (13, current_start, True)):
        starts_on = dt.date(start, 1, 10)
        term_id = ctx.sinks[Term].add(
            org_id=org.id,
            number=number,
            name=f"第{cn_number(number)}届",
            starts_on=starts_on,
            ends_on=None if is_current else dt.date(start + 5, 1, 9),
            is_current=is_current,
        )
        org.terms.append(term_id)
        org.term_starts.append(starts_on)
        for n in range(1, 6):
            y = start + n - 1
            opens = dt.date(y, 1, 12 + org.level)
            upcoming = y > year
            deadline = dt.datetime(opens.year, opens.month, opens.day + 2, 18, 0, tzinfo=TZ)
            if upcoming and deadline < ctx.now:  # keep the next session's deadline ahead
                deadline = ctx.now + dt.timedelta(days=40)
            sid = ctx.sinks[Session].add(
                term_id=term_id,
                number=n,
                name=f"第{cn_number(number)}届第{cn_number(n)}次会议",
                opens_on=opens,
                closes_on=opens + dt.timedelta(days=4),
                proposal_deadline=deadline,
            )
            org.sessions.append(
                SessionInfo(
                    sid, term_id, y, opens, opens + dt.timedelta(days=4), deadline, upcoming
                )
            )


def _parts(ctx: Ctx, org: OrgInfo) -> None:
    sinks = ctx.sinks
    n_sectors = {1: 34, 2: 30, 3: 20}[org.level]
    for i, name in enumerate(vocab.SECTORS[:n_sectors]):
        org.sectors.append(sinks[Sector].add(org_id=org.id, name=name, order=i, is_active=True))
    n_committees = {1: 9, 2: 9, 3: 5}[org.level]
    for i, name in enumerate(vocab.COMMITTEES[:n_committees]):
        org.committees.append(
            sinks[Committee].add(org_id=org.id, name=name, order=i, is_active=True)
        )
    regions = list(vocab.CITIES) if org.level == 1 else vocab.PLACE_STEMS[:8]
    for i, region in enumerate(regions[:8]):
        org.groups.append(
            sinks[Group].add(
                org_id=org.id,
                name=f"第{cn_number(i + 1)}学习组（{region}片）",
                order=i,
                kind=Group.Kind.STUDY,
                region=region,
                is_active=True,
                sector_id=None,
            )
        )
    for i in range(6):
        org.groups.append(
            sinks[Group].add(
                org_id=org.id,
                name=f"{vocab.SECTORS[19 + i]}工作组",
                order=10 + i,
                kind=Group.Kind.WORK,
                sector_id=org.sectors[19 + i] if len(org.sectors) > 19 + i else None,
                region="",
                is_active=True,
            )
        )


def _units(ctx: Ctx, org: OrgInfo) -> None:
    """Departments first (they get most proposals), then party departments, courts,
    enterprises, and the towns or lower governments up to the preset's number."""
    prefix = org.place.removesuffix("委员会")
    suffix = {1: "厅", 2: "局", 3: "局"}[org.level]
    names: list[tuple[str, str]] = []
    for d in vocab.DEPARTMENTS:
        full = d if d.endswith(("委员会", "办公室", "中心", "联合会", "联合社")) else d + suffix
        names.append((f"{prefix}{full}", "government"))
    names += [(f"中共{prefix}{d}", "party") for d in vocab.PARTY_DEPTS]
    names += [(f"{prefix}{d}", "court") for d in vocab.COURTS[: 2 if org.level > 1 else 3]]
    names += [(f"{prefix}{d}", "enterprise") for d in vocab.ENTERPRISES]
    i = 0
    while len(names) < ctx.preset.units:
        stem = vocab.PLACE_STEMS[i % len(vocab.PLACE_STEMS)]
        kind = ["镇人民政府", "街道办事处", "乡人民政府"][i // len(vocab.PLACE_STEMS) % 3]
        names.append((f"{prefix}{stem}{kind}", "government"))
        i += 1
    for order, (name, kind) in enumerate(names[: ctx.preset.units]):
        org.units.append(
            ctx.sinks[Unit].add(
                org_id=org.id,
                name=name,
                order=order,
                kind=kind,
                is_active=True,
                short_name=name.removeprefix(prefix)[:40],
                contact_name=ctx.text.name(),
                contact_phone=f"0731-{8000000 + order:07d}",
            )
        )
    org.unit_weights = zipf_cum(len(org.units))


def run(ctx: Ctx) -> None:
    province = _org(ctx, level=1, place=vocab.PROVINCE, parent=None)
    cities = [
        _org(ctx, level=2, place=name, parent=province)
        for name in (vocab.CITIES * 3)[: ctx.preset.cities]
    ]
    for i, place in enumerate(_places(ctx)):
        _org(ctx, level=3, place=place, parent=cities[i % len(cities)])
    for org in ctx.orgs:
        _terms_and_sessions(ctx, org)
        _parts(ctx, org)
        _units(ctx, org)
