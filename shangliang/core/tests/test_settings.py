"""Production settings: SECRET_KEY required, `check --deploy` clean, seeder refuses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "PYTEST_VERSION",
            "DEBUG",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "DATABASE_URL",  # the subprocess uses an empty SQLite under its own VAR_DIR
        }
    }
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_refuses_to_start_without_a_secret_key():
    r = run_manage("check")
    assert r.returncode != 0
    assert "SECRET_KEY must be set" in r.stderr


def test_check_deploy_is_clean_in_production(tmp_path):
    r = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 20 + "production-secret-key-for-the-check-0123456789",
        ALLOWED_HOSTS="zx.example.gov.cn",
        VAR_DIR=str(tmp_path),
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_the_demo_seeder_refuses_with_debug_off(tmp_path):
    r = run_manage(
        "seed_demo",
        SECRET_KEY="y" * 60,
        ALLOWED_HOSTS="localhost",
        VAR_DIR=str(tmp_path),
    )
    assert r.returncode != 0
    assert "refuses to run with DEBUG off" in r.stderr
