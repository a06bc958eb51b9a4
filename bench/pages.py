"""The pages and API endpoints the capability issues name, with their targets, the persona
that opens them and, for list pages, the queryset of the page's rows (run as bare SQL for
the framework-cost ratio). Built from the generated data of the bench database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

LIST_TARGET = 150.0  # proposal lists, unit inbox, opinion queue (issues 2–5)
PAGE_TARGET = 300.0  # every other page: the plenary-day target of issue 6


@dataclass
class Page:
    section: str
    name: str
    persona: str  # a key of the clients: member, office, unit, info, leader, public, api_*
    url: str
    target_ms: float
    rows: Callable[[], QuerySet[Any]] | None = None  # the page's rows, for the bare SQL


@dataclass
class World:
    """The ids the pages need, found in the generated data."""

    users: dict[str, Any]
    province: Any
    proposal_id: int
    assignment_id: int
    unit_ids: list[int]


def find_world(personas: dict[str, str]) -> World:
    from shangliang.accounts.models import UnitUser, User
    from shangliang.orgs.models import Organization
    from shangliang.proposals.models import Assignment, Proposal

    users = {k: User.objects.get(username=v) for k, v in personas.items()}
    province = Organization.objects.get(level=1, parent__isnull=True, path__regex=r"^/\d+/$")
    mine = Proposal.objects.filter(author__user=users["member"], status="closed").order_by("-id")
    unit_ids = list(UnitUser.objects.filter(user=users["unit"]).values_list("unit_id", flat=True))
    assignment = Assignment.objects.filter(unit_id__in=unit_ids).order_by("-id").first()
    first = mine.first()
    return World(
        users=users,
        province=province,
        proposal_id=first.pk if first else 0,
        assignment_id=assignment.pk if assignment else 0,
        unit_ids=unit_ids,
    )


def _proposal_pages(w: World) -> list[Page]:
    from shangliang.api.proposal_schemas import AssignmentFiltersIn, ProposalFiltersIn
    from shangliang.api.proposal_selectors import assignment_list, proposal_list
    from shangliang.proposals import member_views, office_views, portal_views, unit_views
    from shangliang.proposals.portal import published_proposals
    from shangliang.proposals.selectors import (
        ProposalFilters,
        office_queue,
        office_queues,
        proposals_of_member,
    )
    from shangliang.proposals.steps import settings_for
    from shangliang.proposals.unit_selectors import InboxFilters, inbox_for

    member, office, unit = w.users["member"], w.users["office"], w.users["unit"]
    org = w.province
    queues = {q.key: q for q in office_queues(settings_for(org).review_stages)}

    def queue_rows(key: str, f: ProposalFilters | None = None) -> Callable[[], QuerySet[Any]]:
        return lambda: office_queue(
            user=office, org=org, queue=queues[key], filters=f or ProposalFilters()
        )[: office_views.PAGE_SIZE]

    queue = reverse("proposals:office_queue", args=[org.pk])
    s = "提案 proposals"
    return [
        Page(s, "委员首页 member home", "member", reverse("web:home"), PAGE_TARGET),
        Page(
            s,
            "我的提案 my proposals",
            "member",
            reverse("proposals:mine"),
            LIST_TARGET,
            lambda: proposals_of_member(user=member)[: member_views.PAGE_SIZE],
        ),
        Page(
            s,
            "提案详情 proposal page",
            "member",
            reverse("proposals:detail", args=[w.proposal_id]),
            PAGE_TARGET,
        ),
        Page(s, "写提案 new proposal form", "member", reverse("proposals:new"), PAGE_TARGET),
        Page(s, "待测评 ratings to give", "member", reverse("proposals:ratings_mine"), LIST_TARGET),
        Page(s, "提案委首页 office home", "office", reverse("web:home"), PAGE_TARGET),
        Page(
            s,
            "审查队列 office queue (first stage)",
            "office",
            queue,
            LIST_TARGET,
            queue_rows("review_0"),
        ),
        Page(
            s,
            "办理中 office queue: handling",
            "office",
            queue + "?queue=handling",
            LIST_TARGET,
            queue_rows("handling"),
        ),
        Page(
            s,
            "已办结 office queue: closed",
            "office",
            queue + "?queue=closed",
            LIST_TARGET,
            queue_rows("closed"),
        ),
        Page(
            s,
            "已办结 + 案由含“养老” office queue search",
            "office",
            queue + "?queue=closed&q=养老",
            LIST_TARGET,
            queue_rows("closed", ProposalFilters(q="养老")),
        ),
        Page(
            s,
            "督办看板 deadline board",
            "office",
            reverse("proposals:handling_board", args=[org.pk]),
            LIST_TARGET,
        ),
        Page(s, "提案统计 figures", "office", reverse("proposals:figures"), PAGE_TARGET),
        Page(
            s, "单位统计 figures by unit", "office", reverse("proposals:figures_units"), PAGE_TARGET
        ),
        Page(
            s,
            "承办单位收件箱 unit inbox",
            "unit",
            reverse("proposals:unit_inbox"),
            LIST_TARGET,
            lambda: inbox_for(user=unit, filters=InboxFilters(), units=w.unit_ids)[
                : unit_views.PAGE_SIZE
            ],
        ),
        Page(
            s,
            "交办详情 assignment page",
            "unit",
            reverse("proposals:unit_assignment", args=[w.assignment_id]),
            PAGE_TARGET,
        ),
        Page(
            s,
            "公开答复 public portal",
            "public",
            reverse("proposals:portal_list"),
            LIST_TARGET,
            lambda: published_proposals()[: portal_views.PAGE_SIZE],
        ),
        Page(
            s,
            "公开答复检索 portal search “医疗”",
            "public",
            reverse("proposals:portal_list") + "?q=医疗",
            LIST_TARGET,
            lambda: published_proposals(q="医疗")[: portal_views.PAGE_SIZE],
        ),
        Page(
            "API",
            "GET /api/v1/proposals (office)",
            "api_office",
            "/api/v1/proposals",
            LIST_TARGET,
            lambda: proposal_list(user=office, filters=ProposalFiltersIn())[:50],
        ),
        Page(
            "API",
            "GET /api/v1/proposals?mine=true (member)",
            "api_member",
            "/api/v1/proposals?mine=true",
            LIST_TARGET,
        ),
        Page(
            "API",
            "GET /api/v1/assignments (unit)",
            "api_unit",
            "/api/v1/assignments",
            LIST_TARGET,
            lambda: assignment_list(user=unit, filters=AssignmentFiltersIn())[:50],
        ),
    ]


def _opinion_pages(w: World) -> list[Page]:
    org = w.province
    s = "社情民意 opinions"
    out = [
        Page(s, "信息处首页 info office home", "info", reverse("web:home"), PAGE_TARGET),
        Page(
            s,
            "编辑队列 editor's queue",
            "info",
            reverse("opinions:office_queue", args=[org.pk]),
            LIST_TARGET,
        ),
        Page(
            s, "信息统计 figures", "info", reverse("opinions:figures", args=[org.pk]), LIST_TARGET
        ),
        Page(s, "我的信息 my reports", "member", reverse("opinions:mine"), LIST_TARGET),
    ]
    figures = reverse("opinions:figures", args=[org.pk])
    for by, label in (("sector", "界别"), ("committee", "专委会"), ("org", "政协")):
        out.append(
            Page(
                s,
                f"信息统计（按{label}）figures by {by}",
                "info",
                f"{figures}?by={by}",
                LIST_TARGET,
            )
        )
    return out


def _duty_pages(w: World) -> list[Page]:
    from shangliang.accounts.models import Membership

    seat = Membership.objects.filter(user=w.users["member"], term__is_current=True).first()
    s = "履职 duty"
    out = [
        Page(
            s,
            "组织积分排名 org ranking",
            "leader",
            reverse("duty:org", args=[w.province.pk]),
            PAGE_TARGET,
        ),
    ]
    if seat is not None:
        out.insert(
            0,
            Page(
                s,
                "委员履职档案 member archive",
                "member",
                reverse("duty:member", args=[seat.pk]),
                LIST_TARGET,
            ),
        )
    return out


def all_pages(w: World) -> tuple[list[Page], list[str]]:
    """The pages, and a note for each group that could not be built."""
    pages: list[Page] = []
    notes: list[str] = []
    for label, build in (
        ("proposals", _proposal_pages),
        ("opinions", _opinion_pages),
        ("duty", _duty_pages),
    ):
        try:
            pages += build(w)
        except (NoReverseMatch, ImportError, LookupError, AttributeError) as exc:
            notes.append(f"{label}: pages not measured ({type(exc).__name__}: {exc})")
    return pages, notes
