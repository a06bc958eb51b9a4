"""Editing an organisation's scoring scheme for a year, and recomputing its scores."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.permissions import require
from shangliang.core.audit import audit_record
from shangliang.core.errors import Invalid
from shangliang.duty.items import BY_CODE, REQUIREMENTS
from shangliang.duty.models import RecomputeJob, ScoringRule, ScoringScheme
from shangliang.duty.presets import PRESETS
from shangliang.duty.scoring import load_preset, recompute_year, scheme_for
from shangliang.orgs.models import Organization

MAX_POINTS = Decimal(1000)


@dataclass
class RuleIn:
    item: str
    points: Any
    unit: str = "time"
    cap: Any = None
    split: str = "fixed"
    first_points: Any = None
    cosigner_points: Any = None


def _number(
    raw: Any, label: str, errors: dict[str, list[str]], key: str, *, optional: bool = False
) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if optional:
            return None
        errors[key] = [_("请填写%(f)s。") % {"f": label}]
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        errors[key] = [_("%(f)s须为数字。") % {"f": label}]
        return None
    if not value.is_finite() or abs(value) > MAX_POINTS or value != value.quantize(Decimal("0.01")):
        errors[key] = [_("%(f)s须在 -1000 至 1000 之间，最多两位小数。") % {"f": label}]
        return None
    return value


def clean_rules(rules: list[RuleIn], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, r in enumerate(rules):
        key = f"rules.{i}"
        if r.item not in BY_CODE:
            errors[f"{key}.item"] = [_("未知的履职事项：%(i)s") % {"i": r.item}]
            continue
        if r.item in seen:
            errors[f"{key}.item"] = [_("事项“%(i)s”重复。") % {"i": BY_CODE[r.item].label}]
            continue
        seen.add(r.item)
        points = _number(r.points, _("分值"), errors, f"{key}.points")
        cap = _number(r.cap, _("年度上限"), errors, f"{key}.cap", optional=True)
        if cap is not None and cap < 0:
            errors[f"{key}.cap"] = [_("年度上限不能为负数（不设上限请留空）。")]
        first = _number(
            r.first_points, _("第一提案人分值"), errors, f"{key}.first_points", optional=True
        )
        cos = _number(
            r.cosigner_points, _("联名人分值"), errors, f"{key}.cosigner_points", optional=True
        )
        if r.unit not in ScoringRule.Unit.values:
            errors[f"{key}.unit"] = [_("计分单位无效。")]
        if r.split not in ScoringRule.Split.values:
            errors[f"{key}.split"] = [_("联名分配方式无效。")]
        out.append(
            {
                "item": r.item,
                "points": points,
                "unit": r.unit,
                "cap": cap,
                "split": r.split,
                "first_points": first,
                "cosigner_points": cos,
            }
        )
    return out


def scheme_update(
    *,
    actor: Any,
    org: Organization,
    year: int,
    base: Any,
    excellent_min: Any,
    good_min: Any,
    pass_min: Any,
    minimums: list[str],
    exit_plenary_absences: int,
    exit_idle_years: int,
    rules: list[RuleIn],
) -> RecomputeJob:
    """Replace the year's scheme (all or nothing) and start the recompute."""
    require(actor, "duty.configure", org)
    errors: dict[str, list[str]] = {}
    b = _number(base, _("基础分"), errors, "base")
    ex = _number(excellent_min, _("优秀分数线"), errors, "excellent_min")
    gd = _number(good_min, _("良好分数线"), errors, "good_min")
    ps = _number(pass_min, _("称职分数线"), errors, "pass_min")
    if ex is not None and gd is not None and ps is not None and not (ex >= gd >= ps):
        errors["grades"] = [_("等次分数线重叠：须优秀 ≥ 良好 ≥ 称职。")]
    if ex is not None and ps is not None and ex == ps:
        errors["grades"] = [_("等次分数线重叠：优秀分数线须高于称职分数线。")]
    unknown = [m for m in minimums if m not in REQUIREMENTS]
    if unknown:
        errors["minimums"] = [_("未知的最低履职要求：%(m)s") % {"m": ", ".join(unknown)}]
    if not (1 <= exit_plenary_absences <= 20):
        errors["exit_plenary_absences"] = [_("须在 1 至 20 之间。")]
    if not (1 <= exit_idle_years <= 5):
        errors["exit_idle_years"] = [_("须在 1 至 5 年之间。")]
    cleaned = clean_rules(rules, errors)
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    scheme = scheme_for(org.pk, year)
    with transaction.atomic():
        ScoringScheme.objects.filter(pk=scheme.pk).update(
            base=b,
            excellent_min=ex,
            good_min=gd,
            pass_min=ps,
            minimums=list(dict.fromkeys(minimums)),
            exit_plenary_absences=exit_plenary_absences,
            exit_idle_years=exit_idle_years,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        scheme.rules.all().delete()
        ScoringRule.objects.bulk_create(ScoringRule(scheme=scheme, **c) for c in cleaned)
        audit_record(
            actor=actor,
            action="duty.scheme_update",
            target=scheme,
            org=org,
            data={
                "year": year,
                "rules": len(cleaned),
                "base": str(b),
                "grades": [str(ex), str(gd), str(ps)],
            },
        )
        return recompute_start(actor=actor, org=org, year=year)


def scheme_apply_preset(*, actor: Any, org: Organization, year: int, preset: str) -> RecomputeJob:
    require(actor, "duty.configure", org)
    if preset not in PRESETS:
        raise Invalid(_("未知的积分方案。"), fields={"preset": [_("取值无效")]})
    scheme = scheme_for(org.pk, year)
    with transaction.atomic():
        load_preset(scheme, preset)
        ScoringScheme.objects.filter(pk=scheme.pk).update(version=F("version") + 1)
        audit_record(
            actor=actor,
            action="duty.scheme_preset",
            target=scheme,
            org=org,
            data={"year": year, "preset": preset},
        )
        return recompute_start(actor=actor, org=org, year=year)


def recompute_start(*, actor: Any, org: Organization, year: int) -> RecomputeJob:
    """Queue the background recompute of the year (after the commit)."""
    from shangliang.duty.tasks import run_recompute

    job = RecomputeJob.objects.create(org=org, year=year, requested_by=actor)
    transaction.on_commit(lambda: run_recompute.enqueue(job.pk))
    return job


def recompute_run(*, job: RecomputeJob) -> RecomputeJob:
    claimed = RecomputeJob.objects.filter(pk=job.pk, status=RecomputeJob.Status.PENDING).update(
        status=RecomputeJob.Status.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        job.refresh_from_db()
        return job

    def progress(done: int, total: int) -> None:
        RecomputeJob.objects.filter(pk=job.pk).update(
            done_steps=done, total_steps=total, updated_at=timezone.now()
        )

    try:
        written = recompute_year(org_id=job.org_id, year=job.year, progress=progress)
    except Exception:
        RecomputeJob.objects.filter(pk=job.pk).update(
            status=RecomputeJob.Status.FAILED,
            message=_("重算失败，请联系管理员。"),
            finished_at=timezone.now(),
        )
        raise
    RecomputeJob.objects.filter(pk=job.pk).update(
        status=RecomputeJob.Status.DONE,
        message=_("已重算 %(n)s 位委员的积分。") % {"n": written},
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job
