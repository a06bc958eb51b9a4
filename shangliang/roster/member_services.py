"""Adding one member and editing a member; the pages and the API both call these.

Members also arrive in bulk from a roster file (``services.roster_import_*``). The rules
for recognising a person are the same: a mobile number identifies an account, and the
account with that number is the same person only if the name matches (a provincial member
who also sits on a city committee has one account and two memberships).

The status is not edited here: it changes only through the membership workflow
(``accounts.services.membership_act``: suspend, reinstate, propose and decide an exit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shangliang.accounts import services as account_services
from shangliang.accounts.access import can_edit_profile
from shangliang.accounts.models import Membership, User
from shangliang.accounts.permissions import require
from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, Forbidden, Invalid, NotFound, invalid_from_django
from shangliang.orgs.models import Committee, Group, Organization, Sector, Term
from shangliang.roster import columns as col
from shangliang.roster.validation import free_username, username_base

# The person's profile, shared by all their memberships, and the fields of one membership.
PROFILE_FIELDS = ("name", "phone", "gender", "ethnicity", "birth_month", "party", "workplace")
SEAT_FIELDS = ("position", "sector", "committee", "groups", "joined_on")
BLANK_FILLABLE = ("gender", "ethnicity", "birth_month", "party", "workplace")


class AlreadyMember(Conflict):
    code = "already_member"
    default_detail = gettext_lazy("此人已是本届委员。")


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, fields={field: [message]})


def _parse(field: str, parse: Callable[[Any], Any], value: Any) -> Any:
    try:
        return parse(value)
    except col.CellError as exc:
        raise _invalid(field, str(exc)) from None


def _phone(value: Any) -> str:
    phone = account_services.normalize_phone(None if value is None else str(value))
    if phone is None:
        raise _invalid("phone", _("请填写手机号。"))
    return phone


PARSERS: dict[str, Callable[[Any], Any]] = {
    "name": col.parse_name,
    "gender": col.parse_gender,
    "ethnicity": lambda v: col.parse_text("ethnicity", v),
    "birth_month": col.parse_birth_month,
    "party": lambda v: col.parse_text("party", v),
    "workplace": lambda v: col.parse_text("workplace", v),
}


def clean_profile(values: dict[str, Any]) -> dict[str, Any]:
    """The given profile fields, normalised (a name without padding, an 11-digit phone, a
    birth month on the 1st; 1975年3月 and 1975-03 read like the import reads them)."""
    out: dict[str, Any] = {}
    for field, value in values.items():
        if field == "phone":
            out[field] = _phone(value)
        else:
            out[field] = _parse(field, PARSERS[field], value)
    probe = User(username="x", **out)  # lengths and choices, before anything is looked up
    try:
        probe.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in out])
    except ValidationError as exc:
        raise invalid_from_django(exc) from exc
    return out


def _check_part(org: Organization, field: str, part: Any, current: set[int]) -> None:
    if part is None:
        return
    if part.org_id != org.pk:
        raise _invalid(field, _("“%(p)s”不属于%(o)s。") % {"p": part, "o": org})
    if not part.is_active and part.pk not in current:
        raise _invalid(field, _("“%(p)s”已停用，不能选择。") % {"p": part})


def _check_parts(
    org: Organization,
    parts: dict[str, Any],
    current: Membership | None = None,
) -> None:
    """Sector, committee and groups must be the organisation's own (and active, unless the
    member already has them)."""
    for field in ("sector", "committee"):
        if field in parts:
            held = {getattr(current, f"{field}_id")} if current is not None else set()
            _check_part(org, field, parts[field], held)
    if "groups" in parts:
        held = {g.pk for g in current.groups.all()} if current is not None else set()
        for group in parts["groups"]:
            _check_part(org, "groups", group, held)


def _month(value: dt.date | None) -> str | None:
    return value.strftime("%Y-%m") if value else None


def snapshot(m: Membership) -> dict[str, Any]:
    """What the audit trail records of a member (before and after a change)."""
    u = m.user
    return {
        "name": u.name,
        "phone": u.phone,
        "gender": u.gender,
        "ethnicity": u.ethnicity,
        "birth_month": _month(u.birth_month),
        "party": u.party,
        "workplace": u.workplace,
        "position": m.position,
        "sector": m.sector_id,
        "committee": m.committee_id,
        "groups": sorted(m.groups.values_list("pk", flat=True)),
        "joined_on": m.joined_on.isoformat() if m.joined_on else None,
    }


def _full_clean(obj: Model, fields: Iterable[str]) -> None:
    """``full_clean`` of the fields being written (uniqueness included), not of the rest."""
    keep = set(fields)
    exclude = [f.name for f in obj._meta.get_fields() if f.concrete and f.name not in keep]
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise invalid_from_django(exc) from exc


def _save_user(user: User, fields: list[str]) -> None:
    _full_clean(user, fields)
    try:
        with transaction.atomic():
            user.save(update_fields=fields)
    except IntegrityError:  # someone took the phone number between the check and the save
        raise _invalid("phone", _phone_taken()) from None


def _phone_taken() -> str:
    return _("手机号已被他人使用，请核对姓名和手机号。")


# --- adding -------------------------------------------------------------------------------


def _new_account(actor: Any, profile: dict[str, Any]) -> User:
    phone = profile["phone"]
    taken = set(
        User.objects.filter(username=username_base(phone)).values_list("username", flat=True)
    )
    fields = {k: v for k, v in profile.items() if k not in ("name", "phone")}
    try:
        return account_services.user_create(
            actor=actor,
            username=free_username(phone, taken),
            name=profile["name"],
            phone=phone,
            password=None,  # unusable: they sign in once an administrator sets a password
            **fields,
        )
    except IntegrityError:
        raise Conflict(_("刚才有人同时登记了这个手机号，请刷新后重试。")) from None


def _fill_blanks(user: User, profile: dict[str, Any]) -> list[str]:
    """An existing account keeps its details; only blank ones are filled (as the import does)."""
    filled = [f for f in BLANK_FILLABLE if not getattr(user, f) and profile.get(f)]
    for f in filled:
        setattr(user, f, profile[f])
    if filled:
        _save_user(user, filled)
    return filled


@transaction.atomic
def member_add(
    *,
    actor: Any,
    org: Organization,
    term: Term,
    name: str,
    phone: str,
    gender: str = "",
    ethnicity: str = "",
    birth_month: dt.date | str | None = None,
    party: str = "",
    workplace: str = "",
    position: str = "member",
    sector: Sector | None = None,
    committee: Committee | None = None,
    groups: Iterable[Group] = (),
) -> Membership:
    """Add one person to ``org``'s roster for ``term``; their account is found by the mobile
    number (the same person if the name matches) or created with an unusable password."""
    require(actor, "orgs.manage_roster", org)
    if term.org_id != org.pk:
        raise _invalid("term", _("届次不属于%(o)s。") % {"o": org})
    groups = list(groups)
    _check_parts(org, {"sector": sector, "committee": committee, "groups": groups})
    profile = clean_profile(
        {
            "name": name,
            "phone": phone,
            "gender": gender,
            "ethnicity": ethnicity,
            "birth_month": birth_month,
            "party": party,
            "workplace": workplace,
        }
    )
    user = User.objects.filter(phone=profile["phone"]).first()
    filled: list[str] = []
    if user is None:
        user = _new_account(actor, profile)
        new_account = True
    else:
        new_account = False
        if not col.same_name(user.name, profile["name"]):
            raise _invalid("phone", _phone_taken())
        if Membership.objects.filter(user=user, org=org, term=term).exists():
            raise _already_member(user, org, term)
        filled = _fill_blanks(user, profile)
    try:
        m = account_services.membership_add(
            actor=actor,
            user=user,
            org=org,
            term=term,
            position=position,
            sector=sector,
            committee=committee,
            groups=groups,
            audit_action="roster.member_added",
            audit_data=lambda m: {
                "before": {},
                "after": snapshot(m),
                "new_account": new_account,
                "filled": filled,
            },
        )
    except Conflict:  # the same person added at the same moment by someone else
        raise _already_member(user, org, term) from None
    return m


def _already_member(user: User, org: Organization, term: Term) -> AlreadyMember:
    message = _("%(u)s 已是%(o)s%(t)s委员，不能重复添加。") % {
        "u": user.display_name,
        "o": org,
        "t": term.name,
    }
    return AlreadyMember(message, fields={"phone": [message]})


# --- editing ------------------------------------------------------------------------------


def _refuse_unknown(changes: dict[str, Any]) -> None:
    if "status" in changes:
        raise _invalid(
            "status",
            _("状态不能在这里修改，请使用“暂停履职”“恢复履职”“提请退出”等操作。"),
        )
    unknown = sorted(set(changes) - set(PROFILE_FIELDS) - set(SEAT_FIELDS))
    if unknown:
        raise Invalid(
            _("不能修改这些字段：%(f)s") % {"f": ", ".join(unknown)},
            fields={f: [_("不能修改")] for f in unknown},
        )


def _locked(membership: Membership) -> Membership:
    """The membership and its person, read again under a row lock (PostgreSQL)."""
    rows = Membership.objects.filter(pk=membership.pk)
    if connection.features.has_select_for_update:
        no_key = connection.vendor == "postgresql"
        # .order_by(): the default ordering joins the (nullable) sector, which cannot be locked
        lock = rows.order_by().select_for_update(no_key=no_key)
        if not list(lock.values_list("pk", flat=True)):
            raise NotFound()
        list(
            User.objects.filter(pk=membership.user_id)
            .select_for_update(no_key=no_key)
            .values_list("pk", flat=True)
        )
    m = rows.select_related("user", "org", "term", "sector", "committee").first()
    if m is None:
        raise NotFound()
    return m


def _profile_refused(user: User, fields: Iterable[str]) -> Forbidden:
    message = _(
        "%(u)s 还在您无权管理的政协任职或担任职务，姓名、手机号等个人信息须由共同的上级政协修改；"
        "您可以修改其在本会的职务、界别、专委会、小组和任职日期。"
    ) % {"u": user.display_name}
    return Forbidden(message, fields={f: [message] for f in fields})


def _pk(value: Any) -> int | None:
    return None if value is None else int(value.pk)


@transaction.atomic
def member_update(*, actor: Any, membership: Membership, **changes: Any) -> Membership:
    """Change a member's seat (position, sector, committee, groups, joined_on) and the
    person's profile (name, phone, gender, ethnicity, birth_month, party, workplace).

    Only the fields given are changed. The profile is shared by every committee the person
    serves in: changing it needs ``accounts.edit_profile`` too (see ``access``)."""
    require(actor, "orgs.manage_roster", membership.org)
    _refuse_unknown(changes)
    m = _locked(membership)
    user = m.user
    before = snapshot(m)
    profile = clean_profile({k: v for k, v in changes.items() if k in PROFILE_FIELDS})
    seat = {k: v for k, v in changes.items() if k in SEAT_FIELDS}
    if "groups" in seat:
        seat["groups"] = list(seat["groups"] or [])
    _check_parts(m.org, seat, current=m)

    profile_changed = [f for f, v in profile.items() if getattr(user, f) != v]
    if profile_changed:
        if not can_edit_profile(actor, user):
            raise _profile_refused(user, profile_changed)
        phone = profile.get("phone")
        if phone and User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
            raise _invalid("phone", _phone_taken())
        for f in profile_changed:
            setattr(user, f, profile[f])
        _save_user(user, profile_changed)

    seat_changed = [
        f
        for f, v in seat.items()
        if f != "groups"
        and (
            getattr(m, f"{f}_id") != _pk(v) if f in ("sector", "committee") else getattr(m, f) != v
        )
    ]
    for f in seat_changed:
        setattr(m, f, seat[f])
    if seat_changed:
        _full_clean(m, seat_changed)
        m.save(update_fields=[*seat_changed, "updated_at"])
    if "groups" in seat and {g.pk for g in seat["groups"]} != set(before["groups"]):
        m.groups.set(seat["groups"])

    after = snapshot(m)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        audit_record(
            actor=actor,
            action="roster.member_updated",
            target=m,
            data={
                "before": {k: before[k] for k in changed},
                "after": {k: after[k] for k in changed},
            },
        )
    return m
