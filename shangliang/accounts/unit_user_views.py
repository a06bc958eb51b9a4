"""承办单位用户: the people who act for a handling unit (sign for proposals, reply).

Every view needs ``orgs.manage_roster`` in the unit's organisation (its administrators and
general office, or those of a committee above it); anyone else gets a 404. A link of
another unit in the URL is a 404 too. The services check the same permission again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from shangliang.accounts import services, staffing
from shangliang.accounts.models import UnitUser, User
from shangliang.accounts.people_forms import UnitUserAddForm, UnitUserCreateForm
from shangliang.accounts.permissions import can
from shangliang.accounts.role_views import temporary_password_page
from shangliang.accounts.views import show_errors
from shangliang.core.errors import DomainError, Invalid
from shangliang.core.http import AuthedRequest
from shangliang.orgs.models import Unit


def _unit(request: AuthedRequest, unit_id: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("org"), pk=unit_id)
    if not can(request.user, "orgs.manage_roster", unit.org):
        raise Http404
    return unit


def _link(unit: Unit, link_id: int) -> UnitUser:
    return get_object_or_404(UnitUser.objects.select_related("user"), pk=link_id, unit=unit)


def _page(
    request: AuthedRequest,
    unit: Unit,
    add_form: Form | None = None,
    create_form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    links = (
        UnitUser.objects.filter(unit=unit)
        .select_related("user")
        .order_by("-is_manager", "user__name", "pk")
    )
    context = {
        "unit": unit,
        "links": links,
        "add_form": add_form or UnitUserAddForm(prefix="add"),
        "create_form": create_form or UnitUserCreateForm(prefix="create"),
    }
    return render(request, "accounts/unit_users.html", context, status=status)


@login_required
def unit_users(request: AuthedRequest, unit_id: int) -> HttpResponse:
    return _page(request, _unit(request, unit_id))


def _added(user: User, unit: Unit) -> str:
    return _("已将 %(u)s 添加为“%(n)s”的用户。") % {"u": user.display_name, "n": unit}


@login_required
@require_POST
def unit_user_add(request: AuthedRequest, unit_id: int) -> HttpResponse:
    """Add someone who already has an account."""
    unit = _unit(request, unit_id)
    form = UnitUserAddForm(request.POST, prefix="add")
    if not form.is_valid():
        return _page(request, unit, add_form=form, status=422)
    user: User = form.cleaned_data["ident"]
    if UnitUser.objects.filter(user=user, unit=unit).exists():
        messages.info(request, _("%(u)s 已是本单位用户。") % {"u": user.display_name})
        return redirect("accounts:unit_users", unit_id=unit.pk)
    try:
        services.unit_user_add(
            actor=request.user, user=user, unit=unit, is_manager=form.cleaned_data["is_manager"]
        )
    except Invalid as exc:
        show_errors(form, exc)
        return _page(request, unit, add_form=form, status=422)
    except DomainError as exc:
        form.add_error("ident", exc.detail)
        return _page(request, unit, add_form=form, status=exc.status)
    messages.success(request, _added(user, unit))
    return redirect("accounts:unit_users", unit_id=unit.pk)


@login_required
@require_POST
@never_cache
@sensitive_variables("raw")
def unit_user_create(request: AuthedRequest, unit_id: int) -> HttpResponse:
    """Open an account for the unit's new contact; show its temporary password once."""
    unit = _unit(request, unit_id)
    form = UnitUserCreateForm(request.POST, prefix="create")
    if not form.is_valid():
        return _page(request, unit, create_form=form, status=422)
    try:
        link, raw = staffing.unit_user_add_new_account(
            actor=request.user,
            unit=unit,
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            is_manager=form.cleaned_data["is_manager"],
        )
    except DomainError as exc:
        show_errors(form, exc)
        return _page(request, unit, create_form=form, status=exc.status)
    return temporary_password_page(
        request,
        account=link.user,
        password=raw,
        granted=_added(link.user, unit),
        back_url=reverse("accounts:unit_users", args=[unit.pk]),
    )


@login_required
@require_POST
def unit_user_manager(request: AuthedRequest, unit_id: int, link_id: int) -> HttpResponse:
    """Mark as the unit's manager (``is_manager=1``) or as a contact (``is_manager=0``)."""
    unit = _unit(request, unit_id)
    link = _link(unit, link_id)
    is_manager = request.POST.get("is_manager") == "1"
    try:
        staffing.unit_user_set_manager(actor=request.user, link=link, is_manager=is_manager)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        done = _("已将 %(u)s 设为单位负责人。") if is_manager else _("已将 %(u)s 设为联络员。")
        messages.success(request, done % {"u": link.user.display_name})
    return redirect("accounts:unit_users", unit_id=unit.pk)


@login_required
@require_POST
def unit_user_remove(request: AuthedRequest, unit_id: int, link_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    link = _link(unit, link_id)
    try:
        staffing.unit_user_remove(actor=request.user, link=link)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request,
            _("已将 %(u)s 移出“%(n)s”，其账号保留。") % {"u": link.user.display_name, "n": unit},
        )
    return redirect("accounts:unit_users", unit_id=unit.pk)
