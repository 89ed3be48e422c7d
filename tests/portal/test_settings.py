"""Production mode refuses an insecure configuration; `check --deploy` is clean when configured."""

from __future__ import annotations

import subprocess
import sys

GOOD_KEY = "k" * 20 + "Q9#" + "x" * 30


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        env={**base, **env},
        check=False,
    )


def test_production_refuses_default_secret_key():
    result = _run(
        {
            "DJANGO_DEBUG": "0",
            "ALLOWED_HOSTS": "portal.example",
            "DATABASE_URL": "postgres://u@h/db",
        },
        "check",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_missing_allowed_hosts():
    result = _run(
        {
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "",
            "DATABASE_URL": "postgres://u@h/db",
        },
        "check",
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_sqlite():
    result = _run(
        {"DJANGO_DEBUG": "0", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "portal.example"}, "check"
    )
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_check_deploy_is_clean_in_production_mode():
    result = _run(
        {
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "portal.example",
            "DATABASE_URL": "postgres://u@127.0.0.1/none",
            "CACHE_URL": "redis://127.0.0.1:6379/3",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_per_process_cache_unless_allowed():
    env = {
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "portal.example",
        "DATABASE_URL": "postgres://u@127.0.0.1/none",
    }
    refused = _run(env, "check")
    assert refused.returncode != 0
    assert "CACHE_URL must point at a shared cache" in refused.stderr
    assert _run({**env, "CACHE_URL": "locmemcache://x"}, "check").returncode != 0
    assert _run({**env, "ALLOW_LOCAL_CACHE": "1"}, "check").returncode == 0
    assert _run({**env, "CACHE_URL": "redis://127.0.0.1:6379/3"}, "check").returncode == 0
