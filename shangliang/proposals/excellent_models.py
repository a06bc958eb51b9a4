"""优秀提案 (excellent proposals, issue 3 §7; domain/rules.md §1.7 "年度好提案"): a nomination
of an accepted proposal, reviewed (初评), confirmed by the leaders (审议) and published (公布)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shangliang.core.models import BaseModel


class ExcellentNomination(BaseModel):
    class Status(models.TextChoices):
        NOMINATED = "nominated", pgettext_lazy("nomination status", "已提名")
        RECOMMENDED = "recommended", pgettext_lazy("nomination status", "初评通过")
        CONFIRMED = "confirmed", pgettext_lazy("nomination status", "已确定")
        PUBLISHED = "published", pgettext_lazy("nomination status", "已公布")
        REJECTED = "rejected", pgettext_lazy("nomination status", "未入选")
        WITHDRAWN = "withdrawn", pgettext_lazy("nomination status", "已撤回")
        REVOKED = "revoked", pgettext_lazy("nomination status", "已撤销")

    ACTIVE = (Status.NOMINATED, Status.RECOMMENDED, Status.CONFIRMED, Status.PUBLISHED)
    EXCELLENT = (Status.CONFIRMED, Status.PUBLISHED)

    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("提案"),
        on_delete=models.PROTECT,
        related_name="excellent_nominations",
    )
    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        "orgs.Session", verbose_name=_("会议"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.NOMINATED, db_index=True
    )
    reason = models.TextField(_("提名理由"))
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提名人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField(_("初评意见"), blank=True)
    decision_note = models.TextField(_("审议意见"), blank=True)
    confirmed_at = models.DateTimeField(_("确定时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    revoke_reason = models.TextField(_("撤销理由"), blank=True)

    class Meta:
        verbose_name = _("优秀提案提名")
        verbose_name_plural = _("优秀提案提名")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                name="excellent_one_active_per_proposal",
                condition=Q(status__in=["nominated", "recommended", "confirmed", "published"]),
            )
        ]
        indexes = [
            models.Index(fields=["org", "session", "status"], name="excellent_list"),
        ]

    def __str__(self) -> str:
        return f"{_('优秀提案提名')} · {self.proposal}"

    @property
    def audit_org(self) -> Any:
        return self.org
