"""Writes to the organisation tree and its parts."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from shangliang.core.audit import audit_record
from shangliang.core.errors import Invalid, invalid_from_django
from shangliang.orgs.models import Organization, Session, Term

M = TypeVar("M", bound=models.Model)


def _save_new(obj: M, *, actor: Any, action: str) -> M:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise invalid_from_django(exc) from exc
    obj.save()
    audit_record(actor=actor, action=action, target=obj, data={"name": str(obj)})
    return obj


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
    if parent is not None and level <= parent.level:
        raise Invalid(_("下级政协的层级必须低于上级。"), fields={"level": [_("层级无效")]})
    if parent is None and level > Organization.Level.PROVINCE:
        raise Invalid(_("市级、县级政协必须有上级。"), fields={"parent": [_("必填")]})
    org = Organization(
        name=name, level=level, parent=parent, short_name=short_name, region_code=region_code
    )
    try:
        org.full_clean(exclude=["path"])
    except ValidationError as exc:
        raise invalid_from_django(exc) from exc
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    audit_record(actor=actor, action="orgs.org_created", target=org, data={"name": name})
    return org


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
    if current:
        Term.objects.filter(org=org, is_current=True).update(is_current=False)
    term = Term(
        org=org, number=number, name=name, starts_on=starts_on, ends_on=ends_on, is_current=current
    )
    return _save_new(term, actor=actor, action="orgs.term_created")


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
    session = Session(
        term=term,
        number=number,
        name=name,
        opens_on=opens_on,
        closes_on=closes_on,
        proposal_deadline=proposal_deadline,
    )
    return _save_new(session, actor=actor, action="orgs.session_created")


@transaction.atomic
def part_create(*, actor: Any, model: type[M], org: Organization, **values: Any) -> M:
    """Create a sector, committee, group, unit or workstation of ``org``."""
    obj = model(org=org, **values)
    return _save_new(obj, actor=actor, action=f"orgs.{model._meta.model_name}_created")
