from __future__ import annotations

from django import template

from shangliang.core.audit_labels import event_label
from shangliang.core.models import AuditEvent

register = template.Library()


@register.filter
def audit_label(event: AuditEvent) -> str:
    """A readable name for an audit event."""
    return event_label(event)
