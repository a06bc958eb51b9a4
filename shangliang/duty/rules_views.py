"""The scoring rules page: edit a year's scheme, or start from a preset; the recompute
runs in the background and the page shows its progress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shangliang.core.errors import DomainError, NotFound
from shangliang.core.http import AuthedRequest
from shangliang.duty.archive_views import year_param
from shangliang.duty.items import ITEMS, REQUIREMENTS
from shangliang.duty.models import RecomputeJob, ScoringRule
from shangliang.duty.presets import PRESET_CHOICES, PRESETS
from shangliang.duty.scoring import scheme_for
from shangliang.duty.selectors import org_visible
from shangliang.duty.services.scheme import RuleIn, scheme_apply_preset, scheme_update
from shangliang.orgs.models import Organization


def _org(request: AuthedRequest, org_id: int) -> Organization:
    try:
        return org_visible(user=request.user, org_id=org_id, perm="duty.configure")
    except NotFound:
        raise Http404 from None


def _rows(scheme: Any, post: Any = None) -> list[dict[str, Any]]:
    rules = {r.item: r for r in scheme.rules.all()}
    rows = []
    for item in ITEMS:
        r = rules.get(item.code)
        if post is not None:
            values = {
                k: post.get(f"{item.code}:{k}", "")
                for k in ("points", "unit", "cap", "split", "first_points", "cosigner_points")
            }
        else:
            values = {
                "points": "" if r is None else r.points,
                "unit": r.unit if r else "time",
                "cap": "" if r is None or r.cap is None else r.cap,
                "split": r.split if r else "fixed",
                "first_points": "" if r is None or r.first_points is None else r.first_points,
                "cosigner_points": ""
                if r is None or r.cosigner_points is None
                else r.cosigner_points,
            }
        rows.append({"item": item, **values})
    return rows


def _page(
    request: AuthedRequest,
    org: Organization,
    year: int,
    *,
    rows: Any = None,
    errors: dict[str, list[str]] | None = None,
    values: Any = None,
    status: int = 200,
) -> HttpResponse:
    scheme = scheme_for(org.pk, year)
    job = RecomputeJob.objects.filter(org=org, year=year).first()
    context = {
        "org": org,
        "year": year,
        "scheme": scheme,
        "v": values or scheme,
        "rows": rows or _rows(scheme),
        "errors": errors or {},
        "units": ScoringRule.Unit.choices,
        "splits": ScoringRule.Split.choices,
        "presets": PRESET_CHOICES,
        "preset_sources": {p.code: p.source for p in PRESETS.values()},
        "requirements": [(k, v[0]) for k, v in REQUIREMENTS.items()],
        "job": job,
        "nav_active": "duty",
    }
    return render(request, "duty/rules.html", context, status=status)


@login_required
def rules_page(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _org(request, org_id)
    year = year_param(request)
    if request.method != "POST":
        return _page(request, org, year)
    post = request.POST
    rules = [
        RuleIn(
            item=i.code,
            points=post.get(f"{i.code}:points"),
            unit=post.get(f"{i.code}:unit", "time"),
            cap=post.get(f"{i.code}:cap") or None,
            split=post.get(f"{i.code}:split", "fixed"),
            first_points=post.get(f"{i.code}:first_points") or None,
            cosigner_points=post.get(f"{i.code}:cosigner_points") or None,
        )
        for i in ITEMS
        if (post.get(f"{i.code}:points") or "").strip()
    ]
    try:
        limits = int(post.get("exit_plenary_absences") or 0), int(post.get("exit_idle_years") or 0)
    except ValueError:
        limits = (0, 0)
    try:
        scheme_update(
            actor=request.user,
            org=org,
            year=year,
            base=post.get("base"),
            excellent_min=post.get("excellent_min"),
            good_min=post.get("good_min"),
            pass_min=post.get("pass_min"),
            minimums=post.getlist("minimums"),
            exit_plenary_absences=limits[0],
            exit_idle_years=limits[1],
            rules=rules,
        )
    except DomainError as exc:
        # rules.N.field → item:field, so the page marks the right cell
        errors: dict[str, list[str]] = {}
        for key, msgs in exc.fields.items():
            parts = key.split(".")
            if parts[0] == "rules" and len(parts) == 3:
                key = f"{rules[int(parts[1])].item}:{parts[2]}"
            errors[key] = msgs
        messages.error(request, exc.detail)
        return _page(
            request,
            org,
            year,
            rows=_rows(scheme_for(org.pk, year), post),
            errors=errors,
            values=post,
            status=422,
        )
    messages.success(request, _("规则已保存，正在后台重算本年度积分。"))
    return redirect(f"{reverse('duty:rules', args=[org.pk])}?year={year}")


@login_required
@require_POST
def rules_preset(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _org(request, org_id)
    year = year_param(request)
    try:
        scheme_apply_preset(
            actor=request.user, org=org, year=year, preset=request.POST.get("preset", "")
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已套用方案，正在后台重算本年度积分。"))
    return redirect(f"{reverse('duty:rules', args=[org.pk])}?year={year}")


@login_required
@require_GET
def recompute_job(request: AuthedRequest, org_id: int, job_id: int) -> HttpResponse:
    org = _org(request, org_id)
    job = get_object_or_404(RecomputeJob, pk=job_id, org=org)
    return render(request, "duty/rules.html#job", {"org": org, "job": job})
