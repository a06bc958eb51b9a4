"""Phase one of an import: read every row and check it, writing nothing.

The database is asked a fixed number of questions per 500 rows (existing accounts with these
phone numbers, their memberships in this term, usernames already taken), never one per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from shangliang.accounts.models import Membership, User
from shangliang.core.xlsx import cell_text
from shangliang.orgs.models import Committee, Group, Organization, Sector, Term
from shangliang.roster import columns as col
from shangliang.roster.columns import CellError

CHUNK = 500
PROFILE_FIELDS = ("gender", "ethnicity", "birth_month", "party", "workplace")
Progress = Callable[[int], None]


@dataclass
class ImportRow:
    row: int
    name: str
    phone: str
    gender: str = ""
    ethnicity: str = ""
    birth_month: dt.date | None = None
    party: str = ""
    workplace: str = ""
    position: str = str(Membership.Position.MEMBER)
    sector_id: int | None = None
    committee_id: int | None = None
    group_ids: list[int] = field(default_factory=list)
    username: str = ""  # for a new account
    user_id: int | None = None  # the existing account of the same person
    fill: dict[str, Any] = field(default_factory=dict)  # blank profile fields it may fill


@dataclass
class ImportPlan:
    total: int
    rows: list[ImportRow]
    errors: list[dict[str, Any]]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Lookups:
    sectors: dict[str, int]
    committees: dict[str, int]
    groups: dict[str, int]
    positions: dict[str, str]

    @classmethod
    def for_org(cls, org: Organization) -> Lookups:
        def names(model: Any) -> dict[str, int]:
            return dict(model.objects.filter(org=org, is_active=True).values_list("name", "id"))

        return cls(names(Sector), names(Committee), names(Group), col.position_choices())


class _Row:
    """Collects one row's values and errors."""

    def __init__(self, number: int, values: tuple[Any, ...], columns: dict[str, int]) -> None:
        self.number, self.values, self.columns = number, values, columns
        self.errors: list[dict[str, Any]] = []

    def raw(self, key: str) -> Any:
        index = self.columns.get(key)
        return self.values[index] if index is not None and index < len(self.values) else None

    def read(self, key: str, parse: Callable[[Any], Any], default: Any = "") -> Any:
        try:
            return parse(self.raw(key))
        except CellError as exc:
            self.error(key, str(exc))
            return default

    def error(self, key: str, message: str) -> None:
        self.errors.append(error(self.number, key, message))

    def lookup(self, key: str, table: dict[str, int], message: str) -> int | None:
        name = cell_text(self.raw(key))
        if not name:
            return None
        if name not in table:
            self.error(key, message % {"v": name})
        return table.get(name)


def error(row: int, key: str, message: str) -> dict[str, Any]:
    return {"row": row, "column": col.BY_KEY[key].header, "message": message}


def parse_row(
    number: int, values: tuple[Any, ...], columns: dict[str, int], lookups: Lookups
) -> tuple[ImportRow, list[dict[str, Any]]]:
    """One row's values; the row may be imported only if the error list is empty."""
    r = _Row(number, values, columns)
    item = ImportRow(
        row=number,
        name=r.read("name", col.parse_name),
        phone=r.read("phone", col.parse_phone),
        gender=r.read("gender", col.parse_gender),
        ethnicity=r.read("ethnicity", lambda v: col.parse_text("ethnicity", v)),
        birth_month=r.read("birth_month", col.parse_birth_month, None),
        party=r.read("party", lambda v: col.parse_text("party", v)),
        workplace=r.read("workplace", lambda v: col.parse_text("workplace", v)),
        position=r.read("position", lambda v: col.parse_position(v, lookups.positions)),
        username=r.read("username", col.parse_username),
        sector_id=r.lookup("sector", lookups.sectors, _("未知界别“%(v)s”：请从下拉列表选择。")),
        committee_id=r.lookup(
            "committee", lookups.committees, _("未知专委会“%(v)s”：请从下拉列表选择。")
        ),
    )
    for name in col.parse_groups(r.raw("groups")):
        if name in lookups.groups:
            item.group_ids.append(lookups.groups[name])
        else:
            r.error("groups", _("未知小组“%(v)s”。") % {"v": name})
    return item, r.errors


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def validate_rows(
    *,
    org: Organization,
    term: Term,
    rows: Iterable[tuple[int, tuple[Any, ...]]],
    columns: dict[str, int],
    progress: Progress | None = None,
) -> ImportPlan:
    lookups = Lookups.for_org(org)
    good: list[ImportRow] = []
    errors: list[dict[str, Any]] = []
    first_phone: dict[str, int] = {}
    first_username: dict[str, int] = {}
    total = 0
    for number, values in rows:
        total += 1
        item, row_errors = parse_row(number, values, columns, lookups)
        if item.phone in first_phone:
            message = _("手机号与第 %(r)s 行重复。") % {"r": first_phone[item.phone]}
            row_errors.append(error(number, "phone", message))
        elif item.phone:
            first_phone[item.phone] = number
        if item.username in first_username:
            message = _("用户名与第 %(r)s 行重复。") % {"r": first_username[item.username]}
            row_errors.append(error(number, "username", message))
        elif item.username:
            first_username[item.username] = number
        errors.extend(row_errors)
        if not row_errors:
            good.append(item)
        if progress and total % CHUNK == 0:
            progress(total)
    errors.extend(_match_existing(org=org, term=term, rows=good))
    errors.sort(key=lambda e: (e["row"], _column_order(e["column"])))
    bad_rows = {e["row"] for e in errors}
    return ImportPlan(total=total, rows=[r for r in good if r.row not in bad_rows], errors=errors)


def _column_order(header: str) -> int:
    return next((i for i, c in enumerate(col.COLUMNS) if c.header == header), len(col.COLUMNS))


def _match_existing(
    *, org: Organization, term: Term, rows: list[ImportRow]
) -> list[dict[str, Any]]:
    """Accounts that already hold a row's phone number: the same person, or an error."""
    errors: list[dict[str, Any]] = []
    by_phone = {r.phone: r for r in rows}
    for chunk in _chunks(list(by_phone)):
        for user in User.objects.filter(phone__in=chunk).values(
            "id", "name", "phone", *PROFILE_FIELDS
        ):
            row = by_phone[user["phone"]]
            if not col.same_name(user["name"], row.name):
                errors.append(
                    error(
                        row.row,
                        "phone",
                        _("手机号已被另一位姓名不同的用户使用，请核对姓名和手机号。"),
                    )
                )
                continue
            row.user_id = user["id"]
            row.fill = {
                f: getattr(row, f) for f in PROFILE_FIELDS if not user[f] and getattr(row, f)
            }
    matched = {r.user_id: r for r in rows if r.user_id}
    for chunk in _chunks(list(matched)):
        members = Membership.objects.filter(org=org, term=term, user_id__in=chunk)
        for user_id in members.values_list("user_id", flat=True):
            errors.append(error(matched[user_id].row, "name", _("已是本届委员，不能重复导入。")))
    errors.extend(_assign_usernames([r for r in rows if not r.user_id]))
    return errors


def _assign_usernames(rows: list[ImportRow]) -> list[dict[str, Any]]:
    """Explicit usernames must be free; the others become "m" + phone (or m…_2 if taken)."""
    errors: list[dict[str, Any]] = []
    explicit = {r.username: r for r in rows if r.username}
    for chunk in _chunks(list(explicit)):
        for taken in User.objects.filter(username__in=chunk).values_list("username", flat=True):
            errors.append(
                error(explicit[taken].row, "username", _("用户名“%(u)s”已被占用。") % {"u": taken})
            )
    derived = {username_base(r.phone): r for r in rows if not r.username}
    used = set(explicit)
    for chunk in _chunks(list(derived)):
        used.update(User.objects.filter(username__in=chunk).values_list("username", flat=True))
    for row in derived.values():
        row.username = free_username(row.phone, used)
        used.add(row.username)
    return errors


def username_base(phone: str) -> str:
    return f"m{phone}"


def free_username(phone: str, used: set[str]) -> str:
    """A new account's username: "m" + phone, or m…_2, m…_3… when that is taken. ``used``
    holds the names known to be taken; if the plain name is among them, the database is asked
    for the rest."""
    base = username_base(phone)
    if base not in used:
        return base
    # rare: someone already has "m" + this phone as a username
    used.update(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    return next(f"{base}_{n}" for n in range(2, 10_000) if f"{base}_{n}" not in used)
