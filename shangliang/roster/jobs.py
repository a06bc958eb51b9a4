"""The roster app's periodic jobs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.scheduler import periodic
from shangliang.roster.models import STALE_AFTER, ImportJob

KEEP_UPLOADS_DAYS = 30  # the files hold phone numbers: keep them only as long as needed


@periodic("roster.tidy_imports", "23 4 * * *")
def tidy_imports() -> None:
    """Delete old uploaded files (the job rows and the audit trail stay) and mark jobs whose
    worker died as failed, so their pages stop waiting."""
    now = timezone.now()
    old = ImportJob.objects.filter(created_at__lt=now - dt.timedelta(days=KEEP_UPLOADS_DAYS))
    for job in old.exclude(file="").only("pk", "file"):
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
    running = [ImportJob.Status.PENDING, ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING]
    ImportJob.objects.filter(status__in=running, updated_at__lt=now - STALE_AFTER).update(
        status=ImportJob.Status.FAILED,
        message=_("导入任务长时间没有进展，已中止，未写入任何数据。请重新上传。"),
        finished_at=now,
        updated_at=now,
    )
