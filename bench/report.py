"""Write docs/benchmarks.md from the figures of one ``make bench`` run."""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
from pathlib import Path
from typing import Any

from bench.core import Figure

# What a run cannot see by itself: causes found by reading the plans of the slow pages.
# Keep in step with the latest real run (bench/report.py is the place to update them).
CAUSES: dict[str, str] = {}
NOT_COVERED = [
    "协商议题与成果 (consultation topics and outcomes): no model exists yet (no capability "
    "issue built them); meetings and activities with attendance are generated "
    "(`meetings.Meeting`, `meetings.Attendance`).",
    "群众诉求 (public requests to workstations): no model exists yet; the 3,000 workstations "
    "are generated (`orgs.Workstation`), the public only reads the portal in the load test.",
    "Server-sent events: the SSE process (uvicorn, ASGI) is started beside gunicorn when "
    "installed, but the load test does not hold event streams open (locust does not run the "
    "pages' scripts); live updates are measured by the pub/sub tests, not here.",
    "Opinion reports: the editor's five-gate checklist rows and feedback batches are not "
    "generated; meetings: no leave requests or attendance corrections.",
    "Duty scores are recomputed for the current year only when seeding (0.2–0.4 s per "
    "committee-year with the duty app's `recompute_year`); earlier years show 0 points until "
    "someone recomputes them.",
    "Audit rows are not generated for the generated history (`core.AuditEvent` stays empty "
    "for it): the history pages of generated records are therefore shorter than real ones.",
]


def cause_of(name: str) -> str:
    return next((v for k, v in CAUSES.items() if name.startswith(k)), "")


def machine() -> dict[str, str]:
    info: dict[str, str] = {}
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        models = [
            ln.split(":", 1)[1].strip() for ln in cpu.splitlines() if ln.startswith("model name")
        ]
        info["CPU"] = f"{len(models)} × {models[0]}" if models else "?"
    except OSError:
        info["CPU"] = platform.processor() or "?"
    try:
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        info["Memory"] = f"{int(mem) / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        pass
    info["OS"] = platform.platform()
    info["Python"] = platform.python_version()
    try:
        from django.db import connection

        with connection.cursor() as c:
            c.execute("SHOW server_version")
            info["PostgreSQL"] = str(c.fetchone()[0])
            c.execute("SHOW shared_buffers")
            info["PostgreSQL"] += f" (shared_buffers {c.fetchone()[0]}, default settings)"
    except Exception as exc:  # noqa: BLE001
        info["PostgreSQL"] = f"? ({exc})"
    try:
        info["Git"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        pass
    return info


def dataset_counts() -> dict[str, int]:
    from django.apps import apps
    from django.db import connection

    wanted = [
        "orgs.Organization",
        "accounts.User",
        "accounts.Membership",
        "orgs.Unit",
        "orgs.Workstation",
        "proposals.Proposal",
        "proposals.Cosigner",
        "proposals.Assignment",
        "proposals.Contact",
        "proposals.Rating",
        "opinions.Opinion",
        "opinions.Adoption",
        "opinions.Instruction",
        "meetings.Meeting",
        "duty.LedgerEntry",
        "duty.Entry",
        "scale.PlantedDuplicate",
    ]
    out: dict[str, int] = {}
    with connection.cursor() as c:
        for label in wanted:
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            c.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (a quoted model table)
            out[label] = int(c.fetchone()[0])
    return out


def _generated(stages: dict[str, float | None]) -> float:
    return sum(v or 0 for k, v in stages.items() if not k.startswith("reindex_"))


def _reindexed(stages: dict[str, float | None]) -> float:
    return sum(v or 0 for k, v in stages.items() if k.startswith("reindex_"))


def _ms(v: float | None) -> str:
    return "—" if v is None else f"{v:,.1f}"


def _met(m: bool | None) -> str:
    return "—" if m is None else ("✅ met" if m else "❌ not met")


def _table(figures: list[Figure]) -> list[str]:
    lines = [
        "| Figure | Target | Median ms | p95 ms | Queries | Met | Note |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for f in figures:
        note = f.note
        cause = cause_of(f.name)
        if f.met is False and cause:
            note = (note + " " if note else "") + "Cause: " + cause
        q = "—" if f.queries is None else str(f.queries)
        lines.append(
            f"| {f.name} | {f.target} | {_ms(f.median_ms)} | {_ms(f.p95_ms)} | {q} | "
            f"{_met(f.met)} | {note} |"
        )
    return lines


def _load(load: dict[str, Any] | None) -> list[str]:
    if load is None:
        return ["Not run in this run (`BENCH_LOAD=0`)."]
    rows = load["rows"]
    if not rows:
        return ["The load test produced no statistics (see the output of `make bench-load`)."]
    lines = [
        f"{load['users']} simulated users (locust, headless, on loopback), ramped up at 3 per "
        f"second ({load['ramp']} s, logins included, statistics reset when all users were "
        f"running), then **{load['seconds']} s measured**. Each simulated person waits 5 to "
        "30 s between clicks (reading the page). Mix by weight: members 6 (home, their "
        "proposals and replies, draft and submit, rate), public 2 (portal, search), proposal "
        "offices 1, handling units 1, information offices 1.",
        "",
        "| Request | Requests | Errors | Median ms | p95 ms | p99 ms | Max ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total = None
    for r in rows:
        if r["Name"] == "Aggregated":
            total = r
            continue
        lines.append(
            f"| {r['Type']} {r['Name']} | {r['Request Count']} | {r['Failure Count']} | "
            f"{r['50%']} | {r['95%']} | {r['99%']} | {float(r['Max Response Time']):.0f} | "
            f"{float(r['Requests/s']):.1f} |"
        )
    if total:
        lines.append(
            f"| **all** | **{total['Request Count']}** | **{total['Failure Count']}** | "
            f"{total['50%']} | **{total['95%']}** | {total['99%']} | "
            f"{float(total['Max Response Time']):.0f} | **{float(total['Requests/s']):.1f}** |"
        )
        p95 = float(total["95%"])
        errors = int(total["Failure Count"])
        lines += [
            "",
            f"Result: {errors} errors (target 0: {_met(errors == 0)}); p95 of all pages "
            f"{p95:.0f} ms (target < 300 ms: {_met(p95 < 300)}); throughput "
            f"{float(total['Requests/s']):.1f} requests/s.",
        ]
    return lines


def write(
    path: Path,
    *,
    machine: dict[str, str],
    run: Any,
    seed_seconds: float | None,
    counts: dict[str, int],
    figures: list[Figure],
    load: dict[str, Any] | None,
    stack: str,
    runs: int,
) -> None:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks (province scale)",
        "",
        f"Written by `make bench` on {now}. Every figure below was measured in that one run, "
        f"on the machine described here; rerun it with the guide at the end.",
        "",
        "## Machine",
        "",
        *[f"- **{k}**: {v}" for k, v in machine.items()],
        f"- **Stack**: {stack}, PostgreSQL on loopback, `DEBUG=0`, production settings "
        "(behind a simulated TLS proxy: `X-Forwarded-Proto: https`); the benchmark client "
        "and locust run on the same machine and share its two cores.",
        "",
        "## Dataset",
        "",
        f"Preset **{run.preset}** (`manage.py seed_scale --preset {run.preset}`, seed {run.seed}). "
        f"The generator's own stages took **{_generated(run.stages):.0f} s** (target < 20 min: "
        f"{_met(_generated(run.stages) < 1200)}); then the similarity and search indexes of "
        f"the other capabilities were rebuilt by their commands in "
        f"{_reindexed(run.stages):.0f} s; {run.seconds:.0f} s in all"
        + (
            f" ({seed_seconds:.0f} s with process start)."
            if seed_seconds
            else " (dataset kept from an earlier run)."
        )
        + " Stages (s): "
        + ", ".join(f"{k} {v}" for k, v in run.stages.items())
        + ".",
        "",
        "| Table | Rows |",
        "|---|---:|",
        *[f"| {k} | {v:,} |" for k, v in counts.items()],
        "",
        "## Figures",
        "",
        f"Each page: 2 warm-up requests, then {runs} measured requests, one at a time, by a "
        "logged-in persona of the province committee (the member with the most proposals, "
        "the province proposal office, the unit with most assignments, the information "
        "office). *Queries* is the SQL count of the last request (`X-Query-Count`, a "
        "bench-only middleware). The bare SQL is the page's own row query "
        "(`queryset.query`, same filters, order and limit) run raw through psycopg.",
        "",
    ]
    sections: dict[str, list[Figure]] = {}
    for f in figures:
        sections.setdefault(f.section, []).append(f)
    for name, items in sections.items():
        lines += [f"### {name}", "", *_table(items), ""]
    missed = [f for f in figures if f.met is False]
    lines += ["## Gaps", ""]
    if missed:
        for f in missed:
            lines.append(
                f"- **{f.name}** ({f.target}; p95 {_ms(f.p95_ms)} ms): "
                + (cause_of(f.name) or "cause not yet analysed.")
            )
    else:
        lines.append("Every measured target is met.")
    lines += ["", "## Plenary-day load test", "", *_load(load), ""]
    lines += ["## Not covered", "", *[f"- {n}" for n in NOT_COVERED], ""]
    lines += [RERUN]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def replace_load_section(path: Path, load: dict[str, Any] | None) -> None:
    """``make bench-load``: rewrite only the load-test section of an existing report."""
    head = "## Plenary-day load test"
    body = "\n".join([head, "", *_load(load), ""]) + "\n"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if head not in text:
        path.write_text(text + "\n" + body, encoding="utf-8")
        return
    before, rest = text.split(head, 1)
    after = rest.split("\n## ", 1)
    tail = "## " + after[1] if len(after) > 1 else ""
    path.write_text(before + body + tail, encoding="utf-8")


RERUN = """## Rerun any figure

Everything runs on loopback; PostgreSQL must be reachable (the default URL is
`postgres://postgres@127.0.0.1:5432/shangliang_bench`; the database is created if missing).

- **All of it**: `make bench` (seeds the `province` preset when the bench database is empty
  or holds another preset, then measures and rewrites this file). `BENCH_LOAD=0 make bench`
  skips the load test; `BENCH_PRESET=city make bench` runs on the smaller preset (about a
  minute to seed).
- **The dataset only**: `DATABASE_URL=postgres://…/somedb .venv/bin/python manage.py migrate`
  then `… manage.py seed_scale --preset province` (or `city`, `county`); it refuses a database
  that holds other data unless `--force`; stage timings are printed.
- **The load test only**: `make bench-load` (reuses the seeded bench database; 300 users,
  5 minutes; `BENCH_LOAD_USERS`, `BENCH_LOAD_SECONDS` change them).
- **Fewer or more runs per page**: `BENCH_RUNS=50 make bench`.
- **One page by hand**: start the stack as `bench/server.py` does (gunicorn with
  `BENCH_QUERY_COUNT=1`), log in as `bench_office` / `bench_member` / `bench_unit` /
  `bench_info` (password `Bench#Pass2026`, generated accounts only) and read the
  `X-Query-Count` header.
- **Similar proposals and search**: `bench/similarity.py` (`run(runs=5)`), measured against
  the planted rewritten duplicates (`scale.PlantedDuplicate`).
"""
