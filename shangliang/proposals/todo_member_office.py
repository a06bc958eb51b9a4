"""What proposals put on members' and the office's home pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import paths_for, scope_q
from shangliang.core.todo import TodoItem, todo_provider
from shangliang.orgs.models import Organization
from shangliang.proposals import labels  # noqa: F401  (readable audit labels)
from shangliang.proposals.models import Cosigner, Proposal
from shangliang.proposals.selectors import assignment_queue_counts
from shangliang.proposals.steps import settings_for

P = Proposal.Status


@todo_provider
def member_todos(user: Any) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    invited = Cosigner.objects.filter(
        membership__user=user,
        status=Cosigner.Status.INVITED,
        proposal__status__in=[P.DRAFT, P.IN_REVIEW, P.RETURNED],
    ).count()
    own = Proposal.objects.filter(author__user=user).aggregate(
        returned=Count("pk", filter=Q(status=P.RETURNED)),
        drafts=Count("pk", filter=Q(status=P.DRAFT)),
    )
    mine = reverse("proposals:mine")
    return [
        TodoItem(_("联名邀请待确认"), reverse("proposals:invitations"), invited, urgent=True),
        TodoItem(_("退回修改的提案"), mine, own["returned"] or 0, urgent=True),
        TodoItem(_("未提交的提案草稿"), mine, own["drafts"] or 0),
    ]


def office_assignment_counts(user: Any, paths: list[str], *, consumer: str) -> dict[str, int]:
    """The office's assignment queue counts (reassign, extension, audit) under ``paths``.

    Two home-page providers show them (this module's and ``todo_unit.office_handling``):
    the counts are kept on the user object (one per request) so that a request computes
    them once; each consumer uses a computation at most once, so a later call by the same
    consumer recounts."""
    key = tuple(sorted(set(paths)))
    memo = getattr(user, "_proposal_office_counts", None)
    if memo is not None and memo[0] == key and consumer not in memo[2]:
        memo[2].add(consumer)
        return dict(memo[1])
    counts = assignment_queue_counts(scope_q(paths, prefix="proposal__org__"))
    user._proposal_office_counts = (key, counts, {consumer})
    return dict(counts)


def _office_url(**params: str) -> str:
    return reverse("proposals:office_home") + "?" + urlencode(params)


@todo_provider
def office_todos(user: Any) -> list[TodoItem]:
    paths = paths_for(user, [Role.Kind.PROPOSAL_OFFICE]) if user.is_authenticated else []
    if not paths:
        return []
    org_id = int(min(paths, key=lambda p: (p.count("/"), p)).strip("/").split("/")[-1])
    stages = settings_for(Organization.objects.get(pk=org_id)).review_stages
    counts = {
        f"review_{i}": Count("pk", filter=Q(status=P.IN_REVIEW, review_stage=i))
        for i in range(len(stages))
    }
    waiting = Proposal.objects.filter(scope_q(paths), status__in=[P.IN_REVIEW, P.ACCEPTED])
    queue = waiting.aggregate(accepted=Count("pk", filter=Q(status=P.ACCEPTED)), **counts)
    a = office_assignment_counts(user, paths, consumer="office_todos")

    def requests(kind: str) -> str:
        return reverse("proposals:office_assignments", args=[org_id, kind])

    reviews = [
        TodoItem(_("提案待%(stage)s") % {"stage": name}, _office_url(queue=key), queue[key] or 0)
        for key, name in zip(counts, stages, strict=True)
    ]
    return [
        *reviews,
        TodoItem(_("已立案待交办"), _office_url(queue="accepted"), queue["accepted"] or 0),
        TodoItem(_("调整交办申请"), requests("reassign"), a["reassign"] or 0, urgent=True),
        TodoItem(_("延期申请"), requests("extension"), a["extension"] or 0, urgent=True),
        TodoItem(_("答复待审核"), requests("audit"), a["audit"] or 0),
    ]
