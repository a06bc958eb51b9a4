"""Start and stop the production-style stack on loopback: gunicorn (WSGI) workers, and the
ASGI process for server-sent events when the project has one."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WSGI_WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
WSGI_THREADS = int(os.environ.get("BENCH_THREADS", "4"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(database_url: str) -> dict[str, str]:
    """Production settings (DEBUG off, a fresh secret key), reachable on loopback only."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        HSTS_SECONDS="0",
        BENCH_QUERY_COUNT="1",
        STATIC_ROOT=str(ROOT / "var" / "bench" / "static"),
        MEDIA_ROOT=str(ROOT / "var" / "bench" / "media"),
        LOG_LEVEL="WARNING",
    )
    env.pop("PYTEST_VERSION", None)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


class Stack:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.procs: list[subprocess.Popen[bytes]] = []
        self.sse: str = ""

    def _collectstatic(self) -> None:
        """Only when a static file changed since the last run (hashing and compressing
        every file takes minutes on this machine)."""
        import hashlib

        h = hashlib.sha256()
        for path in sorted((ROOT / "shangliang").rglob("static/**/*")):
            if path.is_file():
                h.update(f"{path}:{path.stat().st_mtime_ns}".encode())
        stamp = ROOT / "var" / "bench" / "static.stamp"
        manifest = Path(self.env["STATIC_ROOT"]) / "staticfiles.json"
        if manifest.exists() and stamp.exists() and stamp.read_text() == h.hexdigest():
            return
        manage(self.env, "collectstatic", "--noinput", "-v0")
        stamp.write_text(h.hexdigest())

    def start(self) -> None:
        self._collectstatic()
        log = open(ROOT / "var" / "bench" / "gunicorn.log", "ab")  # noqa: SIM115
        self.procs.append(
            subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "shangliang.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(WSGI_WORKERS),
                    "--threads",
                    str(WSGI_THREADS),
                    "--worker-class",
                    "gthread",
                    "--timeout",
                    "120",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        )
        self._start_sse(log)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/accounts/login/", timeout=30).status_code < 500:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 120 s (see var/bench/gunicorn.log)")

    def _start_sse(self, log: IO[bytes]) -> None:
        """The SSE endpoint runs in its own ASGI process when an ASGI server is installed."""
        uvicorn = BIN / "uvicorn"
        if not (ROOT / "shangliang" / "core" / "pubsub.py").exists():
            self.sse = "no SSE endpoint in the project yet: not started"
            return
        if not uvicorn.exists() or shutil.which(str(uvicorn)) is None:
            self.sse = (
                "the SSE endpoint exists, but no ASGI server (uvicorn) is installed: not started"
            )
            return
        port = free_port()
        self.procs.append(
            subprocess.Popen(
                [
                    str(uvicorn),
                    "shangliang.asgi:application",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        )
        self.sse = f"uvicorn (ASGI) on 127.0.0.1:{port}"

    def stop(self) -> None:
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        self.procs.clear()
