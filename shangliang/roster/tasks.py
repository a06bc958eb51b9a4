"""Background work of the roster app; tasks only call services."""

from __future__ import annotations

from django_tasks import task

from shangliang.core.errors import Forbidden
from shangliang.roster.models import ImportJob
from shangliang.roster.services import roster_import_fail, roster_import_run


@task()
def run_roster_import(job_id: int) -> None:
    job = ImportJob.objects.select_related("org", "term", "uploaded_by").filter(pk=job_id).first()
    if job is None:
        return
    try:
        roster_import_run(actor=job.uploaded_by, job=job)
    except Forbidden as exc:  # the uploader lost the right to manage this roster meanwhile
        roster_import_fail(job=job, message=exc.detail)
