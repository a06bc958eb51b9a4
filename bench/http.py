"""An HTTP client for the benchmarks and the load test that behaves like a browser behind
the TLS proxy of a production installation (``X-Forwarded-Proto: https``): the server's
cookies are marked Secure, so they are kept and sent back over the loopback connection."""

from __future__ import annotations

import re
import time
from typing import Any

import requests

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def proxy_headers(base: str) -> dict[str, str]:
    host = base.split("://", 1)[1].rstrip("/")
    return {
        "X-Forwarded-Proto": "https",
        "Referer": f"https://{host}/",
        "Origin": f"https://{host}",
    }


def unsecure(session: Any) -> None:
    """Let the cookie jar send the server's Secure cookies over plain loopback HTTP (a
    ``requests`` session, or locust's FastHttpSession and its ``cookiejar``)."""
    jar = getattr(session, "cookies", None)
    for cookie in jar if jar is not None else session.cookiejar:
        cookie.secure = False


class Client:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.s = requests.Session()
        self.s.headers.update(proxy_headers(self.base))
        self.token = ""

    def login(self, username: str, password: str) -> None:
        page = self.s.get(self.base + "/accounts/login/", timeout=30)
        unsecure(self.s)
        match = CSRF_INPUT.search(page.text)
        if not match:
            raise RuntimeError(f"no login form at {self.base}/accounts/login/ ({page.status_code})")
        r = self.s.post(
            self.base + "/accounts/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": match[1]},
            allow_redirects=False,
            timeout=30,
        )
        unsecure(self.s)
        if r.status_code != 302:
            raise RuntimeError(f"login of {username} failed: HTTP {r.status_code}")

    def api_login(self, username: str, password: str) -> None:
        r = self.s.post(
            self.base + "/api/v1/auth/token",
            json={"username": username, "password": password},
            timeout=30,
        )
        r.raise_for_status()
        self.token = r.json()["token"]

    def get(self, path: str) -> tuple[float, int, int | None, Any]:
        """(ms, status, X-Query-Count, response)"""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        t0 = time.perf_counter()
        r = self.s.get(self.base + path, headers=headers, allow_redirects=False, timeout=60)
        ms = (time.perf_counter() - t0) * 1000
        unsecure(self.s)
        q = r.headers.get("X-Query-Count")
        return ms, r.status_code, int(q) if q else None, r
