"""``make bench``: seed the bench database if needed, start the production-style stack on
loopback, measure every page, the bare-SQL and pg_trgm comparisons, the duty recompute and
the plenary-day load test, and write docs/benchmarks.md.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/shangliang_bench),
BENCH_PRESET (province), BENCH_RUNS (30 measured requests per page), BENCH_LOAD (1; 0 skips
the load test), BENCH_LOAD_USERS (300), BENCH_LOAD_SECONDS (300).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

from bench.core import Figure, summary, timed, under
from bench.server import ROOT, Stack, manage, server_env

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/shangliang_bench"
URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
PRESET = os.environ.get("BENCH_PRESET", "province")
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
SIM_RUNS = int(os.environ.get("BENCH_SIM_RUNS", "5"))  # passes over the similarity queries
LOAD = os.environ.get("BENCH_LOAD", "1") != "0"
LOAD_USERS = int(os.environ.get("BENCH_LOAD_USERS", "300"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "300"))
OUT = ROOT / "docs" / "benchmarks.md"
VAR = ROOT / "var" / "bench"


def log(line: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {line}", flush=True)


# --- the database --------------------------------------------------------------------------


def _maintenance_url(url: str) -> tuple[str, str]:
    base, name = url.rsplit("/", 1)
    return base + "/postgres", name.split("?", 1)[0]


def recreate_database(url: str, *, drop: bool) -> None:
    admin, name = _maintenance_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def seeded_preset(url: str) -> tuple[str | None, bool]:
    """(preset of the finished generated dataset, whether the database holds any data)"""
    with psycopg.connect(url) as conn:
        has = conn.execute("SELECT to_regclass('scale_scalerun') IS NOT NULL").fetchone()
        if not has or not has[0]:
            return None, False
        row = conn.execute(
            "SELECT preset FROM scale_scalerun WHERE finished_at IS NOT NULL "
            "ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
        busy = conn.execute(
            "SELECT preset FROM scale_scalerun WHERE finished_at IS NULL LIMIT 1"
        ).fetchone()
        if busy and not row:
            raise SystemExit(
                f"the bench database holds an unfinished seed_scale run ({busy[0]}): "
                "still running, or it failed; drop the database to start again"
            )
        data = conn.execute("SELECT EXISTS (SELECT 1 FROM orgs_organization)").fetchone()
        return (row[0] if row else None), bool(data and data[0])


def prepare(env: dict[str, str]) -> float | None:
    """Migrate, and seed when the database is empty or holds another preset; the seconds
    the seeding took (None when the existing dataset was kept)."""
    recreate_database(URL, drop=False)
    preset, has_data = seeded_preset(URL)
    if has_data and preset != PRESET:
        log(f"the bench database holds {preset or 'other data'}; recreating it for {PRESET}")
        recreate_database(URL, drop=True)
    log("migrate")
    manage(env, "migrate", "--noinput", "--skip-checks", "-v0")
    if preset == PRESET and has_data:
        log(f"keeping the {PRESET} dataset already there")
        return None
    log(f"seed_scale --preset {PRESET}")
    t0 = time.monotonic()
    manage(env, "seed_scale", "--preset", PRESET)
    return time.monotonic() - t0


# --- measuring -----------------------------------------------------------------------------


def clients(base: str, personas: dict[str, str], password: str) -> dict[str, Any]:
    from bench.http import Client

    out: dict[str, Any] = {"public": Client(base)}
    for key, username in personas.items():
        c = Client(base)
        c.login(username, password)
        out[key] = c
    for key in ("office", "member", "unit"):
        c = Client(base)
        c.api_login(personas[key], password)
        out[f"api_{key}"] = c
    return out


def bare_sql(conn: psycopg.Connection[Any], qs: Any) -> list[float]:
    sql, params = qs.query.sql_with_params()

    def fetch() -> Any:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    samples, _ = timed(fetch, runs=RUNS, warmup=2)
    return samples


def measure_pages(base: str, personas: dict[str, str], password: str) -> list[Figure]:
    from bench.pages import all_pages, find_world

    world = find_world(personas)
    pages, notes = all_pages(world)
    only = [s for s in os.environ.get("BENCH_ONLY", "").split(",") if s]
    if only:  # a rerun of some sections (their table rows are printed, the report kept)
        pages = [p for p in pages if any(p.section.startswith(s) for s in only)]
    cs = clients(base, personas, password)
    figures: list[Figure] = []
    with psycopg.connect(URL, autocommit=True) as conn:
        for p in pages:
            c = cs[p.persona]
            seen: list[tuple[int, int | None]] = []  # (status, query count) of each request

            def get(c: Any = c, p: Any = p, seen: list[tuple[int, int | None]] = seen) -> None:
                _ms, status, q, _r = c.get(p.url)
                seen.append((status, q))

            samples, _ = timed(get, runs=RUNS, warmup=2)
            med, p95 = summary(samples)
            queries = seen[-1][1]
            bad = sorted({s for s, _q in seen if s != 200})
            note = f"HTTP {bad}" if bad else ""
            figures.append(
                Figure(
                    p.section,
                    f"{p.name} — `{p.url}`",
                    f"p95 < {p.target_ms:.0f} ms",
                    med,
                    p95,
                    queries,
                    None if bad else under(p.target_ms, p95),
                    note,
                )
            )
            log(f"{p.name}: median {med} ms, p95 {p95} ms, {queries} queries {note}")
            if p.rows is not None:
                sql_samples = bare_sql(conn, p.rows())
                smed, sp95 = summary(sql_samples)
                ratio = round(med / smed, 1) if smed else None
                figures.append(
                    Figure(
                        "框架开销 page ÷ bare SQL",
                        p.name,
                        "ratio < 3",
                        smed,
                        sp95,
                        1,
                        None if ratio is None else ratio < 3,
                        f"page median {med} ms ÷ SQL median {smed} ms = **{ratio}**",
                    )
                )
    login_samples: list[float] = []
    from bench.http import Client

    for _ in range(max(5, RUNS // 6)):
        c = Client(base)
        t0 = time.perf_counter()
        c.login(personas["member"], password)
        login_samples.append((time.perf_counter() - t0) * 1000)
    med, p95 = summary(login_samples)
    figures.append(
        Figure(
            "提案 proposals",
            "登录 log in (form + POST, PBKDF2 1,000,000 iterations)",
            "p95 < 1000 ms",
            med,
            p95,
            None,
            under(1000, p95),
            "dominated by password hashing, by design",
        )
    )
    for n in notes:
        figures.append(Figure("未测 not measured", n, "", None, None, None, None))
    return figures


def guarded(section: str, name: str, module: str) -> list[Figure]:
    """``bench.<module>.run(runs=…)``, or one figure saying why it could not run."""
    import importlib
    import traceback

    try:
        mod = importlib.import_module(f"bench.{module}")
        figures: list[Figure] = mod.run(runs=SIM_RUNS)
        return figures
    except Exception as exc:  # noqa: BLE001 — a broken part must not lose the other figures
        log(f"{module}: failed\n{traceback.format_exc()}")
        first = str(exc).splitlines()[0] if str(exc) else ""
        return [
            Figure(
                section,
                name,
                "",
                None,
                None,
                None,
                None,
                f"not measured: {type(exc).__name__}: {first[:200]}",
            )
        ]


def with_coverage(figures: list[Figure]) -> list[Figure]:
    """Say so on each similarity figure when the index does not hold every proposal."""
    try:
        from shangliang.core.models import SimilarDoc
        from shangliang.proposals.models import Proposal

        indexed = SimilarDoc.objects.filter(kind="proposals").count()
        visible = Proposal.objects.exclude(status__in=["draft", "withdrawn"]).count()
    except Exception:  # noqa: BLE001 — the index's own figures say what failed
        return figures
    if indexed < visible:
        for f in figures:
            f.note = (f.note + " " if f.note else "") + (
                f"The similar index held {indexed:,} of {visible:,} proposals (incomplete)."
            )
    return figures


# --- the load test -------------------------------------------------------------------------


def load_test(base: str, accounts: dict[str, Any]) -> dict[str, Any]:
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "accounts.json").write_text(json.dumps(accounts, ensure_ascii=False), "utf-8")
    for f in VAR.glob("load_*.csv"):
        f.unlink()
    spawn = 3
    ramp = LOAD_USERS // spawn + 5
    env = dict(os.environ, BENCH_LOAD_ACCOUNTS=str(VAR / "accounts.json"), PYTHONPATH=str(ROOT))
    cmd = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        base,
        "-u",
        str(LOAD_USERS),
        "-r",
        str(spawn),
        "-t",
        f"{ramp + LOAD_SECONDS}s",
        "--reset-stats",
        "--csv",
        str(VAR / "load"),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    log(f"locust: {LOAD_USERS} users, ramp {ramp} s, then {LOAD_SECONDS} s measured")
    subprocess.run(cmd, cwd=ROOT, env=env, check=False, timeout=ramp + LOAD_SECONDS + 120)
    return read_locust(VAR / "load_stats.csv", ramp)


def read_locust(path: Path, ramp: int) -> dict[str, Any]:
    import csv

    rows = list(csv.DictReader(path.open(encoding="utf-8"))) if path.exists() else []
    return {"rows": rows, "ramp": ramp, "users": LOAD_USERS, "seconds": LOAD_SECONDS}


# --- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    load_only = "--load-only" in (sys.argv[1:] if argv is None else argv)
    env = server_env(URL)
    VAR.mkdir(parents=True, exist_ok=True)
    seed_seconds = prepare(env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shangliang.settings")
    import django

    django.setup()
    from bench.report import dataset_counts, machine, write
    from shangliang.scale.context import PASSWORD
    from shangliang.scale.models import ScaleRun

    run = ScaleRun.objects.filter(finished_at__isnull=False).first()
    if run is None:
        raise SystemExit("no finished generated dataset in the bench database")
    personas: dict[str, str] = run.counts["personas"]
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    stack = Stack(env)
    log("starting gunicorn")
    load: dict[str, Any] | None = None
    figures: list[Figure] = []
    try:
        stack.start()
        if os.environ.get("BENCH_ONLY"):
            figures = measure_pages(stack.base, personas, PASSWORD)
        elif not load_only:
            figures = measure_pages(stack.base, personas, PASSWORD)
            figures += with_coverage(
                guarded("相似与检索 similarity & search", "bench/similarity.py", "similarity")
            )
            figures += guarded("履职 duty", "全年积分重算 full recompute of a year", "duty")
        if (LOAD or load_only) and not os.environ.get("BENCH_ONLY"):
            from shangliang.accounts.models import Role

            samples = dict(run.counts["samples"])
            samples["infos"] = list(
                Role.objects.filter(kind="info_office")
                .exclude(user__username__startswith="bench_")
                .values_list("user__username", flat=True)
            )
            load = load_test(stack.base, {"password": PASSWORD, **samples})
    finally:
        stack.stop()
    if os.environ.get("BENCH_ONLY"):
        from bench.report import _table

        print("\n".join(_table(figures)))
        return
    if load_only:
        from bench.report import replace_load_section

        replace_load_section(OUT, load)
        log(f"updated the load test in {OUT}")
        return
    info = machine()
    info["Load average (1, 5, 15 min)"] = (
        f"{' '.join(load_before)} when the measurements began, "
        f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])} at the end "
        "(other work on the machine inflates every figure)"
    )
    write(
        OUT,
        machine=info,
        run=run,
        seed_seconds=seed_seconds,
        counts=dataset_counts(),
        figures=figures,
        load=load,
        stack=f"gunicorn {stack.env.get('BENCH_WORKERS', '3')}×gthread; SSE: {stack.sse}",
        runs=RUNS,
    )
    log(f"wrote {OUT}")


if __name__ == "__main__":
    main()
