from __future__ import annotations

import pytest

from shangliang.core.audit import audit_record
from shangliang.core.models import AuditEvent


def test_it_is_append_only(world):
    event = audit_record(actor=world.admin, action="test.thing", target=world.province)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.thing"


def test_it_snapshots_the_target(world):
    event = audit_record(actor=world.admin, action="test.thing", target=world.county_a)
    assert event.target_type == "orgs.organization"
    assert event.target_id == str(world.county_a.pk)
    assert event.target_label == world.county_a.name
    assert event.org == world.county_a
    assert event.actor_label == "管理员"


def test_the_admin_cannot_change_or_delete_it(world, client):
    world.admin.is_superuser = True
    world.admin.is_staff = True
    world.admin.save()
    event = audit_record(actor=world.admin, action="test.thing", target=world.province)
    client.force_login(world.admin)
    assert client.get(f"/admin/core/auditevent/{event.pk}/change/").status_code in (200, 403)
    assert (
        client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()
