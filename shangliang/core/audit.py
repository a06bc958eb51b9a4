"""Writing and reading the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import QuerySet

from shangliang.core.context import client_ip_var, request_id_var
from shangliang.core.models import AuditEvent


def target_type_of(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    org: Any = None,
    data: dict[str, Any] | None = None,
    target_label: str | None = None,
) -> AuditEvent:
    """Append one audit event; call it inside the transaction of the change it records."""
    if org is None and target is not None:
        org = getattr(target, "audit_org", None)
    real_actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        org=org,
        actor=real_actor,
        actor_label=(str(getattr(actor, "display_name", "")) or str(actor))[:150]
        if real_actor
        else "",
        action=action,
        target_type=target_type_of(target) if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label if target_label is not None else str(target or ""))[:300],
        data=data or {},
        request_id=request_id_var.get(),
        ip_address=client_ip_var.get(),
    )


def history_for(obj: models.Model) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(target_type=target_type_of(obj), target_id=str(obj.pk))
