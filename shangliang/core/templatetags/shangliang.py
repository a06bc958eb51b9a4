from __future__ import annotations

from django import template

from shangliang.core.models import AuditEvent
from shangliang.core.workflow import REGISTRY

register = template.Library()


@register.filter
def audit_label(event: AuditEvent) -> str:
    """A readable name for an audit event: the workflow action's label where there is one."""
    wf_name, _, action = event.action.rpartition(".")
    for wf in REGISTRY.values():
        if wf.name == wf_name:
            for a in wf.actions:
                if a.name == action:
                    return str(a.label)
    return event.action
