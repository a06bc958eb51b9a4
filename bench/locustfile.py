"""The plenary-day load test (``make bench-load``; run headless by ``bench/run.py``).

Mix: members log in, read their home page and their proposals, draft and submit a
proposal, read replies and rate them; staff work their queues (proposal office, handling
units); the public reads the portal of published replies. Accounts come from the file
that ``bench/run.py`` writes (``BENCH_LOAD_ACCOUNTS``), taken from the generated dataset.
Public requests (群众诉求) have no model yet, so the public only reads.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path
from typing import Any

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

from bench.http import CSRF_INPUT, unsecure

ACCOUNTS = json.loads(
    Path(os.environ.get("BENCH_LOAD_ACCOUNTS", "var/bench/accounts.json")).read_text(
        encoding="utf-8"
    )
)
PASSWORD = ACCOUNTS["password"]
DETAIL = re.compile(r'href="/proposals/(\d+)/"')
PORTAL = re.compile(r'href="/proposals/public/(\d+)/"')
ASSIGNMENT = re.compile(r'href="/proposals/unit/(\d+)/"')
RATE = re.compile(r'action="/proposals/unit/ratings/(\d+)/"')
DRAFT_TOKEN = re.compile(r'name="draft_token" value="([^"]*)"')
EDIT = re.compile(r"/proposals/(\d+)/edit/")


class Browser(FastHttpUser):
    abstract = True
    wait_time = between(5, 30)  # a person reads a page before the next click
    account_key = ""

    def on_start(self) -> None:
        host = (self.host or "http://127.0.0.1").split("://", 1)[1]
        self.headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{host}/",
            "Origin": f"https://{host}",
        }
        if self.account_key:
            self.login(random.choice(ACCOUNTS[self.account_key]))

    def _csrf(self, html: str) -> str:
        m = CSRF_INPUT.search(html)
        return (
            m[1]
            if m
            else next((c.value or "" for c in self.client.cookiejar if c.name == "csrftoken"), "")
        )

    def login(self, username: str) -> None:
        page = self.client.get("/accounts/login/", name="login form", headers=self.headers)
        unsecure(self.client)
        data = {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": self._csrf(page.text),
        }
        with self.client.post(
            "/accounts/login/",
            data=data,
            name="login",
            headers=self.headers,
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code == 302:
                r.success()
            else:
                r.failure(f"login {username}: HTTP {r.status_code}")
        unsecure(self.client)

    def page(self, path: str, name: str) -> Any:
        r = self.client.get(path, name=name, headers=self.headers)
        unsecure(self.client)
        return r

    def post(self, path: str, data: dict[str, str], name: str, html: str) -> Any:
        """A form POST that must redirect (302): a form shown again is an error here."""
        data = {**data, "csrfmiddlewaretoken": self._csrf(html)}
        with self.client.post(
            path,
            data=data,
            name=name,
            headers=self.headers,
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code == 302:
                r.success()
            else:
                r.failure(f"{name}: HTTP {r.status_code} instead of a redirect")
        unsecure(self.client)
        return r


class Member(Browser):
    weight = 6
    account_key = "members"

    @task(4)
    def home(self) -> None:
        self.page("/", "member: home")

    @task(4)
    def my_proposals(self) -> None:
        r = self.page("/proposals/", "member: my proposals")
        ids = DETAIL.findall(r.text)
        if ids:
            self.page(f"/proposals/{random.choice(ids)}/", "member: proposal page (replies)")

    @task(1)
    def draft_and_submit(self) -> None:
        form = self.page("/proposals/new/", "member: new proposal form")
        token = DRAFT_TOKEN.search(form.text)
        fields = {
            "kind": "individual",
            "title": f"关于加强第{random.randrange(10**6)}社区养老服务设施建设的建议",
            "situation": "近年来，社区养老服务需求持续增长，服务设施仍然不足。",
            "analysis": "究其原因，一是投入不足；二是专业人才短缺。",
            "suggestions": "一是加大投入；二是培养专业人才；三是引导社会力量参与。",
            "category": "社会",
            "draft_token": token[1] if token else "",
        }
        saved = self.post("/proposals/drafts/save/", fields, "member: save draft", form.text)
        m = EDIT.search(saved.headers.get("Location", ""))
        if not m:
            return
        pk = m[1]
        edit = self.page(f"/proposals/{pk}/edit/", "member: edit draft")
        self.post(f"/proposals/{pk}/submit/", fields, "member: submit proposal", edit.text)

    @task(2)
    def ratings(self) -> None:
        r = self.page("/proposals/unit/ratings/", "member: replies to rate")
        ids = RATE.findall(r.text)
        if ids:
            self.post(
                f"/proposals/unit/ratings/{ids[0]}/",
                {"rating": "satisfied", "contacted_before_reply": "on", "comment": ""},
                "member: rate a reply",
                r.text,
            )


class Office(Browser):
    weight = 1
    account_key = "offices"

    def on_start(self) -> None:
        super().on_start()
        r = self.page("/proposals/office/", "office: home")
        m = re.search(r"/proposals/office/orgs/(\d+)/", r.url + " " + r.text)
        self.queue = f"/proposals/office/orgs/{m[1]}/" if m else "/proposals/office/"

    @task(3)
    def review_queue(self) -> None:
        r = self.page(self.queue, "office: review queue")
        ids = DETAIL.findall(r.text)
        if ids:
            self.page(f"/proposals/{random.choice(ids)}/", "office: proposal page")

    @task(2)
    def handling(self) -> None:
        self.page(self.queue + "?queue=handling", "office: queue handling")

    @task(1)
    def figures(self) -> None:
        self.page("/proposals/figures/", "office: figures")


class Unit(Browser):
    weight = 1
    account_key = "units"

    @task(3)
    def inbox(self) -> None:
        r = self.page("/proposals/unit/", "unit: inbox")
        ids = ASSIGNMENT.findall(r.text)
        if ids:
            self.page(f"/proposals/unit/{random.choice(ids)}/", "unit: assignment page")


class Info(Browser):
    """The information office edits the opinion reports of its committee."""

    weight = 1
    account_key = "infos"

    def on_start(self) -> None:
        super().on_start()
        r = self.page("/opinions/office/", "info: home")
        m = re.search(r"/opinions/office/(\d+)/", r.url + " " + r.text)
        self.queue = f"/opinions/office/{m[1]}/" if m else "/opinions/office/"

    @task(3)
    def queue_page(self) -> None:
        self.page(self.queue, "info: editor's queue")

    @task(1)
    def figures(self) -> None:
        self.page(self.queue + "figures/", "info: opinion figures")


class Public(Browser):
    weight = 2

    @task(3)
    def portal(self) -> None:
        r = self.page("/proposals/public/", "public: portal")
        ids = PORTAL.findall(r.text)
        if ids:
            self.page(f"/proposals/public/{random.choice(ids)}/", "public: published reply")

    @task(1)
    def search(self) -> None:
        word = random.choice(["养老", "医疗", "教育", "交通", "农村", "就业"])
        self.page(f"/proposals/public/?q={word}", "public: portal search")
