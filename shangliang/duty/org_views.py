"""Staff pages of an organisation's duty scores: ranking with figures, who still lacks
which minimum, exit warnings, excellent members, manual entries, and the Excel export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from shangliang.accounts.models import Membership
from shangliang.accounts.permissions import can
from shangliang.core.errors import DomainError, NotFound
from shangliang.core.forms import StyledFormMixin
from shangliang.core.http import AuthedRequest
from shangliang.core.xlsx import workbook_response
from shangliang.duty.archive_views import year_param
from shangliang.duty.export import ranking_workbook
from shangliang.duty.items import MANUAL_ITEMS, label_of
from shangliang.duty.models import ExcellentMember, ExitFlag, ManualEntry
from shangliang.duty.selectors import (
    averages_by,
    averages_by_group,
    by_org,
    ensure_scores,
    grade_counts,
    lacking_counts,
    lacking_labels,
    lacking_members,
    org_visible,
    ranking,
)
from shangliang.duty.services.entries import manual_entry_create, manual_entry_decide
from shangliang.duty.services.flags import excellent_decide, excellent_nominate, exit_flag_decide
from shangliang.orgs.models import Committee, Organization, Sector
from shangliang.orgs.models import Organization as Org

PAGE = 50


def _org(request: AuthedRequest, org_id: int, perm: str = "duty.view_org") -> Organization:
    try:
        return org_visible(user=request.user, org_id=org_id, perm=perm)
    except NotFound:
        raise Http404 from None


def _filtered(request: AuthedRequest, org: Org, year: int) -> tuple[Any, dict[str, str]]:
    rolled = request.GET.get("scope") == "tree"
    qs = ranking(org=org, year=year, rolled_up=rolled)
    f = {k: request.GET.get(k, "") for k in ("sector", "committee", "grade", "scope")}
    if f["sector"].isdigit():
        qs = qs.filter(sector_id=int(f["sector"]))
    if f["committee"].isdigit():
        qs = qs.filter(committee_id=int(f["committee"]))
    if f["grade"]:
        qs = qs.filter(grade=f["grade"])
    return qs, f


def bars(rows: list[tuple[str, Any]]) -> list[tuple[str, Any, int]]:
    top = max([float(v or 0) for _k, v in rows] + [1.0])
    return [(k, v, round(100 * float(v or 0) / top)) for k, v in rows]


@login_required
@require_GET
def org_page(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _org(request, org_id)
    year = year_param(request)
    ensure_scores(org, year)
    qs, f = _filtered(request, org, year)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    lacking_rows = list(lacking_members(org, year)[:100])
    all_flags = request.GET.get("flags") == "all"
    # unexcused plenary absences first ("plenary_absences" sorts after "idle_years")
    flags = ExitFlag.objects.filter(org=org, status=ExitFlag.Status.OPEN).order_by(
        "-rule", "membership_id"
    )
    sectors = averages_by(ranking(org=org, year=year), "sector")
    committees = averages_by(ranking(org=org, year=year), "committee")
    groups = averages_by_group(ranking(org=org, year=year))
    context = {
        "org": org,
        "year": year,
        "f": f,
        "page": page,
        "offset": (page.number - 1) * PAGE,
        "grades": bars([(label, n) for _g, label, n in grade_counts(qs)]),
        "sector_bars": bars([(r["membership__sector__name"], r["avg"]) for r in sectors]),
        "committee_bars": bars([(r["membership__committee__name"], r["avg"]) for r in committees]),
        "group_bars": bars([(r["membership__groups__name"], r["avg"]) for r in groups]),
        "orgs": by_org(org, year),
        "lacking": [(label, n) for _c, label, n in lacking_counts(org, year) if n],
        "lacking_rows": [
            (r.membership_id, r.membership.user.display_name, lacking_labels(r.lacking))
            for r in lacking_rows
        ],
        "lacking_total": lacking_members(org, year).count(),
        "flags": flags.select_related("membership__user")[: 500 if all_flags else 10],
        "flag_count": flags.count(),
        "all_flags": all_flags,
        "nominations": ExcellentMember.objects.filter(org=org, year=year).select_related(
            "membership__user"
        )[:100],
        "sectors": Sector.objects.filter(org=org, is_active=True),
        "committees": Committee.objects.filter(org=org, is_active=True),
        "can_manage": can(request.user, "duty.manage", org),
        "can_decide": can(request.user, "duty.decide", org),
        "can_configure": can(request.user, "duty.configure", org),
        "nav_active": "duty",
    }
    return render(request, "duty/org.html", context)


@login_required
@require_GET
def org_export(request: AuthedRequest, org_id: int) -> FileResponse:
    org = _org(request, org_id)
    year = year_param(request)
    ensure_scores(org, year)
    qs, _f = _filtered(request, org, year)
    wb = ranking_workbook(actor=request.user, org=org, year=year, scores=qs[:100000])
    return workbook_response(wb, _("履职积分-%(org)s-%(y)s.xlsx") % {"org": org.name, "y": year})


@login_required
@require_POST
def flag_decide(request: AuthedRequest, org_id: int, flag_id: int) -> HttpResponse:
    org = _org(request, org_id, "duty.manage")
    flag = get_object_or_404(ExitFlag, pk=flag_id, org=org)
    decision = request.POST.get("decision", "")
    try:
        exit_flag_decide(
            actor=request.user, flag=flag, decision=decision, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("duty:org", org_id=org.pk)
    if decision == "refer":
        messages.success(request, _("请在委员页面决定暂停履职或提请退出。"))
        return redirect("roster:membership", flag.membership_id)
    messages.success(request, _("已记录处理意见。"))
    return redirect("duty:org", org_id=org.pk)


@login_required
@require_POST
def nominate(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _org(request, org_id, "duty.manage")
    year = year_param(request)
    try:
        excellent_nominate(
            actor=request.user,
            org=org,
            year=year,
            membership_id=int(request.POST.get("membership", 0) or 0),
        )
        messages.success(request, _("已提名为优秀委员，待领导确认。"))
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "detail", _("提名无效。")))
    return redirect(f"{reverse('duty:org', args=[org.pk])}?year={year}")


@login_required
@require_POST
def nomination_decide(request: AuthedRequest, org_id: int, nomination_id: int) -> HttpResponse:
    org = _org(request, org_id, "duty.decide")
    nom = get_object_or_404(ExcellentMember, pk=nomination_id, org=org)
    try:
        excellent_decide(
            actor=request.user, nomination=nom, confirm=request.POST.get("decision") == "confirm"
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect(f"{reverse('duty:org', args=[org.pk])}?year={nom.year}")


class ManualEntryForm(StyledFormMixin, forms.Form):
    membership = forms.IntegerField(label=gettext_lazy("委员"), widget=forms.Select)
    item = forms.ChoiceField(label=gettext_lazy("事项"))
    occurred_on = forms.DateField(
        label=gettext_lazy("日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    half_days = forms.DecimalField(
        label=gettext_lazy("半天数"), initial=1, min_value=0.5, max_value=40, decimal_places=1
    )
    description = forms.CharField(label=gettext_lazy("活动说明"), max_length=300)
    evidence = forms.FileField(label=gettext_lazy("佐证材料"), required=False)

    def __init__(self, *args: Any, org: Org, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = (
            Membership.objects.filter(org=org, term__is_current=True)
            .select_related("user")
            .order_by("user__name")
        )
        widget: Any = self.fields["membership"].widget
        widget.choices = [(m.pk, m.user.display_name) for m in members]
        item: Any = self.fields["item"]
        item.choices = [(c, label_of(c)) for c in MANUAL_ITEMS]


@login_required
def entries(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _org(request, org_id, "duty.manage")
    form = ManualEntryForm(request.POST or None, request.FILES or None, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            manual_entry_create(
                actor=request.user,
                org=org,
                **{
                    "membership_id": form.cleaned_data["membership"],
                    "item": form.cleaned_data["item"],
                    "occurred_on": form.cleaned_data["occurred_on"],
                    "half_days": form.cleaned_data["half_days"],
                    "description": form.cleaned_data["description"],
                    "evidence": form.cleaned_data["evidence"],
                },
            )
        except DomainError as exc:
            for field, msgs in exc.fields.items():
                form.add_error(field if field in form.fields else None, msgs)
            if not exc.fields:
                form.add_error(None, exc.detail)
        else:
            messages.success(request, _("已录入，待另一位工作人员确认后计分。"))
            return redirect("duty:entries", org_id=org.pk)
    rows = ManualEntry.objects.filter(org=org).select_related(
        "membership__user", "created_by", "decided_by"
    )[:200]
    return render(
        request,
        "duty/entries.html",
        {"org": org, "form": form, "rows": rows, "nav_active": "duty"},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def entry_decide(request: AuthedRequest, org_id: int, entry_id: int) -> HttpResponse:
    org = _org(request, org_id, "duty.manage")
    entry = get_object_or_404(ManualEntry, pk=entry_id, org=org)
    try:
        manual_entry_decide(
            actor=request.user,
            entry=entry,
            confirm=request.POST.get("decision") == "confirm",
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("duty:entries", org_id=org.pk)


@login_required
@require_GET
def entry_evidence(request: AuthedRequest, org_id: int, entry_id: int) -> FileResponse:
    org = _org(request, org_id, "duty.manage")
    entry = get_object_or_404(ManualEntry, pk=entry_id, org=org)
    if not entry.evidence.name or not entry.evidence.storage.exists(entry.evidence.name):
        raise Http404
    return FileResponse(
        entry.evidence.open("rb"),
        as_attachment=True,
        filename=(entry.evidence.name or "").rsplit("/", 1)[-1],
    )
