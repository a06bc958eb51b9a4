"""Duty records (履职档案) and scores (积分).

The ledger (``LedgerEntry``) holds one row per credited fact, keyed by its source object;
an undone source gets a compensating row, never a deletion. ``ScoringScheme`` and its
``ScoringRule`` s say what each item is worth in one organisation and year. ``DutyScore``
is the per-member-year score table that a set-based recompute writes and the rankings read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shangliang.core.models import BaseModel
from shangliang.duty.items import CHOICES as ITEM_CHOICES
from shangliang.duty.items import DEFAULT_MINIMUMS, label_of


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("称职")
    FAIL = "fail", _("不称职")


def _default_minimums() -> list[str]:
    return list(DEFAULT_MINIMUMS)


class ScoringScheme(BaseModel):
    """One organisation's scoring scheme for one year."""

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    preset = models.CharField(_("所依方案"), max_length=30, blank=True)
    base = models.DecimalField(_("基础分"), default=0, max_digits=8, decimal_places=2)
    excellent_min = models.DecimalField(_("优秀分数线"), default=90, max_digits=8, decimal_places=2)
    good_min = models.DecimalField(_("良好分数线"), default=80, max_digits=8, decimal_places=2)
    pass_min = models.DecimalField(_("称职分数线"), default=60, max_digits=8, decimal_places=2)
    minimums = models.JSONField(_("最低履职要求"), default=_default_minimums, blank=True)
    exit_plenary_absences = models.PositiveSmallIntegerField(
        _("一届内无故缺席全体会议次数达到"), default=2
    )
    exit_idle_years = models.PositiveSmallIntegerField(_("连续几年无提案且无社情民意"), default=2)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("积分方案")
        verbose_name_plural = _("积分方案")
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="duty_scheme_org_year"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"

    @property
    def audit_org(self) -> Any:
        return self.org


class ScoringRule(models.Model):
    """What one item is worth under a scheme."""

    class Unit(models.TextChoices):
        TIME = "time", _("每次")
        ITEM = "item", _("每件")
        HALF_DAY = "half_day", _("每半天")

    class Split(models.TextChoices):
        FIXED = "fixed", _("按第一提案人／联名人分值")
        HALF_SHARED = "half_shared", _("第一提案人得一半，其余联名人平分另一半")

    scheme = models.ForeignKey(ScoringScheme, on_delete=models.CASCADE, related_name="rules")
    item = models.CharField(_("事项"), max_length=40, choices=ITEM_CHOICES)
    points = models.DecimalField(_("分值"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("计分单位"), max_length=10, choices=Unit.choices, default=Unit.TIME)
    cap = models.DecimalField(_("年度上限"), null=True, blank=True, max_digits=8, decimal_places=2)
    split = models.CharField(
        _("联名分配"), max_length=12, choices=Split.choices, default=Split.FIXED
    )
    first_points = models.DecimalField(
        _("第一提案人分值"), null=True, blank=True, max_digits=8, decimal_places=2
    )
    cosigner_points = models.DecimalField(
        _("联名人分值"), null=True, blank=True, max_digits=8, decimal_places=2
    )

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "item"], name="duty_rule_item"),
        ]

    def __str__(self) -> str:
        return f"{label_of(self.item)} {self.points}"


class LedgerEntry(models.Model):
    """One credited fact (or its compensation): never updated, never deleted. It holds no
    points: what it is worth follows from the year's rules (``scoring.points_for`` and the
    recompute's SQL), so a rule change never rewrites the ledger."""

    class Kind(models.TextChoices):
        CREDIT = "credit", _("记分")
        REVERSAL = "reversal", _("冲销")

    class Role(models.TextChoices):
        SOLE = "sole", pgettext_lazy("duty role", "本人")
        FIRST = "first", _("第一提案人")
        COSIGNER = "cosigner", _("联名人")

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("委员"),
        on_delete=models.PROTECT,
        related_name="duty_entries",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    item = models.CharField(_("事项"), max_length=40, choices=ITEM_CHOICES)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.CREDIT)
    sign = models.SmallIntegerField(_("方向"), default=1)
    role = models.CharField(_("身份"), max_length=10, choices=Role.choices, default=Role.SOLE)
    co_count = models.PositiveSmallIntegerField(_("联名人数"), default=0)
    half_days = models.DecimalField(_("半天数"), max_digits=5, decimal_places=1, default=1)
    source_type = models.CharField(_("来源类型"), max_length=60)
    source_id = models.CharField(_("来源编号"), max_length=40)
    seq = models.PositiveSmallIntegerField(_("序号"), default=0)
    label = models.CharField(_("说明"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    created_at = models.DateTimeField(_("记账时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("履职记录")
        verbose_name_plural = _("履职记录")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "membership", "item", "seq"],
                name="duty_ledger_source_key",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "year", "membership"], name="duty_ledger_org_year"),
            models.Index(fields=["membership", "year", "item"], name="duty_ledger_member"),
            models.Index(fields=["org", "year", "item"], name="duty_ledger_item"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.item} {self.sign:+d}"


class DutyScore(models.Model):
    """A member's score for a year: written in bulk by the recompute, read by rankings."""

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("委员"),
        on_delete=models.CASCADE,
        related_name="duty_scores",
    )
    sector_id = models.IntegerField(_("界别"), null=True, blank=True)
    committee_id = models.IntegerField(_("专委会"), null=True, blank=True)
    points = models.DecimalField(_("积分"), default=0, max_digits=8, decimal_places=2)
    score = models.DecimalField(_("总分"), default=0, max_digits=8, decimal_places=2)
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices)
    # the minimum requirements not met, as "training,opinion," ("" when all are met)
    lacking = models.CharField(_("尚缺的最低履职要求"), max_length=200, blank=True)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("年度积分")
        verbose_name_plural = _("年度积分")
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="duty_score_member_year"),
        ]
        indexes = [
            models.Index(fields=["org", "year", "-score", "membership"], name="duty_score_rank")
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.year} {self.score}"


class RecomputeJob(BaseModel):
    """A background recompute of one organisation's year, with its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("正在计算")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total_steps = models.PositiveIntegerField(_("总步数"), default=1)
    done_steps = models.PositiveIntegerField(_("已完成步数"), default=0)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("积分重算")
        verbose_name_plural = _("积分重算")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.status}"

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.done_steps / max(1, self.total_steps)))

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


def evidence_upload_to(instance: ManualEntry, filename: str) -> str:
    return f"duty/evidence/{instance.org_id}/{filename}"


class ManualEntry(BaseModel):
    """An activity outside the platform (an inspection, a visit), entered by staff with
    evidence and confirmed by a second person before it reaches the ledger."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("manual entry", "待确认")
        CONFIRMED = "confirmed", pgettext_lazy("manual entry", "已确认")
        REJECTED = "rejected", pgettext_lazy("manual entry", "未通过")
        REVOKED = "revoked", pgettext_lazy("manual entry", "已撤销")

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "accounts.Membership", verbose_name=_("委员"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.CharField(_("事项"), max_length=40, choices=ITEM_CHOICES)
    occurred_on = models.DateField(_("日期"))
    half_days = models.DecimalField(_("半天数"), max_digits=5, decimal_places=1, default=1)
    description = models.CharField(_("活动说明"), max_length=300)
    evidence = models.FileField(_("佐证材料"), upload_to=evidence_upload_to, max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("确认意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("补录履职活动")
        verbose_name_plural = _("补录履职活动")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{label_of(self.item)} · {self.description}"

    @property
    def audit_org(self) -> Any:
        return self.org


class DutyReport(BaseModel):
    """述职报告: a member's yearly duty report."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("duty report", "草稿")
        SUBMITTED = "submitted", pgettext_lazy("duty report", "已提交")

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("委员"),
        on_delete=models.PROTECT,
        related_name="duty_reports",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    body = models.TextField(_("述职内容"), max_length=8000)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="draft")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("述职报告")
        verbose_name_plural = _("述职报告")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="duty_report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.year}"

    @property
    def audit_org(self) -> Any:
        return self.org


class ExitFlag(BaseModel):
    """An exit warning: a rule a member met; staff review it and decide."""

    class Rule(models.TextChoices):
        PLENARY_ABSENCES = "plenary_absences", _("无故缺席全体会议")
        IDLE_YEARS = "idle_years", _("连续无提案和社情民意")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("exit flag", "待处理")
        DISMISSED = "dismissed", pgettext_lazy("exit flag", "不予处理")
        REFERRED = "referred", pgettext_lazy("exit flag", "已提请暂停或退出")

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("委员"),
        on_delete=models.PROTECT,
        related_name="exit_flags",
    )
    rule = models.CharField(_("规则"), max_length=20, choices=Rule.choices)
    detail = models.CharField(_("情况"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="open")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("处理意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("退出预警")
        verbose_name_plural = _("退出预警")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "rule"],
                condition=Q(status="open"),
                name="duty_exit_flag_open_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.get_rule_display()}"

    @property
    def audit_org(self) -> Any:
        return self.org


class ExcellentMember(BaseModel):
    """优秀委员: nominated by staff from the ranking, confirmed by leaders."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", pgettext_lazy("excellent member", "已提名")
        CONFIRMED = "confirmed", pgettext_lazy("excellent member", "已确认")
        REJECTED = "rejected", pgettext_lazy("excellent member", "未通过")

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    membership = models.ForeignKey(
        "accounts.Membership", verbose_name=_("委员"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.NOMINATED
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提名人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("优秀委员")
        verbose_name_plural = _("优秀委员")
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="duty_excellent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.year}"

    @property
    def audit_org(self) -> Any:
        return self.org
