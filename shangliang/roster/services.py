"""Writes of the roster app: importing a roster file and exporting the roster to Excel.

An import runs in two phases. ``roster_import_validate`` reads and checks every row and
writes nothing; ``roster_import_run`` (in the background task) runs it and, only if no row
has an error, creates every account and membership in one transaction: a file is imported
completely or not at all.
"""

from __future__ import annotations

import logging
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.permissions import can, require
from shangliang.core.audit import audit_record
from shangliang.core.errors import DomainError, Invalid
from shangliang.orgs.models import Organization, Term
from shangliang.roster import reader
from shangliang.roster.models import ImportJob
from shangliang.roster.selectors import RosterFilters, roster_for
from shangliang.roster.sheets import roster_workbook
from shangliang.roster.validation import ImportPlan, Progress, validate_rows
from shangliang.roster.writer import write_plan

log = logging.getLogger(__name__)
MAX_REPORTED_ERRORS = 5000
Status = ImportJob.Status


def _check_term(org: Organization, term: Term) -> None:
    if term.org_id != org.pk:
        raise Invalid(_("届次不属于该政协。"), fields={"term": [_("无效")]})


def roster_import_start(
    *, actor: Any, org: Organization, term: Term, upload: UploadedFile[Any]
) -> ImportJob:
    """Check the uploaded file's shape now (so the page can say at once what is wrong), keep
    it, and queue the import. Row-by-row checks happen in the background."""
    require(actor, "orgs.manage_roster", org)
    _check_term(org, term)
    reader.check_size(upload.size)
    if upload.file is None:
        raise Invalid(_("文件是空的。"), fields={"file": [_("文件无效")]})
    total = reader.count_rows(upload.file)  # outside the transaction: it reads the whole file
    with transaction.atomic():
        job = ImportJob(
            org=org,
            term=term,
            uploaded_by=actor,
            original_name=(upload.name or "")[:200],
            total_rows=total,
        )
        job.file.save("roster.xlsx", upload, save=False)
        job.save()
        audit_record(
            actor=actor,
            action="roster.import_uploaded",
            target=job,
            data={"rows": total, "term": term.pk, "file": job.original_name},
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from shangliang.roster.tasks import run_roster_import

    run_roster_import.enqueue(job_id)


def roster_import_validate(
    *,
    actor: Any,
    org: Organization,
    term: Term,
    file: IO[bytes],
    progress: Progress | None = None,
) -> ImportPlan:
    """Phase one: every row checked against the file and the database; nothing written."""
    require(actor, "orgs.manage_roster", org)
    _check_term(org, term)
    with reader.open_roster(file) as sheet:
        plan = validate_rows(
            org=org, term=term, rows=sheet.rows, columns=sheet.columns, progress=progress
        )
    if plan.total == 0:
        raise Invalid(_("文件中没有委员数据：表头下面是空的。"))
    return plan


def roster_import_run(*, actor: Any, job: ImportJob) -> ImportJob:
    """Phase one, then phase two in one transaction. Runs once per job (claimed by status)."""
    require(actor, "orgs.manage_roster", job.org)
    claimed = ImportJob.objects.filter(pk=job.pk, status=Status.PENDING).update(
        status=Status.VALIDATING, started_at=timezone.now(), processed_rows=0
    )
    if not claimed:
        job.refresh_from_db()
        return job
    try:
        return _run(actor, job)
    except Exception:
        log.exception("roster import %s failed", job.pk)
        roster_import_fail(job=job, message=_("导入失败：系统出错，未写入任何数据。请联系管理员。"))
        raise


def _progress(job: ImportJob) -> Progress:
    def report(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, updated_at=timezone.now())

    return report


def _run(actor: Any, job: ImportJob) -> ImportJob:
    try:
        with job.file.open("rb") as fp:
            plan = roster_import_validate(
                actor=actor, org=job.org, term=job.term, file=fp, progress=_progress(job)
            )
    except DomainError as exc:
        return roster_import_fail(job=job, message=exc.detail)
    if not plan.ok:
        message = _("发现 %(n)s 处错误，未导入任何数据。请修改后重新上传。") % {
            "n": len(plan.errors)
        }
        return roster_import_fail(job=job, message=message, errors=plan.errors, total=plan.total)
    _update(job, status=Status.IMPORTING, total_rows=plan.total, processed_rows=plan.total)
    try:
        with transaction.atomic():
            counts = write_plan(org=job.org, term=job.term, plan=plan)
            audit_record(
                actor=actor,
                action="roster.imported",
                target=job,
                data={"rows": plan.total, "term": job.term_id, **counts.as_dict()},
            )
            _update(
                job,
                status=Status.DONE,
                created_users=counts.created_users,
                matched_users=counts.matched_users,
                created_memberships=counts.created_memberships,
                message=_("导入完成。"),
                finished_at=timezone.now(),
            )
    except IntegrityError:
        log.warning("roster import %s hit a concurrent change", job.pk, exc_info=True)
        return roster_import_fail(
            job=job,
            message=_(
                "导入时数据发生了变化（例如有人同时添加了相同手机号的用户），"
                "未写入任何数据。请重新上传。"
            ),
        )
    return job


def _update(job: ImportJob, **fields: Any) -> None:
    fields["updated_at"] = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def roster_import_fail(
    *,
    job: ImportJob,
    message: str,
    errors: list[dict[str, Any]] | None = None,
    total: int | None = None,
) -> ImportJob:
    """Record why a job imported nothing (a job that is already finished is left alone)."""
    errors = errors or []
    fields: dict[str, Any] = {
        "status": Status.FAILED,
        "message": str(message)[:300],
        "errors": errors[:MAX_REPORTED_ERRORS],
        "error_count": len(errors),
        "finished_at": timezone.now(),
        "updated_at": timezone.now(),
    }
    if total is not None:
        fields.update(total_rows=total, processed_rows=total)
    running = [Status.PENDING, Status.VALIDATING, Status.IMPORTING]
    ImportJob.objects.filter(pk=job.pk, status__in=running).update(**fields)
    job.refresh_from_db()
    return job


def roster_export(*, actor: Any, org: Organization, filters: RosterFilters) -> tuple[Any, int]:
    """The filtered roster as a workbook (private columns only for those who may see them).

    No transaction around it: building a large workbook must not hold SQLite's write lock."""
    members = roster_for(user=actor, org=org, filters=filters)
    private = can(actor, "orgs.view_private", org)
    wb, count = roster_workbook(members, private=private)
    audit_record(
        actor=actor,
        action="roster.exported",
        target=org,
        data={"rows": count, "private": private, "filters": _filters_data(filters)},
    )
    return wb, count


def _filters_data(filters: RosterFilters) -> dict[str, Any]:
    return {k: v for k, v in filters.__dict__.items() if v not in ("", None)}
