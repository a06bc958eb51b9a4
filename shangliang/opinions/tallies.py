"""The figures' tally (``Tally``): written by the workflow steps, inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from shangliang.opinions.models import Opinion, Reporter, Tally


def _rows(o: Opinion, kind: str, level: str, year: int) -> list[Tally]:
    reporters = Reporter.objects.filter(opinion_id=o.pk).values_list(
        "user_id", "membership_id", "membership__sector_id", "membership__committee_id", "org_id"
    )
    return [
        Tally(
            opinion_id=o.pk,
            origin_id=o.origin_id or o.pk,
            kind=kind,
            level=level,
            year=year,
            user_id=user_id,
            membership_id=membership_id,
            sector_id=sector_id,
            committee_id=committee_id,
            org_id=org_id,
        )
        for user_id, membership_id, sector_id, committee_id, org_id in reporters
    ]


def tally_submitted(o: Opinion, year: int) -> None:
    """A report's submission (again, after it was sent back: its reporters may have changed)."""
    Tally.objects.filter(opinion_id=o.pk, kind=Tally.Kind.SUBMITTED).delete()
    if o.kind == Opinion.Kind.ORIGINAL:
        Tally.objects.bulk_create(_rows(o, Tally.Kind.SUBMITTED, "", year))


def tally_withdrawn(o: Opinion) -> None:
    Tally.objects.filter(opinion_id=o.pk).delete()


def tally_event(o: Opinion, kind: str, level: str, year: int) -> None:
    Tally.objects.bulk_create(_rows(o, kind, level, year), ignore_conflicts=True)


def rebuild_all(*, chunk: int = 5000) -> int:
    """Rewrite every tally row and the stored year-months from the records, in a few grouped
    passes (for data written straight into the tables, e.g. by the scale generator)."""
    from django.db import transaction
    from django.db.models import F
    from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

    from shangliang.opinions.models import Adoption

    with transaction.atomic():
        Opinion.objects.filter(submitted_at__isnull=False).update(
            submitted_month=ExtractYear("submitted_at") * 100 + ExtractMonth("submitted_at")
        )
        Adoption.objects.update(month=ExtractYear("created_at") * 100 + ExtractMonth("created_at"))
        Tally.objects.all().delete()
        base = Reporter.objects.annotate(origin=Coalesce(F("opinion__origin_id"), F("opinion_id")))
        fields = (
            "opinion_id",
            "origin",
            "user_id",
            "membership_id",
            "membership__sector_id",
            "membership__committee_id",
            "org_id",
        )
        passes = [
            (
                Tally.Kind.SUBMITTED,
                base.filter(
                    opinion__kind=Opinion.Kind.ORIGINAL, opinion__submitted_at__isnull=False
                )
                .exclude(opinion__status__in=[Opinion.Status.DRAFT, Opinion.Status.WITHDRAWN])
                .annotate(lv=models.Value(""), yr=ExtractYear("opinion__submitted_at")),
            ),
            (
                Tally.Kind.ADOPTED,
                base.filter(opinion__adoptions__isnull=False).annotate(
                    lv=F("opinion__adoptions__level"),
                    yr=ExtractYear("opinion__adoptions__created_at"),
                ),
            ),
            (
                Tally.Kind.INSTRUCTED,
                base.filter(opinion__instructions__isnull=False)
                .annotate(lv=models.Value(""), yr=ExtractYear("opinion__instructions__date"))
                .distinct(),
            ),
        ]
        made = 0
        for kind, qs in passes:
            batch: list[Tally] = []
            for row in qs.values_list(*fields, "lv", "yr").iterator(chunk_size=chunk):
                oid, origin, user, membership, sector, committee, org, level, year = row
                batch.append(
                    Tally(
                        opinion_id=oid,
                        origin_id=origin,
                        kind=kind,
                        level=level,
                        year=year,
                        user_id=user,
                        membership_id=membership,
                        sector_id=sector,
                        committee_id=committee,
                        org_id=org,
                    )
                )
                if len(batch) >= chunk:
                    made += len(Tally.objects.bulk_create(batch, ignore_conflicts=True))
                    batch = []
            made += len(Tally.objects.bulk_create(batch, ignore_conflicts=True))
    return made


def rebuild(opinions: Any = None) -> int:
    """Rewrite the tally of ``opinions`` (all when None) from the records; returns rows."""
    qs = Opinion.objects.all() if opinions is None else opinions
    made = 0
    for o in qs.prefetch_related("adoptions", "instructions").iterator(chunk_size=2000):
        Tally.objects.filter(opinion_id=o.pk).delete()
        counted = o.status not in (Opinion.Status.DRAFT, Opinion.Status.WITHDRAWN)
        if counted and o.submitted_at and o.kind == Opinion.Kind.ORIGINAL:
            tally_submitted(o, o.submitted_at.year)
        for a in o.adoptions.all():
            tally_event(o, Tally.Kind.ADOPTED, a.level, a.created_at.year)
        for i in o.instructions.all():
            tally_event(o, Tally.Kind.INSTRUCTED, "", i.date.year)
        made += Tally.objects.filter(opinion_id=o.pk).count()
    return made
