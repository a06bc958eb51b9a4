"""优秀提案 on the home pages: the office's nominations to review and to publish, the
leaders' to confirm (and to review, where the committee gives them the first review)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import paths_for, scope_q
from shangliang.core.todo import TodoItem, todo_provider
from shangliang.proposals.excellent_models import ExcellentNomination
from shangliang.proposals.models import ProposalSettings

N = ExcellentNomination.Status


def _counts(paths: list[str]) -> dict[str, int]:
    by_leaders = ProposalSettings.objects.filter(org=OuterRef("org"), excellent_reviewer="leader")
    rows = (
        ExcellentNomination.objects.filter(scope_q(paths))
        .alias(by_leaders=Exists(by_leaders))
        .aggregate(
            office_review=Count("pk", filter=Q(status=N.NOMINATED, by_leaders=False)),
            leader_review=Count("pk", filter=Q(status=N.NOMINATED, by_leaders=True)),
            confirm=Count("pk", filter=Q(status=N.RECOMMENDED)),
            publish=Count("pk", filter=Q(status=N.CONFIRMED)),
        )
    )
    return {k: v or 0 for k, v in rows.items()}


def _url(status: str) -> str:
    return reverse("proposals:excellent_home") + f"?status={status}"


@todo_provider
def excellent_todos(user: Any) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    office = paths_for(user, [Role.Kind.PROPOSAL_OFFICE])
    leader = paths_for(user, [Role.Kind.LEADER])
    items = []
    if office:
        c = _counts(office)
        items += [
            TodoItem(_("优秀提案提名待初评"), _url(N.NOMINATED), c["office_review"]),
            TodoItem(_("优秀提案待公布"), _url(N.CONFIRMED), c["publish"]),
        ]
    if leader:
        c = _counts(leader)
        items += [
            TodoItem(_("优秀提案提名待初评"), _url(N.NOMINATED), c["leader_review"]),
            TodoItem(_("优秀提案待审议确定"), _url(N.RECOMMENDED), c["confirm"]),
        ]
    return items
