"""Helpers of the reliability tests: real processes (workers, app servers, a throwaway
PostgreSQL cluster) started on loopback and stopped by the test that started them."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
PYTHON = sys.executable
PG_BIN = max(
    Path("/usr/lib/postgresql").glob("*/bin"),
    key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    default=Path("/usr/lib/postgresql/15/bin"),
)
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1" or os.environ.get("CI") == "true"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], Any], timeout: float = 30, step: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except Exception as exc:  # noqa: BLE001  (keep trying until the deadline)
            last = exc
        else:
            if last:
                return last
        time.sleep(step)
    raise AssertionError(f"timed out waiting; last result: {last!r}")


def database_url(settings_dict: dict[str, Any] | None = None) -> str:
    """A DATABASE_URL for the database this test process uses (the test database)."""
    s = settings_dict or connection.settings_dict
    user = urllib.parse.quote(s.get("USER") or "")
    password = urllib.parse.quote(s.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def app_env(**extra: str) -> dict[str, str]:
    """The environment of a child process: DEBUG off and the database task queue as in
    production; still the test settings otherwise (no HTTPS-only cookies on loopback, static
    files without the collected manifest, the fast test password hasher)."""
    env = dict(os.environ)
    env.pop("PYTEST_XDIST_WORKER", None)
    env.update(
        {
            "DEBUG": "0",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    return subprocess.Popen(  # noqa: S603
        args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)  # its own session: the process and its children
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def skip_unless_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs it: DATABASE_URL=... make test-reliability)")


# --- a throwaway PostgreSQL cluster (never the machine's shared one) -----------------------


class Cluster:
    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.data = root / "data"
        self.port = port
        self.url = f"postgres://postgres@127.0.0.1:{port}/shangliang"

    def _pg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(  # noqa: S603
            cmd, capture_output=True, text=True, timeout=120, check=check
        )

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            opts,
            "-l",
            str(self.root / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)

    def sql(self, statement: str, params: tuple[Any, ...] = (), db: str = "shangliang") -> str:
        import psycopg

        dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname={db}"
        with psycopg.connect(dsn, autocommit=True) as conn:
            cur = conn.execute(statement, params)
            return "" if cur.description is None else repr(cur.fetchall())


def pg_available() -> bool:
    return (PG_BIN / "initdb").exists() and (os.geteuid() != 0 or bool(shutil.which("runuser")))


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    if not pg_available():
        if REQUIRED:
            raise AssertionError("PostgreSQL's initdb is needed for the reliability tests")
        pytest.skip("PostgreSQL server binaries (initdb) are not installed")
    root = Path(tempfile.mkdtemp(prefix="sl-pg-"))
    cluster = Cluster(root, free_port())
    try:
        cluster.init()
        cluster.start()
        cluster.sql("CREATE DATABASE shangliang", db="postgres")
        yield cluster
    finally:
        cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


# --- talking to an app server over HTTP --------------------------------------------------

SETUP_WORLD = """
import json
from shangliang.testing import build_world
from shangliang.proposals.tests.member_office_cast import office_of, submitted
import datetime as dt
from django.utils import timezone
from shangliang.meetings.services import meeting_create
w = build_world()
office = office_of(w)
p = submitted(w)
now = timezone.now()
m = meeting_create(actor=w.general_office, org=w.province, kind="plenary", title="全体会议",
                   starts_at=now, ends_at=now + dt.timedelta(hours=4),
                   membership_ids=[w.member_m.pk])
print(json.dumps({"proposal": p.pk, "office": office.pk, "member": w.member.pk,
                  "meeting": m.pk, "member_m": w.member_m.pk}))
"""


def setup_world(env: dict[str, str]) -> dict[str, int]:
    """The test world (personas with PASSWORD) and one proposal in review, in the
    database ``env`` points at."""
    import json

    out = manage("shell", "-c", SETUP_WORLD, env=env, timeout=600)
    result: dict[str, int] = json.loads(out.strip().splitlines()[-1])
    return result


def gunicorn(
    port: int, env: dict[str, str], log: Path, workers: int = 1
) -> subprocess.Popen[bytes]:
    args = [
        str(Path(PYTHON).with_name("gunicorn")),
        "shangliang.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "--threads",
        "4",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
    ]
    proc = start(args, env, log)
    try:
        wait_for(lambda: http_status(f"http://127.0.0.1:{port}/accounts/login/") == 200, 60)
    except BaseException:
        stop(proc)  # never leave a server behind
        raise
    return proc


def http_status(url: str, **kwargs: Any) -> int:
    import requests

    return int(requests.get(url, timeout=5, allow_redirects=False, **kwargs).status_code)


def login(base: str, username: str, password: str) -> dict[str, str]:
    """Log in through the real form; returns the cookies to send (the production settings
    mark them Secure, which a client on plain-HTTP loopback would otherwise withhold)."""
    import requests

    first = requests.get(f"{base}/accounts/login/", timeout=10)
    csrf = str(first.cookies["csrftoken"])
    done = requests.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": csrf},
        cookies={"csrftoken": csrf},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code == 302, done.text[:2000]
    return {"sessionid": str(done.cookies["sessionid"]), "csrftoken": csrf}
