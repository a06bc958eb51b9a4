from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import paths_for
from shangliang.core.models import AuditEvent

AUDIT_READERS = [Role.Kind.ADMIN, Role.Kind.LEADER, Role.Kind.GENERAL_OFFICE]


def audit_events_visible_to(*, user: Any, action: str = "") -> QuerySet[AuditEvent]:
    """Audit events of the organisations where the user reads the audit log (and below)."""
    qs = AuditEvent.objects.select_related("org")
    if not user.is_superuser:
        paths = paths_for(user, AUDIT_READERS)
        q = Q(pk__in=[])
        for p in set(paths):
            q |= Q(org__path__startswith=p)
        qs = qs.filter(q)
    if action:
        qs = qs.filter(action__startswith=action)
    return qs.order_by("-created_at", "-id")
