"""Phase two of an import: create the accounts and memberships of a checked plan in bulk.

Called inside the service's transaction. The number of queries grows with rows / BATCH,
never with rows: bulk inserts for users, memberships and the groups through-table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from shangliang.accounts.models import Membership, User
from shangliang.orgs.models import Organization, Term
from shangliang.roster.validation import ImportPlan, ImportRow

BATCH = 500


@dataclass(frozen=True)
class ImportCounts:
    created_users: int
    matched_users: int
    created_memberships: int
    filled_profiles: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _new_user(row: ImportRow) -> User:
    user = User(
        username=row.username,
        name=row.name,
        phone=row.phone,
        gender=row.gender,
        ethnicity=row.ethnicity,
        birth_month=row.birth_month,
        party=row.party,
        workplace=row.workplace,
    )
    user.set_unusable_password()  # they sign in after an administrator sets a password
    return user


def _create_users(rows: list[ImportRow]) -> None:
    users = [_new_user(r) for r in rows]
    User.objects.bulk_create(users, batch_size=BATCH)
    if any(u.pk is None for u in users):  # a database that cannot return ids from bulk inserts
        ids: dict[str | None, int] = {}
        phones = [r.phone for r in rows]
        for start in range(0, len(phones), BATCH):
            chunk = phones[start : start + BATCH]
            ids.update(User.objects.filter(phone__in=chunk).values_list("phone", "id"))
        for user in users:
            user.pk = ids[user.phone]
    for row, user in zip(rows, users, strict=True):
        row.user_id = user.pk


def _fill_profiles(rows: list[ImportRow]) -> int:
    """Matched accounts get the row's values for profile fields that are still blank."""
    by_fields: dict[tuple[str, ...], list[User]] = defaultdict(list)
    for row in rows:
        if row.fill:
            by_fields[tuple(sorted(row.fill))].append(User(pk=row.user_id, **row.fill))
    for fields, users in by_fields.items():
        User.objects.bulk_update(users, list(fields), batch_size=BATCH)
    return sum(len(users) for users in by_fields.values())


def _user_id(row: ImportRow) -> int:
    if row.user_id is None:
        raise ValueError(f"row {row.row} has no account")
    return row.user_id


def _create_memberships(org: Organization, term: Term, rows: list[ImportRow]) -> int:
    memberships = [
        Membership(
            user_id=_user_id(row),
            org=org,
            term=term,
            position=row.position,
            sector_id=row.sector_id,
            committee_id=row.committee_id,
            joined_on=term.starts_on,
        )
        for row in rows
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    if any(m.pk is None for m in memberships):
        ids = dict(Membership.objects.filter(org=org, term=term).values_list("user_id", "id"))
        for m in memberships:
            m.pk = ids[m.user_id]
    through = Membership.groups.through
    links = [
        through(membership_id=m.pk, group_id=group_id)
        for m, row in zip(memberships, rows, strict=True)
        for group_id in row.group_ids
    ]
    through.objects.bulk_create(links, batch_size=BATCH * 2)
    return len(memberships)


def write_plan(*, org: Organization, term: Term, plan: ImportPlan) -> ImportCounts:
    new_rows = [r for r in plan.rows if r.user_id is None]
    matched = [r for r in plan.rows if r.user_id is not None]
    _create_users(new_rows)
    filled = _fill_profiles(matched)
    created = _create_memberships(org, term, plan.rows)
    return ImportCounts(
        created_users=len(new_rows),
        matched_users=len(matched),
        created_memberships=created,
        filled_profiles=filled,
    )
