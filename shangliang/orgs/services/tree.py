"""Organisations, terms (届), sessions (次会议) and export records. See the package docstring
for the conventions (actor, one transaction, audit, permissions checked by the caller)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.audit import audit_record
from shangliang.core.errors import Invalid
from shangliang.orgs.models import Organization, Session, Term
from shangliang.orgs.services._common import (
    apply_values,
    field_error,
    lock_org,
    save_or,
    validate,
)

# A plenary's proposal deadline falls during the session (mid-session, domain/rules.md §1.8);
# collection may open months before it, so earlier deadlines are allowed up to this bound.
DEADLINE_EARLIEST_DAYS_BEFORE_OPENING = 180


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {"before": before, "after": after}


# --- organisations --------------------------------------------------------------------------


def _org_name_taken(name: str) -> Invalid:
    return field_error("name", _("同一上级下已有名为“%(name)s”的政协组织。") % {"name": name})


def _check_org(org: Organization) -> None:
    siblings = Organization.objects.filter(parent_id=org.parent_id, name=org.name)
    if siblings.exclude(pk=org.pk).exists():
        raise _org_name_taken(org.name)


@transaction.atomic
def org_create(
    *,
    actor: Any,
    name: str,
    level: int,
    parent: Organization | None = None,
    short_name: str = "",
    region_code: str = "",
) -> Organization:
    """Create a committee; a child's level must lie below its parent's, names are unique
    among siblings."""
    if parent is not None and level <= parent.level:
        raise Invalid(_("下级政协的层级必须低于上级。"), fields={"level": [_("层级无效")]})
    if parent is None and level > Organization.Level.PROVINCE:
        raise Invalid(_("市级、县级政协必须有上级。"), fields={"parent": [_("必填")]})
    org = Organization(
        name=name, level=level, parent=parent, short_name=short_name, region_code=region_code
    )
    validate(org, _check_org, exclude=["path"])
    save_or(org, duplicate=_org_name_taken(name))
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    audit_record(actor=actor, action="orgs.org_created", target=org, data={"name": name})
    return org


@transaction.atomic
def org_update(*, actor: Any, org: Organization, **values: Any) -> Organization:
    """Change a committee's name, short name or region code (not its place in the tree)."""
    allowed = {"name", "short_name", "region_code"}
    if set(values) - allowed:
        raise TypeError(f"only {sorted(allowed)} can be changed")
    before, after = apply_values(org, values)
    if not after:
        return org
    validate(org, _check_org, exclude=["path"])
    save_or(org, duplicate=_org_name_taken(org.name))
    audit_record(actor=actor, action="orgs.org_updated", target=org, data=_changes(before, after))
    return org


# --- terms ----------------------------------------------------------------------------------


def _term_number_taken(number: int) -> Invalid:
    return field_error("number", _("本组织已有第%(n)s届。") % {"n": number})


def _check_term(term: Term) -> None:
    if term.ends_on is not None and term.ends_on < term.starts_on:
        raise field_error("ends_on", _("结束日期不能早于开始日期。"))
    clash = Term.objects.filter(org_id=term.org_id, number=term.number).exclude(pk=term.pk)
    if clash.exists():
        raise _term_number_taken(term.number)


def _make_current(term: Term) -> int | None:
    """Make ``term`` its committee's current term; returns the previous current term's id."""
    lock_org(term.org)
    others = Term.objects.filter(org_id=term.org_id, is_current=True).exclude(pk=term.pk)
    previous = others.values_list("pk", flat=True).first()
    others.update(is_current=False)  # before the update below: one current term per org
    Term.objects.filter(pk=term.pk).update(is_current=True, updated_at=timezone.now())
    term.is_current = True
    return previous


@transaction.atomic
def term_create(
    *,
    actor: Any,
    org: Organization,
    number: int,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    current: bool = True,
) -> Term:
    """Create a term (届); with ``current`` it becomes the one current term of ``org``."""
    term = Term(
        org=org, number=number, name=name, starts_on=starts_on, ends_on=ends_on, is_current=False
    )
    validate(term, _check_term)
    save_or(term, duplicate=_term_number_taken(number))
    previous = _make_current(term) if current else None
    audit_record(
        actor=actor,
        action="orgs.term_created",
        target=term,
        data={"name": name, "current": current, "previous_current": previous},
    )
    return term


@transaction.atomic
def term_update(*, actor: Any, term: Term, **values: Any) -> Term:
    """Change a term's number, name or dates (``term_set_current`` switches the current one)."""
    if "is_current" in values:
        raise TypeError("use term_set_current")
    before, after = apply_values(term, values)
    if not after:
        return term
    validate(term, _check_term)
    save_or(term, duplicate=_term_number_taken(term.number))
    audit_record(actor=actor, action="orgs.term_updated", target=term, data=_changes(before, after))
    return term


@transaction.atomic
def term_set_current(*, actor: Any, term: Term) -> Term:
    """Make ``term`` the current term of its committee; the previous one stops being it.

    Who counts as a serving member follows the current term, so the audit row names the term
    it replaced.
    """
    if Term.objects.filter(pk=term.pk, is_current=True).exists():
        term.is_current = True
        return term
    previous = _make_current(term)
    audit_record(
        actor=actor,
        action="orgs.term_set_current",
        target=term,
        data=_changes({"current_term": previous}, {"current_term": term.pk}),
    )
    return term


# --- sessions -------------------------------------------------------------------------------


def _session_number_taken(number: int) -> Invalid:
    return field_error("number", _("本届已有第%(n)s次会议。") % {"n": number})


def _check_session(session: Session) -> None:
    if session.closes_on < session.opens_on:
        raise field_error("closes_on", _("闭幕日期不能早于开幕日期。"))
    term = session.term
    if session.opens_on < term.starts_on or (term.ends_on and session.closes_on > term.ends_on):
        raise field_error("opens_on", _("会议日期应在%(term)s的任期之内。") % {"term": term.name})
    if timezone.is_naive(session.proposal_deadline):
        session.proposal_deadline = timezone.make_aware(session.proposal_deadline)
    day = timezone.localtime(session.proposal_deadline).date()
    earliest = session.opens_on - dt.timedelta(days=DEADLINE_EARLIEST_DAYS_BEFORE_OPENING)
    if not earliest <= day <= session.closes_on:
        raise field_error(
            "proposal_deadline",
            _("大会提案截止时间应在开幕前%(days)s天至闭幕当天之间。")
            % {"days": DEADLINE_EARLIEST_DAYS_BEFORE_OPENING},
        )
    clash = Session.objects.filter(term_id=session.term_id, number=session.number)
    if clash.exclude(pk=session.pk).exists():
        raise _session_number_taken(session.number)


@transaction.atomic
def session_create(
    *,
    actor: Any,
    term: Term,
    number: int,
    name: str,
    opens_on: dt.date,
    closes_on: dt.date,
    proposal_deadline: dt.datetime,
) -> Session:
    """Create a plenary session (次会议) of ``term``: it closes on or after its opening day,
    within the term, and the proposal deadline falls between 180 days before the opening
    and the closing day."""
    session = Session(
        term=term,
        number=number,
        name=name,
        opens_on=opens_on,
        closes_on=closes_on,
        proposal_deadline=proposal_deadline,
    )
    validate(session, _check_session)
    save_or(session, duplicate=_session_number_taken(number))
    audit_record(
        actor=actor, action="orgs.session_created", target=session, data={"name": str(session)}
    )
    return session


@transaction.atomic
def session_update(*, actor: Any, session: Session, **values: Any) -> Session:
    """Change a session's number, name, dates or proposal deadline (same checks as create)."""
    before, after = apply_values(session, values)
    if not after:
        return session
    validate(session, _check_session)
    save_or(session, duplicate=_session_number_taken(session.number))
    audit_record(
        actor=actor, action="orgs.session_updated", target=session, data=_changes(before, after)
    )
    return session


# --- exports --------------------------------------------------------------------------------


def org_export_record(*, actor: Any, org: Organization, what: str, rows: int) -> None:
    """Record that ``actor`` downloaded a list of ``org``: every export leaves an audit row."""
    audit_record(actor=actor, action="orgs.exported", target=org, data={"what": what, "rows": rows})
