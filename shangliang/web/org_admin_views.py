"""A committee administrator's pages: the overview, the committee itself, child committees,
terms (届) and sessions (次会议). Parts (sectors … workstations) are in ``org_admin_parts``,
the working-day calendar in ``org_admin_calendar``.

Every view checks ``orgs.configure`` on the committee in the URL (the services trust their
caller, see ``orgs.services``) and finds the objects it touches *within* that committee, so
another committee's id in the URL is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.forms import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import require
from shangliang.core.audit import history_for
from shangliang.core.errors import DomainError, Forbidden, NotFound
from shangliang.core.http import AuthedRequest
from shangliang.orgs import services
from shangliang.orgs.models import (
    Committee,
    Group,
    Organization,
    Sector,
    Session,
    Term,
    Unit,
    Workstation,
)
from shangliang.web.org_admin_forms import (
    ChildOrgForm,
    Form,
    NewTermForm,
    OrgForm,
    SessionForm,
    TermForm,
)

SECTIONS: list[tuple[str, Promise]] = [
    ("overview", gettext_lazy("概览")),
    ("terms", gettext_lazy("届次与会议")),
    ("sectors", gettext_lazy("界别")),
    ("committees", gettext_lazy("专门委员会")),
    ("groups", gettext_lazy("委员小组")),
    ("units", gettext_lazy("承办单位")),
    ("workstations", gettext_lazy("委员工作室")),
]


# --- shared by the administrators' views ----------------------------------------------------


def configurable_org(request: AuthedRequest, org_id: int) -> Organization:
    """The active committee ``org_id`` if the user may configure it; else 403 (the tree is
    public, so refusing does not reveal anything)."""
    org = get_object_or_404(Organization, pk=org_id, is_active=True)
    try:
        require(request.user, "orgs.configure", org)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from None
    return org


def section_links(org: Organization) -> list[tuple[str, Promise, str]]:
    links = []
    for key, label in SECTIONS:
        if key == "overview":
            url = reverse("web:org_manage", args=[org.pk])
        elif key == "terms":
            url = reverse("web:manage_terms", args=[org.pk])
        else:
            url = reverse("web:manage_parts", args=[org.pk, key])
        links.append((key, label, url))
    links.append(
        ("roles", gettext_lazy("角色与权限"), reverse("accounts:org_roles", args=[org.pk]))
    )
    return links


def manage_context(org: Organization, section: str, **extra: Any) -> dict[str, Any]:
    return {
        "org": org,
        "section": section,
        "sections": section_links(org),
        "nav_active": "manage",
        **extra,
    }


def submit(form: Form, call: Callable[[], object]) -> bool:
    """Run a service; its Invalid (or Conflict) shows on the form, nothing is written."""
    try:
        call()
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from None
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        form.add_domain_error(exc)
        return False
    return True


def form_page(
    request: AuthedRequest,
    org: Organization,
    *,
    form: Form,
    section: str,
    title: str,
    back: str,
    history: Any = None,
) -> HttpResponse:
    """The form page; a submitted form that failed is answered with 422."""
    status = 422 if form.is_bound and form.errors else 200
    context = manage_context(org, section, form=form, title=title, back=back, history=history)
    return render(request, "web/orgs/manage_form.html", context, status=status)


# --- the overview, the committee itself and its child committees ----------------------------


@login_required
def org_manage(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = configurable_org(request, org_id)
    counts = {
        "sectors": Sector.objects.filter(org=org, is_active=True).count(),
        "committees": Committee.objects.filter(org=org, is_active=True).count(),
        "groups": Group.objects.filter(org=org, is_active=True).count(),
        "units": Unit.objects.filter(org=org, is_active=True).count(),
        "workstations": Workstation.objects.filter(org=org, is_active=True).count(),
        "roles": Role.objects.filter(org=org).count(),
    }
    cards = [(key, label, url, counts[key]) for key, label, url in section_links(org)[2:]]
    context = manage_context(
        org,
        "overview",
        cards=cards,
        current_term=Term.objects.filter(org=org, is_current=True).first(),
        children=org.children.order_by("name"),
        can_add_child=org.level < Organization.Level.COUNTY,
        history=history_for(org)[:10],
    )
    return render(request, "web/orgs/manage.html", context)


@login_required
def org_edit(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = configurable_org(request, org_id)
    title = _("编辑组织信息")
    form = OrgForm(request.POST or None, initial=model_to_dict(org))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: services.org_update(actor=request.user, org=org, **data)):
            messages.success(request, _("已保存。"))
            return redirect("web:org_manage", org_id=org.pk)
        org.refresh_from_db()
    back = reverse("web:org_manage", args=[org.pk])
    return form_page(request, org, form=form, section="overview", title=title, back=back)


@login_required
def child_new(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = configurable_org(request, org_id)
    if org.level >= Organization.Level.COUNTY:
        messages.info(request, _("县级政协之下不再设下级政协。"))
        return redirect("web:org_manage", org_id=org.pk)
    form = ChildOrgForm(request.POST or None, parent=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created: list[Organization] = []
        if submit(
            form,
            lambda: created.append(services.org_create(actor=request.user, parent=org, **data)),
        ):
            messages.success(request, _("已新增下级政协：%(name)s") % {"name": created[0].name})
            return redirect("web:org_manage", org_id=created[0].pk)
    back = reverse("web:org_manage", args=[org.pk])
    title = _("新增下级政协")
    return form_page(request, org, form=form, section="overview", title=title, back=back)


# --- terms and sessions ---------------------------------------------------------------------


@login_required
def terms(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = configurable_org(request, org_id)
    rows = Term.objects.filter(org=org).prefetch_related("sessions").order_by("-number")
    return render(request, "web/orgs/manage_terms.html", manage_context(org, "terms", terms=rows))


@login_required
def term_new(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = configurable_org(request, org_id)
    last = Term.objects.filter(org=org).aggregate(n=Max("number"))["n"] or 0
    form = NewTermForm(request.POST or None, initial={"number": last + 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: services.term_create(actor=request.user, org=org, **data)):
            messages.success(request, _("已新增届次：%(name)s") % {"name": data["name"]})
            return redirect("web:manage_terms", org_id=org.pk)
    back = reverse("web:manage_terms", args=[org.pk])
    return form_page(request, org, form=form, section="terms", title=_("新增届次"), back=back)


@login_required
def term_edit(request: AuthedRequest, org_id: int, term_id: int) -> HttpResponse:
    org = configurable_org(request, org_id)
    term = get_object_or_404(Term, pk=term_id, org=org)
    title = _("编辑届次：%(name)s") % {"name": term.name}
    form = TermForm(request.POST or None, initial=model_to_dict(term))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: services.term_update(actor=request.user, term=term, **data)):
            messages.success(request, _("已保存。"))
            return redirect("web:manage_terms", org_id=org.pk)
    back = reverse("web:manage_terms", args=[org.pk])
    history = history_for(term)[:20]
    return form_page(
        request, org, form=form, section="terms", title=title, back=back, history=history
    )


@login_required
@require_POST
def term_set_current(request: AuthedRequest, org_id: int, term_id: int) -> HttpResponse:
    org = configurable_org(request, org_id)
    term = get_object_or_404(Term, pk=term_id, org=org)
    services.term_set_current(actor=request.user, term=term)
    messages.success(request, _("%(name)s 已设为本届。") % {"name": term.name})
    return redirect("web:manage_terms", org_id=org.pk)


@login_required
def session_new(request: AuthedRequest, org_id: int, term_id: int) -> HttpResponse:
    org = configurable_org(request, org_id)
    term = get_object_or_404(Term, pk=term_id, org=org)
    last = term.sessions.aggregate(n=Max("number"))["n"] or 0
    form = SessionForm(request.POST or None, initial={"number": last + 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: services.session_create(actor=request.user, term=term, **data)):
            messages.success(request, _("已新增会议：%(name)s") % {"name": data["name"]})
            return redirect("web:manage_terms", org_id=org.pk)
    title = _("新增会议（%(term)s）") % {"term": term.name}
    back = reverse("web:manage_terms", args=[org.pk])
    return form_page(request, org, form=form, section="terms", title=title, back=back)


@login_required
def session_edit(request: AuthedRequest, org_id: int, session_id: int) -> HttpResponse:
    org = configurable_org(request, org_id)
    session = get_object_or_404(
        Session.objects.select_related("term"), pk=session_id, term__org=org
    )
    title = _("编辑会议：%(name)s") % {"name": session.name}
    form = SessionForm(request.POST or None, initial=model_to_dict(session))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form, lambda: services.session_update(actor=request.user, session=session, **data)
        ):
            messages.success(request, _("已保存。"))
            return redirect("web:manage_terms", org_id=org.pk)
    back = reverse("web:manage_terms", args=[org.pk])
    history = history_for(session)[:20]
    return form_page(
        request, org, form=form, section="terms", title=title, back=back, history=history
    )
