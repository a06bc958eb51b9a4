from __future__ import annotations

from django.db.models import QuerySet

from shangliang.orgs.models import Organization


def org_tree() -> QuerySet[Organization]:
    """Every active committee in tree order (``path`` sorts parents before children)."""
    return Organization.objects.filter(is_active=True).order_by("path")
