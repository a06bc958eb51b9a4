"""Upgrading: the migrations apply to a populated database of the previous release (0.1,
commit 7427fd3, its demo data; see fixtures/release_0_1/README.md) and every object survives."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from shangliang.core.tests import procs

GROWS = {"auth_permission", "django_content_type"}
FIXTURE = Path(__file__).parent / "fixtures" / "release_0_1"


@pytest.mark.reliability
def test_it_migrates_the_previous_releases_demo_database(tmp_path):
    db = tmp_path / "upgrade.sqlite3"
    with gzip.open(FIXTURE / "demo.sqlite3.gz", "rb") as src, db.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    before = json.loads((FIXTURE / "summary.json").read_text(encoding="utf-8"))
    old_migrations = {
        tuple(m)
        for m in json.loads((FIXTURE / "migrations.json").read_text(encoding="utf-8"))["migrations"]
    }

    env = procs.app_env(SQLITE_PATH=str(db), MEDIA_ROOT=str(tmp_path / "media"))
    env.pop("DATABASE_URL", None)
    procs.manage("migrate", "--noinput", "-v0", env=env)
    plan = procs.manage("showmigrations", "--plan", env=env)
    assert "[ ]" not in plan  # everything applied

    con = sqlite3.connect(db)
    try:
        applied = set(con.execute("SELECT app, name FROM django_migrations").fetchall())
        assert old_migrations <= applied  # the old history was kept, not rewritten
        assert len(applied) > len(old_migrations) or applied == old_migrations
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table, count in before["counts"].items():
            assert table in tables, f"{table} disappeared"
            now = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            if table in GROWS:  # new models add their content types and permissions
                assert now >= count, table
            else:
                assert now == count, table
        sample = before["sample"]
        assert (
            sorted(r[0] for r in con.execute("SELECT username FROM accounts_user"))
            == sample["users"]
        )
        proposals = sorted(
            [r[0], r[1]] for r in con.execute("SELECT title, status FROM proposals_proposal")
        )
        assert proposals == sample["proposals"]
        orgs = sorted(r[0] for r in con.execute("SELECT name FROM orgs_organization"))
        assert orgs == sample["orgs"]
    finally:
        con.close()
    # and the upgraded installation works: the objects load through the current models
    out = procs.manage(
        "shell",
        "-c",
        "from shangliang.proposals.models import Proposal;"
        "from shangliang.core.workflow import workflow_for;"
        "ps = list(Proposal.objects.all());"
        "print(len(ps), sorted({workflow_for(p).state_of(p) for p in ps}))",
        env=env,
    )
    assert out.strip().splitlines()[-1].startswith(f"{len(sample['proposals'])} [")
