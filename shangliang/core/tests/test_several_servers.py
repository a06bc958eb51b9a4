"""Two app servers and a worker on loopback against one PostgreSQL and one Redis: a login on
one is valid on the other, a live update published on one reaches a browser connected to
the other, and a scheduled job runs once however many schedulers tick."""

from __future__ import annotations

import json
import queue
import threading
import time
from pathlib import Path

import pytest
import requests

from shangliang.core.tests import procs
from shangliang.testing import PASSWORD

pytestmark = pytest.mark.reliability
REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    if not _redis_up():
        if procs.REQUIRED:
            raise AssertionError("Redis on 127.0.0.1:6379 is needed for this test")
        pytest.skip("no Redis on 127.0.0.1:6379")
    tmp = tmp_path_factory.mktemp("servers")
    started = []
    with procs.throwaway_cluster() as cluster:
        env = procs.app_env(
            DATABASE_URL=cluster.url,
            REDIS_URL=REDIS_URL,
            LIVE_BACKEND="redis",
            LIVE_HEARTBEAT_SECONDS="1",
            LIVE_MAX_SECONDS="60",
            SCHEDULER_INTERVAL_SECONDS="1",
            MEDIA_ROOT=str(tmp / "media"),
        )
        procs.manage("migrate", "-v0", env=env)
        world = procs.setup_world(env)
        try:
            port_a, port_b = procs.free_port(), procs.free_port()
            # A: the WSGI server (gunicorn); B: the ASGI server (uvicorn), as for /live/
            started.append(procs.gunicorn(port_a, env, tmp / "a.log"))
            uvicorn = str(Path(procs.PYTHON).with_name("uvicorn"))
            started.append(
                procs.start(
                    [
                        uvicorn,
                        "shangliang.asgi:application",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port_b),
                        "--lifespan",
                        "off",
                        "--no-access-log",
                    ],
                    env,
                    tmp / "b.log",
                )
            )
            base_b = f"http://127.0.0.1:{port_b}"
            procs.wait_for(lambda: procs.http_status(f"{base_b}/accounts/login/") == 200, 60)
            started.append(
                procs.start(
                    [
                        procs.PYTHON,
                        "manage.py",
                        "db_worker",
                        "--queue-name",
                        "*",
                        "--no-reload",
                        "--interval",
                        "0.2",
                        "--no-startup-delay",
                    ],
                    env,
                    tmp / "worker.log",
                )
            )
            yield {
                "a": f"http://127.0.0.1:{port_a}",
                "b": base_b,
                "env": env,
                "cluster": cluster,
                "tmp": tmp,
                **world,
            }
        finally:
            for proc in reversed(started):
                procs.stop(proc)


def test_a_login_on_one_server_is_valid_on_the_other(servers):
    cookies = procs.login(servers["a"], "member", PASSWORD)
    on_b = requests.get(
        f"{servers['b']}/notifications/", cookies=cookies, timeout=10, allow_redirects=False
    )
    assert on_b.status_code == 200
    assert "省委员甲" in on_b.text  # signed in as the member on B
    anonymous = requests.get(f"{servers['b']}/notifications/", timeout=10, allow_redirects=False)
    assert anonymous.status_code == 302


class Listener:
    """A browser's EventSource on one server, read in a thread."""

    def __init__(self, url: str, cookies: dict[str, str]) -> None:
        self.events: queue.Queue[dict[str, object]] = queue.Queue()
        self.lines: list[str] = []
        self.response = requests.get(url, cookies=cookies, stream=True, timeout=(5, 30))
        assert self.response.status_code == 200
        assert self.response.headers["Content-Type"].startswith("text/event-stream")
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for raw in self.response.iter_lines(chunk_size=1):
                line = raw.decode()
                self.lines.append(line)
                if line.startswith("data: "):
                    self.events.put(json.loads(line[6:]))
        except Exception:  # noqa: BLE001  (the connection was closed by close())
            return

    def next(self, timeout: float = 30) -> dict[str, object]:
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        self.response.close()


def test_a_live_update_on_one_server_reaches_a_browser_on_the_other(servers):
    a, b = servers["a"], servers["b"]
    member = procs.login(a, "member", PASSWORD)
    member_id = servers["member"]
    listener = Listener(f"{b}/live/notifications/{member_id}/", member)
    try:
        procs.wait_for(lambda: any(line.startswith(": ") for line in listener.lines), 10)
        # 1. On server A the proposal office returns the member's proposal (the API); the
        # worker delivers the notification and publishes through Redis.
        token = requests.post(
            f"{a}/api/v1/auth/token",
            json={"username": "p_office", "password": PASSWORD},
            timeout=10,
        )
        assert token.status_code == 200, token.text
        done = requests.post(
            f"{a}/api/v1/proposals/{servers['proposal']}/actions/review",
            json={"outcome": "return", "reason": "请补充调研数据"},
            headers={"Authorization": f"Bearer {token.json()['token']}"},
            timeout=10,
        )
        assert done.status_code == 200, done.text
        assert listener.next() == {"unread": 1}
        # 2. The member marks it read on server A (the page): A publishes itself.
        read = requests.post(
            f"{a}/notifications/read/",
            data={"csrfmiddlewaretoken": member["csrftoken"]},
            cookies=member,
            headers={"Referer": f"{a}/notifications/"},
            allow_redirects=False,
            timeout=10,
        )
        assert read.status_code == 302
        assert listener.next() == {"unread": 0}
    finally:
        listener.close()
    # Nobody else may listen to the member's channel.
    other = procs.login(a, "leader", PASSWORD)
    assert (
        requests.get(f"{b}/live/notifications/{member_id}/", cookies=other, timeout=10).status_code
        == 404
    )


def test_a_live_meeting_check_in_on_one_server_reaches_the_board_on_the_other(servers):
    a, b = servers["a"], servers["b"]
    office = procs.login(a, "office", PASSWORD)
    listener = Listener(f"{b}/live/meeting/{servers['meeting']}/", office)
    try:
        procs.wait_for(lambda: any(line.startswith(": ") for line in listener.lines), 10)
        token = requests.post(
            f"{a}/api/v1/auth/token", json={"username": "office", "password": PASSWORD}, timeout=10
        )
        assert token.status_code == 200, token.text
        done = requests.post(
            f"{a}/api/v1/meetings/{servers['meeting']}/actions/check_in",
            json={"membership": servers["member_m"]},
            headers={"Authorization": f"Bearer {token.json()['token']}"},
            timeout=10,
        )
        assert done.status_code == 200, done.text
        event = listener.next()
        assert event["status"] == "attended"
    finally:
        listener.close()
    member = procs.login(a, "member", PASSWORD)  # an attendee, not staff: may view it too
    stranger = procs.login(a, "a_member", PASSWORD)
    url = f"{b}/live/meeting/{servers['meeting']}/"
    assert requests.get(url, cookies=stranger, timeout=10).status_code == 404
    with requests.get(url, cookies=member, timeout=(5, 5), stream=True) as r:
        assert r.status_code == 200


def test_a_scheduled_job_runs_once_with_two_schedulers(servers):
    env, cluster = servers["env"], servers["cluster"]
    procs.manage("run_scheduler", "--once", env=env)  # schedules every job
    cluster.sql(
        "UPDATE core_scheduledjob SET next_run_at = now() - interval '1 second' "
        "WHERE name = 'core.prune_task_results'"
    )
    schedulers = [
        procs.start(
            [procs.PYTHON, "manage.py", "run_scheduler"], env, servers["tmp"] / f"scheduler{i}.log"
        )
        for i in (1, 2)
    ]
    claimed = (
        "SELECT count(*) FROM core_scheduledjob WHERE name = 'core.prune_task_results' "
        "AND next_run_at > now()"
    )
    try:
        procs.wait_for(lambda: cluster.sql(claimed) == "[(1,)]", timeout=90, step=0.5)
        time.sleep(4)  # both keep ticking every second meanwhile
    finally:
        for s in schedulers:
            procs.stop(s)
    runs = (
        "SELECT count(*), min(status) FROM django_tasks_database_dbtaskresult WHERE task_path LIKE "
        "'%%run_scheduled_job' AND args_kwargs::text LIKE '%%core.prune_task_results%%'"
    )
    procs.wait_for(lambda: cluster.sql(runs) == "[(1, 'SUCCESSFUL')]", timeout=30)
    logs = "".join((servers["tmp"] / f"scheduler{i}.log").read_text() for i in (1, 2))
    assert logs.count("enqueued core.prune_task_results") == 1
