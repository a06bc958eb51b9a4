"""Activities outside the platform: entered by staff with evidence, confirmed by another
person, revocable (a compensating ledger row keeps the history)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.models import Membership
from shangliang.accounts.permissions import require
from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, Forbidden, Invalid
from shangliang.core.events import announce
from shangliang.core.uploads import DOCUMENTS, check_upload
from shangliang.duty.items import MANUAL_ITEMS, label_of
from shangliang.duty.models import ManualEntry
from shangliang.orgs.models import Organization

MAX_EVIDENCE_MB = 20


def manual_entry_create(
    *,
    actor: Any,
    org: Organization,
    membership_id: int,
    item: str,
    occurred_on: dt.date,
    description: str,
    evidence: Any,
    half_days: Any = 1,
) -> ManualEntry:
    require(actor, "duty.manage", org)
    errors: dict[str, list[str]] = {}
    membership = Membership.objects.filter(pk=membership_id).select_related("org").first()
    if membership is None or membership.org_id != org.pk:
        errors["membership"] = [_("只能为本组织的委员补录履职活动。")]
    if item not in MANUAL_ITEMS:
        errors["item"] = [_("这一事项不能手工补录。")]
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = [_("活动日期不能晚于今天。")]
    description = (description or "").strip()
    if not description or len(description) > 300:
        errors["description"] = [_("请填写活动说明（不超过 300 字）。")]
    if evidence is None or not getattr(evidence, "name", ""):
        errors["evidence"] = [_("请上传佐证材料（通知、签到表、照片等）。")]
    else:
        try:  # the type is read from the content, never from the name
            ext, _type = check_upload(
                evidence, allowed=DOCUMENTS, max_mb=MAX_EVIDENCE_MB, field="evidence"
            )
        except Invalid as exc:
            errors["evidence"] = [exc.detail]
    try:
        days = Decimal(str(half_days))
        if days <= 0 or days > 40:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["half_days"] = [_("半天数须为 0.5 至 40。")]
        days = Decimal(1)
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    with transaction.atomic():
        entry = ManualEntry(
            org=org,
            membership_id=membership_id,
            item=item,
            occurred_on=occurred_on,
            half_days=days,
            description=description,
            created_by=actor,
        )
        entry.evidence.save(f"evidence.{ext}", evidence, save=False)
        entry.save()
        audit_record(
            actor=actor,
            action="duty.manual_create",
            target=entry,
            data={"membership": membership_id, "item": item, "date": occurred_on.isoformat()},
        )
    return entry


def manual_entry_decide(
    *, actor: Any, entry: ManualEntry, confirm: bool, note: str = ""
) -> ManualEntry:
    """确认 or 不予确认, by a second person."""
    require(actor, "duty.manage", entry.org)
    if entry.created_by_id == actor.pk:
        raise Forbidden(_("补录的活动须由另一位工作人员确认。"))
    status = ManualEntry.Status.CONFIRMED if confirm else ManualEntry.Status.REJECTED
    with transaction.atomic():
        if not ManualEntry.objects.filter(pk=entry.pk, status=ManualEntry.Status.PENDING).update(
            status=status, decided_by=actor, note=(note or "")[:300], updated_at=timezone.now()
        ):
            raise Conflict()
        entry.refresh_from_db()
        audit_record(
            actor=actor,
            action="duty.manual_decide",
            target=entry,
            data={"status": status, "note": note, "item": label_of(entry.item)},
        )
        if confirm:
            announce("duty.manual_confirmed", obj=entry, actor=actor)
    return entry


def manual_entry_revoke(*, actor: Any, entry: ManualEntry, reason: str) -> ManualEntry:
    require(actor, "duty.manage", entry.org)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("请填写撤销理由。"), fields={"reason": [_("必填")]})
    with transaction.atomic():
        if not ManualEntry.objects.filter(pk=entry.pk, status=ManualEntry.Status.CONFIRMED).update(
            status=ManualEntry.Status.REVOKED, note=reason[:300], updated_at=timezone.now()
        ):
            raise Conflict()
        entry.refresh_from_db()
        audit_record(
            actor=actor, action="duty.manual_revoke", target=entry, data={"reason": reason}
        )
        announce("duty.manual_revoked", obj=entry, actor=actor)
    return entry
