"""The one workflow engine.

Each app declares a :class:`Workflow` in its ``workflow.py``: the states (a TextChoices),
and a table of :class:`Action` s (from which states, to which state, who may, which fields,
which guard). :func:`transition` is the only way an object changes state: it checks who
may, validates the fields, updates the row only if it is still in the state that was
read, writes one ``AuditEvent`` in the same transaction and queues the side effects after
commit. :func:`available_actions` answers which actions a user may take now; pages draw
their buttons from it and the API lists it as ``available_actions``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, Forbidden, Invalid
from shangliang.core.events import announce

Predicate = Callable[[Any, Any], bool]  # (user, obj) -> may?


@dataclass(frozen=True)
class Field:
    """An input an action asks for."""

    name: str
    label: str | Promise
    kind: str = "text"  # text | textarea | date | choice | int | bool | list
    required: bool = True
    max_length: int = 2000
    choices: tuple[tuple[str, str | Promise], ...] = ()

    def clean(self, raw: Any) -> Any:
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw or "").strip().lower()
            if text in {"1", "true", "on", "yes"}:
                return True
            if text in {"", "0", "false", "off", "no"} and not (self.required and text == ""):
                return False
            raise Invalid(
                _("“%(f)s”须为是或否。") % {"f": self.label}, fields={self.name: [_("是或否")]}
            )
        if self.kind == "list":
            if raw in (None, "", []):
                if self.required:
                    raise Invalid(
                        _("请填写“%(f)s”。") % {"f": self.label}, fields={self.name: [_("必填")]}
                    )
                return []
            if not isinstance(raw, list) or len(raw) > 200:
                raise Invalid(
                    _("“%(f)s”须为列表。") % {"f": self.label}, fields={self.name: [_("列表")]}
                )
            return raw
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            if self.required:
                raise Invalid(
                    _("请填写“%(f)s”。") % {"f": self.label}, fields={self.name: [_("必填")]}
                )
            return None
        if self.kind == "date":
            value = raw if isinstance(raw, dt.date) else _parse_date(str(raw))
            if value is None:
                raise Invalid(
                    _("“%(f)s”不是有效日期。") % {"f": self.label},
                    fields={self.name: [_("日期无效")]},
                )
            return value
        if self.kind == "int":
            try:
                return int(raw)
            except (TypeError, ValueError):
                raise Invalid(
                    _("“%(f)s”必须是整数。") % {"f": self.label}, fields={self.name: [_("整数")]}
                ) from None
        text = str(raw).strip()
        if len(text) > self.max_length:
            msg = _("“%(f)s”不能超过 %(n)s 个字。") % {"f": self.label, "n": self.max_length}
            raise Invalid(msg, fields={self.name: [msg]})
        if self.kind == "choice" and text not in {c for c, _label in self.choices}:
            raise Invalid(
                _("“%(f)s”的取值无效。") % {"f": self.label}, fields={self.name: [_("取值无效")]}
            )
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": str(self.label),
            "kind": self.kind,
            "required": self.required,
            "max_length": self.max_length,
            "choices": [{"value": c, "label": str(label)} for c, label in self.choices],
        }


def _parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for fmt in ("%Y年%m月%d日", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007
        except ValueError:
            pass
    try:
        return parse_date(text)
    except ValueError:
        return None


STAY = ""  # an action's target that keeps the object in its state (e.g. a cosigner confirms)


@dataclass(frozen=True)
class Action:
    name: str
    label: str | Promise
    source: tuple[str, ...]
    target: str  # a state, or STAY; ignored when ``route`` is given
    allowed: Predicate
    fields: tuple[Field, ...] = ()
    guard: Callable[[Any, dict[str, Any]], str | None] | None = None  # -> error message
    when: Callable[[Any], bool] | None = None  # offered only when this holds
    apply: Callable[[Any, Any, dict[str, Any]], dict[str, Any]] | None = None  # -> extra updates
    event: str = ""  # domain event announced after commit
    style: str = "primary"  # button style: primary | danger | secondary
    confirm: str | Promise = ""
    # A target that depends on the object or the fields (a review's outcome): ``route``
    # returns one of ``routes`` (STAY allowed); the diagram draws every route.
    route: Callable[[Any, Any, dict[str, Any]], str] | None = None  # (obj, actor, fields)
    routes: tuple[str, ...] = ()

    def targets(self) -> tuple[str, ...]:
        return self.routes if self.route is not None else (self.target,)

    def resolve(self, obj: Any, actor: Any, before: str, fields: dict[str, Any]) -> str:
        if self.route is None:
            target = self.target
        else:
            target = self.route(obj, actor, fields)
            if target not in self.routes:
                raise ValueError(f"{self.name}: route {target!r} is not declared")
        return target or before


@dataclass
class Workflow:
    name: str  # "accounts.membership"
    model: type[models.Model]
    states: type[models.TextChoices]
    actions: list[Action]
    state_field: str = "status"
    org_of: Callable[[Any], Any] = field(default=lambda obj: getattr(obj, "org", None))
    # Fields that, like the state, must still hold the values that were read (a review
    # stage): a step that keeps the state still conflicts with a concurrent one.
    lock_fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = [a.name for a in self.actions]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.name}: duplicate action names")
        valid = set(self.states.values)
        for a in self.actions:
            if not set(a.targets()) <= valid | {STAY} or not set(a.source) <= valid:
                raise ValueError(f"{self.name}.{a.name}: unknown state")
        REGISTRY[self.model] = self

    def action(self, name: str) -> Action:
        for a in self.actions:
            if a.name == name:
                return a
        raise Invalid(_("未知的操作：%(a)s") % {"a": name})

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.state_field))

    def available_actions(self, user: Any, obj: Any) -> list[Action]:
        state = self.state_of(obj)
        return [
            a
            for a in self.actions
            if state in a.source and (a.when is None or a.when(obj)) and a.allowed(user, obj)
        ]

    def edges(self) -> Iterable[tuple[str, str, Action]]:
        for a in self.actions:
            for s in a.source:
                for t in a.targets():
                    yield s, t or s, a


REGISTRY: dict[type[models.Model], Workflow] = {}


def workflow_for(obj: Any) -> Workflow:
    try:
        return REGISTRY[type(obj)]
    except KeyError:
        raise LookupError(f"No workflow for {type(obj).__name__}") from None


def available_actions(user: Any, obj: Any) -> list[Action]:
    return workflow_for(obj).available_actions(user, obj)


def transition(obj: Any, action_name: str, *, actor: Any, **raw_fields: Any) -> Any:
    """Move ``obj`` along ``action_name``; returns the refreshed object.

    Raises Forbidden (403), Invalid (422) or Conflict (409: the object moved on meanwhile).
    """
    wf = workflow_for(obj)
    action = wf.action(action_name)
    before = wf.state_of(obj)
    if not action.allowed(actor, obj):
        raise Forbidden()  # before the state: who may never act learns nothing of it
    if before not in action.source or (action.when is not None and not action.when(obj)):
        raise Conflict(
            _("当前状态“%(s)s”下不能执行“%(a)s”。")
            % {"s": wf.states(before).label, "a": action.label}
        )
    unknown = set(raw_fields) - {f.name for f in action.fields}
    if unknown:
        raise Invalid(_("多余的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    cleaned = {f.name: f.clean(raw_fields.get(f.name)) for f in action.fields}
    if action.guard is not None:
        problem = action.guard(obj, cleaned)
        if problem:
            raise Invalid(problem)

    model = type(obj)
    with transaction.atomic():
        read = {wf.state_field: before, **{f: getattr(obj, f) for f in wf.lock_fields}}
        qs = model._default_manager.filter(pk=obj.pk, **read).order_by()
        if connection.features.has_select_for_update:
            no_key = connection.vendor == "postgresql"
            locked = list(qs.select_for_update(no_key=no_key).values_list("pk", flat=True))
            if not locked:
                raise Conflict()
        target = action.resolve(obj, actor, before, cleaned)
        updates: dict[str, Any] = {wf.state_field: target}
        if action.apply is not None:
            updates.update(action.apply(obj, actor, cleaned))
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            updates["updated_at"] = timezone.now()
        if qs.update(**updates) != 1:
            raise Conflict()
        obj.refresh_from_db()
        audit_record(
            actor=actor,
            action=f"{wf.name}.{action.name}",
            target=obj,
            org=wf.org_of(obj),
            data={
                "from": before,
                "to": target,
                "fields": {k: _jsonable(v) for k, v in cleaned.items()},
            },
        )
        if action.event:
            announce(action.event, obj=obj, actor=actor, data=cleaned)
    return obj


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value
