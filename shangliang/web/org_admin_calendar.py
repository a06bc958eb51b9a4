"""The working-day calendar page (/calendar/): holidays and adjusted working days (调休).

Any administrator (``Role.Kind.ADMIN`` anywhere) or superuser may look, and check what
``add_working_days`` gives for a date; changing the calendar, which every committee's
deadlines use, needs a superuser or an administrator of a province (or above).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import can, role_paths
from shangliang.core.calendar import add_working_days
from shangliang.core.errors import DomainError
from shangliang.core.http import AuthedRequest
from shangliang.core.models import CalendarDay
from shangliang.orgs.models import Organization
from shangliang.orgs.services import calendar as services
from shangliang.web.org_admin_forms import CalendarCheckForm, CalendarDayForm

MIN_YEAR, MAX_YEAR = 2000, 2100


def _viewer(request: AuthedRequest) -> None:
    user = request.user
    if not (user.is_superuser or role_paths(user).get(Role.Kind.ADMIN)):
        raise PermissionDenied(_("只有系统管理员可以查看工作日历。"))


def _top_org(user: Any) -> Organization | None:
    """The highest committee the user administers (the audit rows' scope)."""
    return (
        Organization.objects.filter(roles__user=user, roles__kind=Role.Kind.ADMIN, is_active=True)
        .order_by("level", "path")
        .first()
    )


def _editor(user: Any) -> tuple[bool, Organization | None]:
    """(may change the calendar, the committee to scope its audit rows to)."""
    top = _top_org(user)
    if user.is_superuser:
        return True, top
    ok = (
        top is not None
        and top.level <= Organization.Level.PROVINCE
        and can(user, "orgs.configure", top)
    )
    return ok, top


def _require_editor(request: AuthedRequest) -> Organization | None:
    _viewer(request)
    ok, top = _editor(request.user)
    if not ok:
        raise PermissionDenied(_("只有省级（及以上）管理员可以修改工作日历。"))
    return top


def _year(value: Any) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return min(max(year, MIN_YEAR), MAX_YEAR)


def _check(form: CalendarCheckForm) -> dict[str, Any]:
    if not form.is_bound or not form.is_valid():
        return {"check_form": form}
    start, days = form.cleaned_data["date"], form.cleaned_data["days"]
    try:
        result = add_working_days(start, days)
    except OverflowError:
        form.add_error("date", _("日期超出范围。"))
        return {"check_form": form}
    skipped = CalendarDay.objects.filter(date__gt=start, date__lte=result).order_by("date")
    return {
        "check_form": form,
        "check": {"start": start, "days": days, "result": result},
        "check_days": skipped,
    }


def _page(
    request: AuthedRequest, year: int, form: CalendarDayForm | None = None, status: int = 200
) -> HttpResponse:
    may_edit, _top = _editor(request.user)
    check_form = CalendarCheckForm(
        request.GET if "date" in request.GET else None,
        initial={"date": timezone.localdate(), "days": 5},
        auto_id="check_%s",  # the add form on the same page has a "date" field too
    )
    context = {
        "year": year,
        "days": CalendarDay.objects.filter(date__year=year).order_by("date"),
        "may_edit": may_edit,
        "form": form or CalendarDayForm(initial={"kind": CalendarDay.Kind.HOLIDAY}),
        "official_years": services.official_years(),
        "year_has_official": year in services.official_years(),
        "nav_active": "calendar",
        **_check(check_form),
    }
    return render(request, "web/orgs/manage_calendar.html", context, status=status)


def _back(year: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('web:calendar')}?year={year}")


@login_required
def calendar_page(request: AuthedRequest) -> HttpResponse:
    _viewer(request)
    if request.method != "POST":
        return _page(request, _year(request.GET.get("year")))
    top = _require_editor(request)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_day_create(actor=request.user, org=top, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已添加：%(date)s") % {"date": data["date"]})
            return _back(data["date"].year)
    year = form.cleaned_data["date"].year if "date" in form.cleaned_data else _year(None)
    return _page(request, year, form=form, status=422)


@login_required
@require_POST
def calendar_delete(request: AuthedRequest, day_id: int) -> HttpResponse:
    top = _require_editor(request)
    day = get_object_or_404(CalendarDay, pk=day_id)
    services.calendar_day_delete(actor=request.user, day=day, org=top)
    messages.success(request, _("已删除：%(day)s") % {"day": day})
    return _back(day.date.year)


@login_required
@require_POST
def calendar_load(request: AuthedRequest) -> HttpResponse:
    top = _require_editor(request)
    year = _year(request.POST.get("year"))
    try:
        count = services.calendar_year_load(actor=request.user, year=year, org=top)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request, _("已载入%(year)s年官方节假日安排，共%(n)s天。") % {"year": year, "n": count}
        )
    return _back(year)


@login_required
def calendar_check(request: AuthedRequest) -> HttpResponse:
    """The deadline check alone (htmx); without htmx, the whole page answers."""
    _viewer(request)
    if not request.htmx:
        return redirect(f"{reverse('web:calendar')}?{request.GET.urlencode()}")
    context = _check(CalendarCheckForm(request.GET, auto_id="check_%s"))
    return render(request, "web/orgs/manage_calendar.html#check", context)
