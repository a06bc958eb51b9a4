"""Base model, the append-only audit trail, idempotency keys, the calendar and scheduled jobs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")


class AuditEvent(models.Model):
    """One thing that happened: a workflow step, a permission change, a login, an export."""

    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=80, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_label = models.CharField(_("对象"), max_length=300, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")


class IdempotencyKey(models.Model):
    """The answer to a creating API call, kept so a retried call returns it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=128)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.key}"


class CalendarDay(models.Model):
    """A public holiday on a weekday, or a weekend day declared a working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休工作日")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class ScheduledJob(models.Model):
    """The next run of one periodic job; claimed with a conditional update so it runs once."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_claimed_by = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.name


# --- Similar documents and full-text search (core/similar_index.py, core/search.py) --------
#
# One index for every kind of document (proposals, opinion reports, topics, public requests):
# a document is (kind, object id). The postings, bands and term statistics are keyed by a
# "space", a 63-bit hash of (kind, organisation), so a lookup in one committee reads only
# that committee's rows through one index.


class SimilarDoc(models.Model):
    """One document's weighted terms and the compact text its best matches are verified by."""

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    org_id = models.BigIntegerField()
    space = models.BigIntegerField()
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    digest = models.CharField(max_length=32)  # of the indexed text: unchanged text is skipped
    # term keys (int64) then their sublinear weighted frequencies (float32): similar_index.pack
    vector = models.BinaryField(default=b"")
    norm = models.FloatField(default=0.0)  # of the sublinear term frequencies
    title = models.CharField(max_length=300, blank=True)  # compact (core.text.compact)
    body = models.TextField(blank=True)  # compact, first similar_index.RATIO_CHARS characters
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="core_similardoc_uniq")
        ]
        indexes = [models.Index(fields=["space"], name="core_similardoc_space")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SimilarPosting(models.Model):
    """Inverted index on each document's strongest (rarest, title-weighted) terms."""

    space = models.BigIntegerField()
    term = models.BigIntegerField()
    doc = models.ForeignKey(SimilarDoc, on_delete=models.CASCADE, related_name="+", db_index=False)
    weight = models.FloatField()  # the term's normalised frequency in the document

    class Meta:
        indexes = [
            models.Index(
                fields=["space", "term", "doc", "weight"], name="core_similarposting_term"
            ),
            models.Index(fields=["doc"], name="core_similarposting_doc"),
        ]

    def __str__(self) -> str:
        return f"{self.space}:{self.term} → {self.doc_id}"


class SimilarBand(models.Model):
    """MinHash LSH: one row per band of a document's signature."""

    space = models.BigIntegerField()
    band = models.BigIntegerField()
    doc = models.ForeignKey(SimilarDoc, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        indexes = [
            models.Index(fields=["space", "band", "doc"], name="core_similarband_band"),
            models.Index(fields=["doc"], name="core_similarband_doc"),
        ]

    def __str__(self) -> str:
        return f"{self.space}:{self.band} → {self.doc_id}"


class SimilarTermStat(models.Model):
    """Document frequency of each term in a space; term 0 counts the documents, term 1 is
    a random generation value every write replaces (see similar_index.stats_for)."""

    space = models.BigIntegerField()
    term = models.BigIntegerField()
    df = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "term"], name="core_similartermstat_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.space}:{self.term} df={self.df}"


class SearchEntry(models.Model):
    """The search tokens of one document (CJK bigrams, letter and digit trigrams); SQLite
    keeps an FTS5 table over them, PostgreSQL a generated tsvector column with a GIN index
    (both made by the migration)."""

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    org_id = models.BigIntegerField(null=True, blank=True)
    tokens = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="core_searchentry_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
