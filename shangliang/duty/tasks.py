"""Background work of the duty app; tasks only call services."""

from __future__ import annotations

from django_tasks import task

from shangliang.duty.models import RecomputeJob


@task()
def run_recompute(job_id: int) -> None:
    from shangliang.duty.services.scheme import recompute_run

    job = RecomputeJob.objects.filter(pk=job_id).first()
    if job is not None:
        recompute_run(job=job)
