"""Meetings (会议) and attendance (考勤): plenary and standing committee meetings, committee
meetings, consultations, research and inspection activities, training; their attendees,
leave requests (请假) and the corrections of attendance (with a reason)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shangliang.core.models import BaseModel


class Meeting(BaseModel):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("全体会议")
        STANDING = "standing", _("常委会议")
        CHAIRS = "chairs", _("主席会议")
        COMMITTEE = "committee", _("专委会会议")
        CONSULTATION = "consultation", _("协商活动")
        RESEARCH = "research", _("调研活动")
        INSPECTION = "inspection", _("视察活动")
        TRAINING = "training", _("学习培训")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("meeting", "未开始")
        FINALIZED = "finalized", pgettext_lazy("meeting", "考勤已确认")
        CANCELLED = "cancelled", pgettext_lazy("meeting", "已取消")

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    half_days = models.DecimalField(_("会期（半天）"), max_digits=5, decimal_places=1, default=1)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("会议活动")
        verbose_name_plural = _("会议活动")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["org", "-starts_at"], name="meeting_org_time")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_org(self) -> Any:
        return self.org


class Attendance(BaseModel):
    class Status(models.TextChoices):
        EXPECTED = "expected", pgettext_lazy("attendance", "应到")
        ATTENDED = "attended", pgettext_lazy("attendance", "出席")
        LEAVE = "leave", pgettext_lazy("attendance", "请假")
        ABSENT = "absent", pgettext_lazy("attendance", "无故缺席")

    class Speech(models.TextChoices):
        NONE = "", pgettext_lazy("speech", "无")
        WRITTEN = "written", _("书面发言")
        ORAL = "oral", _("口头发言")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("委员"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    status = models.CharField(
        _("出勤"), max_length=10, choices=Status.choices, default=Status.EXPECTED
    )
    speech = models.CharField(_("发言"), max_length=10, choices=Speech.choices, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by_staff = models.BooleanField(_("工作人员代签"), default=False)

    class Meta:
        verbose_name = _("出勤")
        verbose_name_plural = _("出勤")
        ordering = ["membership__sector__order", "membership_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="attendance_once")
        ]
        indexes = [models.Index(fields=["membership", "status"], name="attendance_member")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.membership}"

    @property
    def audit_org(self) -> Any:
        return self.meeting.org


class LeaveRequest(BaseModel):
    """请假: asked by the member before the meeting, approved or refused by staff."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("leave", "待审批")
        APPROVED = "approved", pgettext_lazy("leave", "已准假")
        REJECTED = "rejected", pgettext_lazy("leave", "未准假")
        WITHDRAWN = "withdrawn", pgettext_lazy("leave", "已撤回")

    attendance = models.ForeignKey(
        Attendance, on_delete=models.CASCADE, related_name="leave_requests"
    )
    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("请假事由"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("请假申请")
        verbose_name_plural = _("请假申请")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.attendance} · {self.reason[:20]}"

    @property
    def audit_org(self) -> Any:
        return self.org


class AttendanceCorrection(BaseModel):
    """考勤更正: who changed an attendance, from what to what, and why."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="corrections")
    before = models.CharField(_("更正前"), max_length=10, choices=Attendance.Status.choices)
    after = models.CharField(_("更正后"), max_length=10, choices=Attendance.Status.choices)
    reason = models.CharField(_("更正理由"), max_length=300)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("考勤更正")
        verbose_name_plural = _("考勤更正")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.attendance}: {self.before} → {self.after}"
