"""An uploaded roster spreadsheet and the background import that reads it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shangliang.core.models import BaseModel

# A job that has not moved for this long is treated as interrupted (the worker died).
STALE_AFTER = dt.timedelta(minutes=15)


def import_upload_to(instance: Any, filename: str) -> str:
    """Uploaded files never keep their own name on disk: only the extension we checked."""
    return f"roster_imports/{instance.org_id}/{uuid.uuid4().hex}.xlsx"


class ImportJob(BaseModel):
    """委员名册导入: one uploaded file, validated in full and then imported all at once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        VALIDATING = "validating", _("正在校验")
        IMPORTING = "importing", _("正在导入")
        DONE = "done", _("导入完成")
        FAILED = "failed", _("未导入")

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    term = models.ForeignKey(
        "orgs.Term", verbose_name=_("届"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("文件"), upload_to=import_upload_to, max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    errors = models.JSONField(_("错误报告"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    created_users = models.PositiveIntegerField(_("新建账号数"), default=0)
    matched_users = models.PositiveIntegerField(_("匹配已有账号数"), default=0)
    created_memberships = models.PositiveIntegerField(_("新增委员数"), default=0)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "created_at"])]

    def __str__(self) -> str:
        return f"{self.original_name or self.pk}（{self.get_status_display()}）"

    @property
    def audit_org(self) -> models.Model:
        return self.org

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.VALIDATING, self.Status.IMPORTING)

    @property
    def is_stale(self) -> bool:
        return self.is_running and timezone.now() - self.updated_at > STALE_AFTER

    @property
    def percent(self) -> int:
        """Progress for the bar: validation is most of the work, the writes come last."""
        if self.status in (self.Status.DONE, self.Status.FAILED):
            return 100
        if self.status == self.Status.IMPORTING:
            return 95
        if self.status == self.Status.VALIDATING and self.total_rows:
            return min(90, self.processed_rows * 90 // self.total_rows)
        return 0
