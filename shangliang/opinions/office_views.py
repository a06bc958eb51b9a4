"""The information office's pages: the intake queue with counts per state, the editor
(original beside the edited text, differences marked), batch feedback, the topic guide,
figures, and the issues (read by leaders too), each printable as a PDF."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shangliang.accounts.models import User
from shangliang.accounts.permissions import can
from shangliang.core.errors import DomainError
from shangliang.core.forms import show_domain_error
from shangliang.core.http import AuthedRequest
from shangliang.core.xlsx import workbook_response
from shangliang.opinions import figures as fig
from shangliang.opinions.diff import marked_diff
from shangliang.opinions.export import export_audited, figures_workbook, queue_workbook
from shangliang.opinions.forms import (
    EditorForm,
    FeedbackForm,
    GuideForm,
    ScanForm,
    SettingsForm,
)
from shangliang.opinions.models import Opinion
from shangliang.opinions.reporter_views import detail_context, get_visible
from shangliang.opinions.selectors import (
    QUEUE_STATES,
    current_guide,
    office_orgs,
    office_queue,
    queue_counts,
)
from shangliang.opinions.services import opinion_act
from shangliang.opinions.services.feedback import (
    instruction_attach_scan,
    opinions_send_feedback,
    topic_guide_publish,
)
from shangliang.opinions.services.issues import opinion_settings_update
from shangliang.opinions.steps import settings_for
from shangliang.orgs.models import Organization

PAGE_SIZE = 50


def _office_org(request: AuthedRequest, org_id: int) -> Organization:
    org = get_object_or_404(Organization, pk=org_id, is_active=True)
    if not can(request.user, "opinions.manage", org):
        raise Http404
    return org


@login_required
@require_GET
def office_home(request: AuthedRequest) -> HttpResponse:
    org = office_orgs(request.user).first()
    if org is None:
        raise Http404
    return redirect("opinions:office_queue", org_id=org.pk)


@login_required
@require_GET
def queue(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _office_org(request, org_id)
    status = request.GET.get("status", "")
    if status not in QUEUE_STATES:
        status = ""
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(office_queue(org=org, status=status, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = queue_counts(org=org)
    tabs = [(s, Opinion.Status(s).label, counts[s]) for s in QUEUE_STATES]
    context = {
        "org": org,
        "orgs": office_orgs(request.user)[:50],
        "page": page,
        "tabs": tabs,
        "total": sum(counts.values()),
        "status": status,
        "q": q,
        "nav_active": "opinions_office",
    }
    return render(request, "opinions/office/queue.html", context)


@login_required
@require_GET
def queue_export(request: AuthedRequest, org_id: int) -> FileResponse:
    org = _office_org(request, org_id)
    status = request.GET.get("status", "")
    rows = office_queue(org=org, status=status if status in QUEUE_STATES else "")
    export_audited(actor=request.user, org=org, action="opinions.exported", data={"status": status})
    return workbook_response(queue_workbook(org, rows), f"opinions-{org.pk}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def editor(request: AuthedRequest, pk: int) -> HttpResponse:
    o = get_visible(request, pk)
    if not can(request.user, "opinions.manage", o.org):
        raise Http404
    if o.status != Opinion.Status.EDITING:
        return redirect("opinions:detail", pk=o.pk)
    initial = {
        "title": o.display_title,
        "text": o.display_text,
        "version": o.updated_at.isoformat(),
    }
    form = EditorForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            opinion_act(
                actor=request.user,
                opinion=o,
                action="edit",
                seen_version=d["version"],
                title=d["title"],
                text=d["text"],
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("已保存编辑。"))
            return redirect("opinions:editor", pk=o.pk)
    context = detail_context(request, o)
    context.update(
        {
            "form": form,
            "diff_title": marked_diff(o.title, o.display_title),
            "diff_text": marked_diff(o.original_text, o.display_text),
            "scan_form": None,
        }
    )
    return render(request, "opinions/office/editor.html", context)


@login_required
@require_POST
def scan_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    o = get_visible(request, pk)
    if not can(request.user, "opinions.manage", o.org):
        raise Http404
    form = ScanForm(request.POST, request.FILES)
    field = cast(forms.TypedChoiceField, form.fields["instruction"])
    field.choices = [(i.pk, str(i)) for i in o.instructions.all()]
    if form.is_valid():
        try:
            instruction_attach_scan(
                actor=request.user,
                opinion=o,
                instruction_id=form.cleaned_data["instruction"],
                upload=form.cleaned_data["scan"],
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("已上传批示件。"))
    else:
        messages.error(request, _("请选择批示和文件。"))
    return redirect("opinions:detail", pk=o.pk)


FEEDBACK_STATES = [Opinion.Status.PUBLISHED, Opinion.Status.SIGNED_OFF, Opinion.Status.KEPT]


@login_required
@require_http_methods(["GET", "POST"])
def feedback_batch(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _office_org(request, org_id)
    rows = list(
        office_queue(org=org).filter(status__in=FEEDBACK_STATES, kind=Opinion.Kind.ORIGINAL)[:200]
    )
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        ids = [int(i) for i in request.POST.getlist("opinions") if i.isdigit()]
        try:
            sent = opinions_send_feedback(
                actor=request.user,
                org=org,
                opinion_ids=ids,
                note=form.cleaned_data["note"],
                with_instructions=form.cleaned_data["with_instructions"],
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("已向 %(n)s 位反映人发送反馈。") % {"n": len(sent)})
            return redirect("opinions:office_feedback", org_id=org.pk)
    context = {"org": org, "rows": rows, "form": form, "nav_active": "opinions_office"}
    return render(request, "opinions/office/feedback.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def guide(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _office_org(request, org_id)
    form = GuideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            topic_guide_publish(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("选题指南已发布，委员撰写信息时可见。"))
            return redirect("opinions:office_guide", org_id=org.pk)
    context = {
        "org": org,
        "form": form,
        "current": current_guide(org=org),
        "nav_active": "opinions_office",
    }
    return render(request, "opinions/office/guide.html", context)


def _year(request: AuthedRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@login_required
@require_GET
def figures(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _office_org(request, org_id)
    year = _year(request)
    dimension = request.GET.get("by", "reporter")
    if dimension not in fig.DIMENSIONS:
        dimension = "reporter"
    rows = fig.rows_by(org, year, dimension)
    context = {
        "org": org,
        "year": year,
        "by": dimension,
        "rows": rows[:200],
        "total": fig.totals(rows),
        "months": fig.monthly(org, year),
        "levels": [lv.label for lv in fig.LEVELS],
        "dimensions": [
            ("reporter", _("反映人")),
            ("sector", _("界别")),
            ("committee", _("专委会")),
            ("org", _("政协")),
        ],
        "nav_active": "opinions_office",
    }
    return render(request, "opinions/office/figures.html", context)


@login_required
@require_GET
def figures_export(request: AuthedRequest, org_id: int) -> FileResponse:
    org = _office_org(request, org_id)
    year = _year(request)
    export_audited(
        actor=request.user, org=org, action="opinions.figures_exported", data={"year": year}
    )
    return workbook_response(figures_workbook(org, year), f"opinion-figures-{org.pk}-{year}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _office_org(request, org_id)
    conf = settings_for(org)
    initial = {
        "max_length": conf.max_length,
        "title_max_length": conf.title_max_length,
        "gates": "\n".join(f"{g['code']}:{g['label']}" for g in conf.gates),
        "series": "\n".join(f"{x['code']}:{x['name']}" for x in conf.series),
        "signers": ", ".join(
            User.objects.filter(pk__in=conf.signers or []).values_list("username", flat=True)
        ),
    }
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            opinion_settings_update(
                actor=request.user,
                org=org,
                max_length=d["max_length"],
                title_max_length=d["title_max_length"],
                gates=d["gates"],
                series=d["series"],
                signers=d["signers"].replace("，", ",").split(","),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("已保存设置。"))
            return redirect("opinions:office_settings", org_id=org.pk)
    context = {"org": org, "form": form, "conf": conf, "nav_active": "opinions_office"}
    return render(request, "opinions/office/settings.html", context)
