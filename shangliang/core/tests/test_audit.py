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


def test_audit_actions_have_readable_labels():
    from shangliang.core.audit_labels import label_for

    assert label_for("accounts.login") == "登录"
    assert label_for("accounts.membership.suspend") == "暂停履职"
    assert label_for("orgs.unit_created") == "新增承办单位"
    assert label_for("something.unknown") == "something.unknown"


def test_every_audit_action_in_the_code_has_a_label():
    import re
    from pathlib import Path

    from shangliang.core.audit_labels import label_for

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r'"((?:accounts|orgs|roster|calendar|core|api)\.[a-z_]+)"')
    missing = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for action in pattern.findall(path.read_text(encoding="utf-8")):
            if "audit" in path.read_text(encoding="utf-8") and label_for(action) == action:
                missing.add(f"{path.name}: {action}")
    # permission rule names and job names share the dotted shape; only audit actions count
    from shangliang.accounts.permissions import RULES
    from shangliang.core.scheduler import JOBS
    from shangliang.core.workflow import REGISTRY

    other_names = set(RULES) | set(JOBS) | {wf.name for wf in REGISTRY.values()} | {"roster.xlsx"}
    missing = {m for m in missing if m.split(": ")[1] not in other_names}
    assert not missing, sorted(missing)
