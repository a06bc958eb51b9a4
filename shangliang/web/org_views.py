from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from shangliang.accounts.permissions import can
from shangliang.orgs.models import Committee, Group, Organization, Sector, Unit, Workstation
from shangliang.orgs.selectors import org_tree


def org_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/orgs/list.html", {"orgs": org_tree(), "nav_active": "orgs"})


def org_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=org_id, is_active=True)
    context = {
        "org": org,
        "nav_active": "orgs",
        "terms": org.terms.prefetch_related("sessions"),
        "sectors": Sector.objects.filter(org=org, is_active=True),
        "committees": Committee.objects.filter(org=org, is_active=True),
        "groups": Group.objects.filter(org=org, is_active=True),
        "units": Unit.objects.filter(org=org, is_active=True),
        "workstations": Workstation.objects.filter(org=org, is_active=True),
        "children": org.children.filter(is_active=True),
        "can_view_roster": can(request.user, "orgs.view_roster", org),
        "can_configure": can(request.user, "orgs.configure", org),
    }
    return render(request, "web/orgs/detail.html", context)
