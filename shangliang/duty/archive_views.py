"""The member's archive (一人一档): timeline, score traced to its sources, comparisons."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from shangliang.core.errors import NotFound
from shangliang.core.http import AuthedRequest
from shangliang.duty.models import ExcellentMember
from shangliang.duty.selectors import (
    Archive,
    group_label,
    member_archive,
    my_memberships,
    visible_orgs,
)

SOURCE_LABELS = {
    "proposals.proposal": _("提案"),
    "opinions.opinion": _("社情民意"),
    "meetings.attendance": _("会议活动"),
    "duty.manualentry": _("补录活动"),
    "duty.dutyreport": _("述职报告"),
}


def year_param(request: AuthedRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@login_required
@require_GET
def duty_home(request: AuthedRequest) -> HttpResponse:
    """Members go to their own archive, staff to their organisation's ranking."""
    orgs = list(visible_orgs(request.user).order_by("path")[:1])
    if orgs:
        return redirect("duty:org", org_id=orgs[0].pk)
    m = my_memberships(request.user).first()
    if m is None:
        raise Http404
    return redirect("duty:member", membership_id=m.pk)


def archive_context(archive: Archive) -> dict[str, Any]:
    for e in archive.entries:
        e.source_label = SOURCE_LABELS.get(e.source_type, "")  # type: ignore[attr-defined]
    groups: dict[str, list[Any]] = {}
    for t in archive.totals:
        groups.setdefault(group_label(t.group), []).append(t)
    best = max([archive.score.score, *(v for v in archive.averages.values() if v is not None)])
    scale = float(best) if best and best > 0 else 1.0

    def bar(v: Any) -> int:
        return max(0, min(100, round(100 * float(v or 0) / scale)))

    comparison = [
        ("mine", _("本人"), archive.score.score, bar(archive.score.score)),
        (
            "sector",
            _("界别平均"),
            archive.averages.get("sector"),
            bar(archive.averages.get("sector")),
        ),
        (
            "committee",
            _("专委会平均"),
            archive.averages.get("committee"),
            bar(archive.averages.get("committee")),
        ),
        ("org", _("全体委员平均"), archive.averages.get("org"), bar(archive.averages.get("org"))),
    ]
    return {"a": archive, "groups": groups, "comparison": comparison}


@login_required
@require_GET
def member_page(request: AuthedRequest, membership_id: int) -> HttpResponse:
    year = year_param(request)
    try:
        archive = member_archive(user=request.user, membership_id=membership_id, year=year)
    except NotFound:
        raise Http404 from None
    context = archive_context(archive)
    m = archive.membership
    context.update(
        {
            "year": year,
            "years": list(range(timezone.localdate().year, m.term.starts_on.year - 1, -1)),
            "own": m.user_id == request.user.pk,
            "excellent": ExcellentMember.objects.filter(
                membership=m, year=year, status=ExcellentMember.Status.CONFIRMED
            ).exists(),
            "source_labels": SOURCE_LABELS,
            "nav_active": "duty",
        }
    )
    return render(request, "duty/member.html", context)


@login_required
@require_GET
def member_pdf(request: AuthedRequest, membership_id: int) -> HttpResponse:
    """The printable archive for the term: every year of the term, one section each."""
    try:
        from shangliang.core.pdf import pdf_response, render_pdf  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise Http404 from None
    year = year_param(request)
    try:
        first = member_archive(user=request.user, membership_id=membership_id, year=year)
    except NotFound:
        raise Http404 from None
    m = first.membership
    last = min(timezone.localdate().year, m.term.ends_on.year if m.term.ends_on else 9999)
    archives = [
        archive_context(member_archive(user=request.user, membership_id=m.pk, year=y))
        for y in range(last, m.term.starts_on.year - 1, -1)  # newest year first
    ]
    pdf = render_pdf(
        "duty/archive_pdf.html",
        {
            "m": m,
            "archives": archives,
            "source_labels": SOURCE_LABELS,
            "printed": timezone.localtime(),
        },
        request=request,
    )
    filename = f"履职档案-{m.user.display_name}-{m.term.name}.pdf"
    return pdf_response(pdf, filename)  # type: ignore[no-any-return,unused-ignore]
