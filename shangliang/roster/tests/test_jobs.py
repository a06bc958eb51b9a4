from __future__ import annotations

import datetime as dt
import os

from django.core.files.base import ContentFile
from django.utils import timezone

from shangliang.roster.jobs import tidy_imports
from shangliang.roster.models import ImportJob
from shangliang.testing import World


def job(world: World, **fields: object) -> ImportJob:
    made = ImportJob(
        org=world.county_a,
        term=world.terms[world.county_a.pk],
        uploaded_by=world.county_a_office,
        **fields,
    )
    made.file.save("x.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    made.save()
    return made


def test_it_deletes_old_uploads_and_stops_dead_jobs(world):
    old = job(world, status=ImportJob.Status.DONE)
    recent = job(world, status=ImportJob.Status.DONE)
    dead = job(world, status=ImportJob.Status.VALIDATING)
    running = job(world, status=ImportJob.Status.VALIDATING)
    long_ago = timezone.now() - dt.timedelta(days=31)
    ImportJob.objects.filter(pk=old.pk).update(created_at=long_ago)
    ImportJob.objects.filter(pk=dead.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    old_path = old.file.path

    tidy_imports()

    for j in (old, recent, dead, running):
        j.refresh_from_db()
    assert not old.file and recent.file
    assert not os.path.exists(old_path) and os.path.exists(recent.file.path)
    assert dead.status == ImportJob.Status.FAILED and "长时间没有进展" in dead.message
    assert running.status == ImportJob.Status.VALIDATING


def test_a_stale_job_page_stops_polling(world):
    stale = job(world, status=ImportJob.Status.IMPORTING)
    ImportJob.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    client = world.client_for(world.county_a_office)
    html = client.get(f"/roster/imports/{stale.pk}/", headers={"HX-Request": "true"}).content
    assert "已中断".encode() in html and b"hx-trigger" not in html
