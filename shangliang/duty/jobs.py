"""The duty app's periodic jobs."""

from __future__ import annotations

from shangliang.core.scheduler import periodic
from shangliang.orgs.models import Organization


@periodic("duty.exit_flags", "17 5 * * *")
def scan_exit_flags() -> None:
    """Raise exit warnings every night (review is by people)."""
    from shangliang.duty.services.flags import exit_flags_scan

    for org in Organization.objects.filter(is_active=True).only("pk", "path"):
        exit_flags_scan(org=org)
