"""Helpers the organisation services share: field changes, validation, saving."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from shangliang.core.errors import Invalid, invalid_from_django
from shangliang.orgs.models import Organization

M = TypeVar("M", bound=models.Model)
NOT_EDITABLE = {"id", "pk", "org", "org_id", "term", "term_id", "is_active", "path", "parent"}


def jsonable(value: Any) -> Any:
    """A JSON value for the audit row; equal instants give equal text (in UTC)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def field_value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is a reverse relation")
    return jsonable(getattr(obj, field.attname))


def apply_values(
    obj: models.Model, values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set ``values`` on ``obj``; returns (before, after) of the fields that changed."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in values.items():
        if name in NOT_EDITABLE:
            raise TypeError(f"{name} cannot be changed here")
        old = field_value(obj, name)
        setattr(obj, name, value)
        new = field_value(obj, name)
        if old != new:
            before[name], after[name] = old, new
    return before, after


def validate(
    obj: M, check: Callable[[M], None] | None = None, *, exclude: list[str] | None = None
) -> None:
    """Field checks first, then ``check`` (the rules with clear, per-field messages: duplicate
    names, reversed dates...), then the model's remaining unique and check constraints."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        if check is not None:
            check(obj)
        obj.validate_unique(exclude=exclude)
        obj.validate_constraints(exclude=exclude)
    except ValidationError as exc:
        raise invalid_from_django(exc) from exc


def field_error(field: str, message: str) -> Invalid:
    return Invalid(message, fields={field: [message]})


def save_or(obj: models.Model, *, duplicate: Invalid) -> None:
    """Save; a unique constraint hit by a concurrent request raises ``duplicate`` instead."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise duplicate from exc


def lock_org(org: Organization) -> None:
    """Serialise changes to one committee's current term (a row lock on PostgreSQL)."""
    Organization.objects.select_for_update().filter(pk=org.pk).first()
