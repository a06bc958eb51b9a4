"""Reads of opinion reports, scoped to what the user may see (the rules of
``permissions.py`` as query filters). Pages and the API share them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from shangliang.accounts.models import Role, UnitUser
from shangliang.accounts.permissions import paths_for, require, staff_orgs_q
from shangliang.core.errors import NotFound
from shangliang.opinions.models import Feedback, Forwarding, Issue, Opinion, Reporter, TopicGuide
from shangliang.opinions.permissions import READERS
from shangliang.orgs.models import Organization

S = Opinion.Status
QUEUE_STATES = [S.SUBMITTED, S.EDITING, S.RETURNED, S.SIGNED_OFF, S.PUBLISHED, S.KEPT, S.COMBINED]


@dataclass(frozen=True)
class OpinionFilters:
    q: str = ""
    status: str = ""
    org: int | None = None
    mine: bool = False
    kind: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None, False)}


def visible_q(user: Any) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    mine = Q(author=user) | Exists(Reporter.objects.filter(opinion=OuterRef("pk"), user=user))
    units = UnitUser.objects.filter(user=user).values("unit_id")
    forwarded = Exists(Forwarding.objects.filter(opinion=OuterRef("pk"), unit__in=units))
    staff = staff_orgs_q(user, READERS)
    return Q(author=user) | (~Q(status=S.DRAFT) & (mine | staff | Q(forwarded)))


def with_list_data(qs: QuerySet[Opinion]) -> QuerySet[Opinion]:
    return qs.select_related("author", "org", "issue")


def apply_filters(qs: QuerySet[Opinion], filters: OpinionFilters, user: Any) -> QuerySet[Opinion]:
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(edited_title__icontains=filters.q))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.org:
        qs = qs.filter(org_id=filters.org)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.mine:
        qs = qs.filter(
            Q(author=user) | Exists(Reporter.objects.filter(opinion=OuterRef("pk"), user=user))
        )
    return qs


def opinions_visible_to(*, user: Any, filters: OpinionFilters | None = None) -> QuerySet[Opinion]:
    qs = Opinion.objects.filter(visible_q(user))
    qs = apply_filters(qs, filters or OpinionFilters(), user)
    return with_list_data(qs).order_by("-submitted_at", "-id")


def opinion_visible(*, user: Any, opinion_id: int) -> Opinion:
    """One report the user may open, or NotFound (also for another committee's ids)."""
    o = (
        Opinion.objects.select_related("org", "org__parent", "author", "issue", "source__org")
        .filter(pk=opinion_id)
        .first()
    )
    if o is None:
        raise NotFound()
    require(user, "opinions.view", o, hide=True)
    return o


def opinions_of_reporter(*, user: Any) -> QuerySet[Opinion]:
    """The user's own reports (as first or joint reporter), originals only. The reports the
    user is credited on are read first (a short list, by the reporter index): an OR with an
    ``EXISTS`` would make PostgreSQL scan every report."""
    credited = list(Reporter.objects.filter(user=user).values_list("opinion_id", flat=True))
    return (
        with_list_data(
            Opinion.objects.filter(Q(author=user) | Q(pk__in=credited), kind=Opinion.Kind.ORIGINAL)
        )
        .exclude(~Q(author=user), status=S.DRAFT)
        .order_by("-created_at", "-id")
    )


def office_orgs(user: Any) -> QuerySet[Organization]:
    """The committees whose intake the user handles (information office, there and below)."""
    if user.is_superuser:
        return Organization.objects.filter(is_active=True)
    paths = paths_for(user, [Role.Kind.INFO_OFFICE])
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(path__startswith=p)
    return Organization.objects.filter(q, is_active=True).order_by("path")


def office_queue(
    *, org: Organization, status: str = "", q: str = "", kind: str = ""
) -> QuerySet[Opinion]:
    """One committee's intake (not drafts), newest first; indexed on (org, status, submitted)."""
    qs = Opinion.objects.filter(org=org).exclude(status=S.DRAFT)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(edited_title__icontains=q))
    return with_list_data(qs).order_by("-submitted_at", "-id")


def queue_counts(*, org: Organization) -> dict[str, int]:
    """How many reports of the committee are in each state (one query)."""
    rows = (
        Opinion.objects.filter(org=org)
        .exclude(status=S.DRAFT)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, int] = dict.fromkeys((str(s) for s in QUEUE_STATES), 0)
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def forwarded_to(*, user: Any) -> QuerySet[Forwarding]:
    units = UnitUser.objects.filter(user=user).values("unit_id")
    return (
        Forwarding.objects.filter(unit__in=units)
        .select_related("opinion__org", "unit")
        .order_by("status", "-created_at", "-id")
    )


def issues_of(*, org: Organization) -> QuerySet[Issue]:
    return (
        Issue.objects.filter(org=org).annotate(n=Count("items")).order_by("-year", "-date", "-id")
    )


def issues_readable(*, user: Any) -> QuerySet[Issue]:
    return (
        Issue.objects.filter(staff_orgs_q(user, READERS))
        .select_related("org")
        .annotate(n=Count("items"))
        .order_by("-date", "-id")
    )


def feedback_for(*, user: Any) -> QuerySet[Feedback]:
    return Feedback.objects.filter(user=user).select_related("opinion").order_by("-created_at")


def current_guide(*, org: Organization | None) -> TopicGuide | None:
    if org is None:
        return None
    today = timezone.localdate()
    return (
        TopicGuide.objects.filter(org=org)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .order_by("-created_at", "-id")
        .first()
    )


def history_chain(o: Opinion) -> list[int]:
    """Ids of the record and the lower-level records it was reported from (its history)."""
    ids = [o.pk]
    current = o
    for _i in range(4):
        if current.source_id is None:
            break
        ids.append(current.source_id)
        current = Opinion.objects.only("pk", "source_id").get(pk=current.source_id)
    return ids
