"""Run the generators in order, each stage in one transaction, and time them.

``GENERATORS`` lists (stage name, module path); a module whose app is not installed yet
is skipped with a note, so the list can name capabilities that are still being built.
"""

from __future__ import annotations

import importlib
import random
import time
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.utils import timezone

from shangliang.scale.context import PASSWORD, Ctx
from shangliang.scale.models import ScaleRun
from shangliang.scale.presets import PRESETS
from shangliang.scale.sink import Sinks, reset_sequences
from shangliang.scale.text import TextMaker

GENERATORS: list[tuple[str, str, str]] = [  # stage, module, app label it needs
    ("orgs", "shangliang.scale.gen_orgs", "orgs"),
    ("members", "shangliang.scale.gen_members", "accounts"),
    ("proposals", "shangliang.scale.gen_proposals", "proposals"),
    ("opinions", "shangliang.scale.gen_opinions", "opinions"),
    ("meetings", "shangliang.scale.gen_meetings", "meetings"),
    ("duty", "shangliang.scale.gen_duty", "duty"),
]
REINDEX = ["reindex_similar", "reindex_search"]  # run after the data, when they exist


class Refused(Exception):
    pass


def holds_data() -> str | None:
    """Why the database may not receive generated data, or None if it may."""
    from shangliang.accounts.models import User
    from shangliang.orgs.models import Organization

    run = ScaleRun.objects.first()
    if run is not None:
        return f"it already holds a generated dataset (preset {run.preset})"
    if User.objects.exists() or Organization.objects.exists():
        return "it holds data that seed_scale did not make"
    return None


def generate(
    *,
    preset: str,
    seed: int = 20261207,
    force: bool = False,
    reindex: bool = True,
    out: Callable[[str], None] = print,
) -> ScaleRun:
    reason = holds_data()
    if reason and not force:
        raise Refused(f"Refusing to seed: {reason}. Use an empty database, or --force.")
    started = time.monotonic()
    now = timezone.now()
    rng = random.Random(seed)
    ctx = Ctx(
        preset=PRESETS[preset],
        rng=rng,
        text=TextMaker(rng),
        sinks=Sinks(stamp=now),
        now=now,
        password_hash=make_password(PASSWORD),
        out=out,
    )
    run = ScaleRun.objects.create(preset=preset, seed=seed, started_at=now)
    stages: dict[str, float] = {}
    for stage, module, app in GENERATORS:
        if not apps.is_installed(f"shangliang.{app}"):
            out(f"- {stage}: skipped (app {app} is not installed)")
            continue
        t0 = time.monotonic()
        fn: Callable[[Ctx], Any] = importlib.import_module(module).run
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            fn(ctx)
            ctx.sinks.flush()
        stages[stage] = round(time.monotonic() - t0, 1)
        out(f"- {stage}: {stages[stage]} s")
    reset_sequences(ctx.sinks.by_model)
    if connection.vendor == "postgresql":  # the derived stages below need real statistics:
        t0 = time.monotonic()  # without them the duty recompute's plan takes minutes
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        stages["analyze"] = round(time.monotonic() - t0, 1)
        out(f"- analyze: {stages['analyze']} s")
    if "opinions" in stages:  # the opinions app's derived tallies, when it keeps them
        try:
            tallies: Any = importlib.import_module("shangliang.opinions.tallies")
        except ImportError:
            tallies = None
        if tallies is not None and hasattr(tallies, "rebuild_all"):
            t0 = time.monotonic()
            tallies.rebuild_all()
            stages["opinion_tallies"] = round(time.monotonic() - t0, 1)
            out(f"- opinion tallies: {stages['opinion_tallies']} s")
    if "duty" in stages:  # scores from the ledger, by the duty app's own recompute
        t0 = time.monotonic()
        from shangliang.scale.gen_duty import recompute

        recompute(ctx)
        stages["duty_scores"] = round(time.monotonic() - t0, 1)
        out(f"- duty scores: {stages['duty_scores']} s")
    t0 = time.monotonic()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:  # fresh statistics and visibility map
            cursor.execute("VACUUM ANALYZE")
        stages["vacuum_analyze"] = round(time.monotonic() - t0, 1)
        out(f"- vacuum analyze: {stages['vacuum_analyze']} s")
    commands = get_commands()
    for name in REINDEX if reindex else []:
        if name in commands:
            t0 = time.monotonic()
            try:  # the data is committed: a failing index must not lose the run's record
                call_command(name)
            except Exception as exc:  # noqa: BLE001
                out(f"- {name}: FAILED ({type(exc).__name__}: {exc}); rerun it by hand")
                continue
            stages[name] = round(time.monotonic() - t0, 1)
            out(f"- {name}: {stages[name]} s")
        else:
            out(f"- {name}: not available")
    run.finished_at = timezone.now()
    run.seconds = round(time.monotonic() - started, 1)
    run.stages = stages
    counts = ctx.sinks.counts()
    run.counts = {"rows": counts, "personas": ctx.personas, "samples": ctx.samples}
    run.save()
    out(f"done in {run.seconds} s: {sum(counts.values()):,} rows")
    return run
