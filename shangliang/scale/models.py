"""What the scale generator leaves behind besides the data itself: the run it made and the
rewritten duplicates it planted for the similarity benchmark."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScaleRun(models.Model):
    """One run of ``seed_scale``: a database holding one of these holds generated data."""

    preset = models.CharField(_("规模"), max_length=20)
    seed = models.PositiveIntegerField(_("随机种子"))
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    seconds = models.FloatField(_("用时（秒）"), null=True, blank=True)
    stages = models.JSONField(_("各阶段用时"), default=dict, blank=True)
    counts = models.JSONField(_("数据量"), default=dict, blank=True)

    class Meta:
        verbose_name = _("规模数据生成")
        verbose_name_plural = _("规模数据生成")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.preset} {self.started_at:%Y-%m-%d %H:%M}"


class PlantedDuplicate(models.Model):
    """A rewritten copy of an earlier text, planted so a similarity lookup must find it."""

    kind = models.CharField(_("类型"), max_length=20)  # "proposal" or "opinion"
    original_id = models.PositiveBigIntegerField(_("原件"))
    duplicate_id = models.PositiveBigIntegerField(_("改写件"))

    class Meta:
        verbose_name = _("植入的改写重复")
        verbose_name_plural = _("植入的改写重复")
        constraints = [
            models.UniqueConstraint(fields=["kind", "duplicate_id"], name="scale_dup_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.original_id} → {self.duplicate_id}"
