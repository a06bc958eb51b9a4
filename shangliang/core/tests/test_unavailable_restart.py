"""PostgreSQL restarted under load: requests fail fast with a clear 503 (a page, or JSON for
the API), the app recovers by itself, and a step cut off mid-transaction left nothing."""

from __future__ import annotations

import os
import threading
import time

import pytest
import requests

from shangliang.core.tests import procs
from shangliang.testing import PASSWORD

pytestmark = pytest.mark.reliability

INTERRUPT = """
import json, subprocess, sys
from django.db import Error
from shangliang.core import workflow
from shangliang.accounts.models import User
from shangliang.proposals.models import Proposal

p = Proposal.objects.get(pk=%(proposal)d)
office = User.objects.get(pk=%(office)d)
real = workflow.audit_record

def cut_then_record(**kwargs):
    # the row is updated inside the step's transaction; now the database goes away
    subprocess.run(%(stop)r, check=True, capture_output=True)
    return real(**kwargs)

workflow.audit_record = cut_then_record
try:
    workflow.transition(p, "review", actor=office, outcome="accept")
except Error as exc:
    print(json.dumps({"interrupted": type(exc).__name__}))
else:
    print(json.dumps({"interrupted": None}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("restart")
    with procs.throwaway_cluster() as cluster:
        env = procs.app_env(
            DATABASE_URL=cluster.url,
            DB_CONNECT_TIMEOUT="2",
            LIVE_BACKEND="memory",
            MEDIA_ROOT=str(tmp / "media"),
        )
        procs.manage("migrate", "-v0", env=env)
        world = procs.setup_world(env)
        port = procs.free_port()
        server = procs.gunicorn(port, env, tmp / "gunicorn.log")
        try:
            yield {"cluster": cluster, "env": env, "base": f"http://127.0.0.1:{port}", **world}
        finally:
            procs.stop(server)


def _token(base: str) -> str:
    r = requests.post(
        f"{base}/api/v1/auth/token", json={"username": "member", "password": PASSWORD}, timeout=10
    )
    assert r.status_code == 200, r.text
    return str(r.json()["token"])


def test_it_answers_503_fast_while_the_database_restarts_and_recovers(site):
    base, cluster = site["base"], site["cluster"]
    cookies = procs.login(base, "member", PASSWORD)
    api = {"Authorization": f"Bearer {_token(base)}"}
    assert requests.get(f"{base}/notifications/", cookies=cookies, timeout=10).status_code == 200

    results: list[tuple[str, int, float, str]] = []
    stop = threading.Event()

    def load(kind: str) -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                if kind == "page":
                    r = requests.get(f"{base}/notifications/", cookies=cookies, timeout=15)
                else:
                    r = requests.get(f"{base}/api/v1/notifications", headers=api, timeout=15)
                results.append((kind, r.status_code, time.monotonic() - started, r.text[:3000]))
            except requests.RequestException as exc:
                results.append((kind, -1, time.monotonic() - started, repr(exc)))
            time.sleep(0.05)

    threads = [threading.Thread(target=load, args=(k,)) for k in ("page", "api", "page")]
    for t in threads:
        t.start()
    try:
        time.sleep(1.5)
        cluster.stop("fast")
        down_at = len(results)
        time.sleep(4)
        outage = results[down_at:]
        cluster.start()
        back = procs.wait_for(
            lambda: [r for r in results[len(outage) + down_at :] if r[1] == 200], timeout=30
        )
        time.sleep(1)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)

    statuses = {code for _kind, code, _t, _body in results}
    assert statuses <= {200, 503}, [r[:3] for r in results if r[1] not in (200, 503)]
    unavailable = [r for r in outage if r[1] == 503]
    assert unavailable, "requests during the outage must get 503"
    assert max(r[2] for r in unavailable) < 5, "a 503 must come fast"
    page = next(r for r in unavailable if r[0] == "page")
    assert "系统暂时无法访问" in page[3]
    answer = next(r for r in unavailable if r[0] == "api")
    assert '"code": "unavailable"' in answer[3] or '"code":"unavailable"' in answer[3]
    assert back, "the app recovers by itself"
    assert results[-1][1] == 200


def test_a_step_cut_off_mid_transaction_leaves_nothing(site):
    cluster = site["cluster"]
    pk = site["proposal"]
    state = "SELECT status, review_stage FROM proposals_proposal WHERE id = %s"
    before = cluster.sql(state, (pk,))
    audits = cluster.sql("SELECT count(*) FROM core_auditevent")
    stop_cmd = [
        "runuser",
        "-u",
        "postgres",
        "--",
        str(procs.PG_BIN / "pg_ctl"),
        "-D",
        str(cluster.data),
        "-m",
        "immediate",
        "-w",
        "stop",
    ]
    if os.geteuid() != 0:
        stop_cmd = stop_cmd[4:]
    script = INTERRUPT % {"proposal": pk, "office": site["office"], "stop": stop_cmd}
    out = procs.manage("shell", "-c", script, env=site["env"])
    assert '"interrupted": "' in out, out  # the step failed with a database error
    cluster.start()
    assert cluster.sql(state, (pk,)) == before
    assert cluster.sql("SELECT count(*) FROM core_auditevent") == audits
    # and the site serves again once the database is back
    base = site["base"]
    procs.wait_for(lambda: procs.http_status(f"{base}/accounts/login/") == 200, timeout=30)
