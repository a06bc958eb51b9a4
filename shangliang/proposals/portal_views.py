"""The public portal (公开的提案答复): open to everyone, no login."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shangliang.core.errors import NotFound
from shangliang.core.paging import CappedPaginator
from shangliang.proposals.excellent_selectors import proposers_public, published_excellent
from shangliang.proposals.models import Proposal, ProposalSettings
from shangliang.proposals.portal import portal_orgs, published_proposal, published_proposals

PAGE_SIZE = 20


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_GET
def portal_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    org = _int(request.GET.get("org"))
    pager = CappedPaginator if q.strip() else Paginator  # a search counts its hits up to a cap
    page = pager(published_proposals(q=q, org=org), PAGE_SIZE).get_page(request.GET.get("page"))
    excellent = [(n, proposers_public(n)) for n in published_excellent(org=org)[:5]]
    context = {"page": page, "q": q, "org": org, "orgs": portal_orgs(), "excellent": excellent}
    return render(request, "proposals/portal/list.html", context)


@require_GET
def portal_excellent(request: HttpRequest) -> HttpResponse:
    """优秀提案: the published list; titles, proposers' names and sectors, no contacts."""
    q = request.GET.get("q", "")[:100]
    org = _int(request.GET.get("org"))
    page = Paginator(published_excellent(org=org, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(n, proposers_public(n)) for n in page]
    context = {"page": page, "rows": rows, "q": q, "org": org}
    return render(request, "proposals/portal/excellent.html", context)


@require_GET
def portal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        p = published_proposal(pk)
    except NotFound:
        raise Http404 from None
    # read only: an anonymous page creates no settings row (the defaults hold until saved)
    conf = ProposalSettings.objects.filter(org=p.org).first() or ProposalSettings(org=p.org)
    published = p.published_replies  # type: ignore[attr-defined]
    replies = [(a, conf.result_class_label(a.result_class)) for a in published]
    if p.kind == Proposal.Kind.COLLECTIVE:
        proposers = [p.collective_name]
    else:  # names only: never a phone number, workplace or other contact detail
        cosigners = p.confirmed_cosigners  # type: ignore[attr-defined]
        proposers = [p.author.user.display_name]
        proposers += [c.membership.user.display_name for c in cosigners]
    context = {"p": p, "replies": replies, "proposers": proposers}
    return render(request, "proposals/portal/detail.html", context)
