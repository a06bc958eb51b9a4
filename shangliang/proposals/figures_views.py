"""The proposal figures pages (提案统计): the overview, the league table of handling units and
the Excel export. For the proposal office, leaders and administrators of a committee or of one
above it; everyone else gets a 404."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import is_staff_of, staff_orgs_q
from shangliang.core.http import AuthedRequest
from shangliang.core.xlsx import workbook_response
from shangliang.orgs.models import Organization, Session, Term
from shangliang.proposals import figures
from shangliang.proposals.figures_export import figures_export
from shangliang.proposals.figures_report import (
    DEFINITIONS,
    ROW_COLUMNS,
    UNIT_COLUMNS,
    Column,
    cells,
    period_label,
    report_text,
)
from shangliang.proposals.figures_rows import Row

KINDS = [Role.Kind.PROPOSAL_OFFICE, Role.Kind.LEADER, Role.Kind.ADMIN]
PERIOD_CHOICES = [
    ("session", gettext_lazy("按会议")),
    ("year", gettext_lazy("按年度")),
    ("term", gettext_lazy("按届")),
]


SELECT = {"class": "form-select"}


class FiguresForm(forms.Form):
    """The period (and, for a committee with committees under it, whether to include them)."""

    period = forms.ChoiceField(
        label=gettext_lazy("统计期间"),
        choices=PERIOD_CHOICES,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    session = forms.ModelChoiceField(
        label=gettext_lazy("会议"),
        queryset=Session.objects.none(),
        required=False,
        widget=forms.Select(attrs={**SELECT, "data-show-when": "period=session"}),
    )
    year = forms.IntegerField(
        label=gettext_lazy("年度"),
        min_value=1949,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control", "data-show-when": "period=year"}),
    )
    term = forms.ModelChoiceField(
        label=gettext_lazy("届"),
        queryset=Term.objects.none(),
        required=False,
        widget=forms.Select(attrs={**SELECT, "data-show-when": "period=term"}),
    )
    lower = forms.BooleanField(
        label=gettext_lazy("包含下级政协"),
        required=False,
        widget=forms.CheckboxInput(
            attrs={"class": "form-check-input", "data-show-when": "period=year"}
        ),
    )

    def __init__(
        self,
        data: Any,
        *,
        org: Organization,
        has_lower: bool,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.org = org
        self.sessions = (
            Session.objects.filter(term__org=org)
            .select_related("term")
            .order_by("-opens_on", "-pk")
        )
        self.terms = Term.objects.filter(org=org).order_by("-is_current", "-number")
        cast(forms.ModelChoiceField[Any], self.fields["session"]).queryset = self.sessions
        cast(forms.ModelChoiceField[Any], self.fields["term"]).queryset = self.terms
        if not has_lower:
            del self.fields["lower"]

    def scope(self) -> tuple[figures.Scope, dict[str, Any]]:
        """The scope asked for, and every field's value with the defaults filled in (a field
        left empty or invalid falls back to its default: the latest session, the current term,
        this year)."""
        self.is_valid()  # keeps the valid fields in cleaned_data; the errors show on the page
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        session: Session | None = data.get("session") or self.sessions.first()
        term: Term | None = data.get("term") or self.terms.first()
        year: int = data.get("year") or timezone.localdate().year
        period = data.get("period") or ("session" if session else "year")
        if (period == "session" and session is None) or (period == "term" and term is None):
            period = "year"  # nothing to count by session or term yet
        lower = bool(data.get("lower")) and period == "year"
        scope = figures.Scope(
            org=self.org,
            period=period,
            session=session if period == "session" else None,
            term=term if period == "term" else None,
            year=year if period == "year" else None,
            lower=lower,
        )
        values = {"session": session, "term": term, "year": year}
        return scope, {**values, "period": period, "lower": lower}


def _orgs(request: AuthedRequest) -> tuple[Organization, list[Organization]]:
    """The committee asked for (``?org=``, else the highest one the user may see) or 404."""
    user = request.user
    reachable = Organization.objects.filter(is_active=True).filter(
        staff_orgs_q(user, KINDS, prefix="")
    )
    orgs = list(reachable.order_by("path"))
    raw = request.GET.get("org")
    if raw is None:
        if not orgs:
            raise Http404(_("您没有可查看的提案统计。"))
        return orgs[0], orgs
    org = next((o for o in orgs if str(o.pk) == raw), None)
    if org is None or not is_staff_of(user, org, KINDS):
        raise Http404
    return org, orgs


def _context(request: AuthedRequest) -> dict[str, Any]:
    org, orgs = _orgs(request)
    has_lower = Organization.objects.filter(parent=org, is_active=True).exists()
    asked = FiguresForm(request.GET or None, org=org, has_lower=has_lower)
    scope, initial = asked.scope()
    # the form shows the scope actually counted (defaults filled in); the errors, if any, above it
    form = FiguresForm(None, org=org, has_lower=has_lower, initial=initial)
    query = request.GET.copy()
    query["org"] = str(org.pk)
    return {
        "org": org,
        "orgs": orgs,
        "form": form,
        "form_errors": [e for errors in asked.errors.values() for e in errors],
        "scope": scope,
        "period_label": period_label(scope),
        "query": query.urlencode(),
        "nav_active": "proposal_figures",
    }


def _shown(value: Any, is_pct: bool) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}%" if is_pct else str(value)


def _cells(row: Any, columns: list[Column]) -> list[dict[str, Any]]:
    """Each cell's header (it labels the cell on a phone), value and text."""
    return [
        {"header": c[1], "value": value, "is_pct": is_pct, "text": _shown(value, is_pct)}
        for c, (value, is_pct) in zip(columns, cells(row, columns), strict=True)
    ]


def _table(title: str, rows: list[Row], total: Row) -> dict[str, Any]:
    return {
        "title": title,
        "headers": [header for _attr, header, _pct in ROW_COLUMNS],
        "rows": [(r.label, _cells(r, ROW_COLUMNS)) for r in rows],
        "total": _cells(total, ROW_COLUMNS),
    }


def _rate_cards(t: Row) -> list[dict[str, Any]]:
    """The four rates at the top of the overview."""
    cards = [
        (
            "reply-rate",
            _("办复率"),
            t.reply_rate,
            _("已办复 %(n)s / 已交办 %(d)s 件"),
            t.replied,
            t.assigned,
        ),
        (
            "on-time-rate",
            _("按期答复率"),
            t.on_time_rate,
            _("按期 %(n)s / %(d)s 件次"),
            t.on_time,
            t.on_time_base,
        ),
        (
            "satisfaction-rate",
            _("满意率"),
            t.satisfaction_rate,
            _("满意 %(n)s / 测评 %(d)s 人次"),
            t.satisfied,
            t.ratings,
        ),
        (
            "basic-rate",
            _("基本满意率"),
            t.basic_rate,
            _("基本满意 %(n)s，不满意 %(d)s 人次"),
            t.basically,
            t.dissatisfied,
        ),
    ]
    return [
        {
            "key": key,
            "header": label,
            "value": value,
            "text": _shown(value, True),
            "note": note % {"n": n, "d": d},
        }
        for key, label, value, note, n, d in cards
    ]


@login_required
@require_GET
def figures_overview(request: AuthedRequest) -> HttpResponse:
    context = _context(request)
    scope = context["scope"]
    totals = figures.totals(scope)
    tables = [_table(title, rows, totals) for _key, title, rows in figures.breakdowns(scope)]
    context.update(
        totals=totals,
        rate_cards=_rate_cards(totals),
        tables=tables,
        report=report_text(scope, totals),
        definitions=DEFINITIONS,
    )
    return render(request, "proposals/figures/overview.html", context)


@login_required
@require_GET
def figures_units(request: AuthedRequest) -> HttpResponse:
    context = _context(request)
    rows = figures.units(context["scope"])
    context.update(
        headers=[header for _attr, header, _pct in UNIT_COLUMNS[2:]],
        rows=[(r, _cells(r, UNIT_COLUMNS[2:])) for r in rows],
        definitions=DEFINITIONS,
    )
    return render(request, "proposals/figures/units.html", context)


@login_required
@require_GET
def figures_export_view(request: AuthedRequest) -> HttpResponseBase:
    context = _context(request)
    scope = context["scope"]
    wb = figures_export(actor=request.user, scope=scope)
    filename = _("%(org)s-提案统计-%(p)s-%(d)s.xlsx") % {
        "org": scope.org.short_name or scope.org.name,
        "p": context["period_label"],
        "d": timezone.localdate().strftime("%Y%m%d"),
    }
    return workbook_response(wb, filename)
