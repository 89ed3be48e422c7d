"""ops/backup.sh and ops/restore.sh on real PostgreSQL databases (<configured name>_bk_*).

The demo data goes into a fresh database, is backed up, and is restored into another fresh
database and media folder; every figure that matters (rows per model, each relationship's
tier, control score and residual risk, the risk API, the security officer's home page, the
dashboard API) and every stored file must come back identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DB = settings.DATABASES["default"]
BASH = shutil.which("bash") or "/bin/bash"

# The databases this test makes are named after the configured one: ketenwacht_ci_bk_* in CI.
BASE_NAME = str(DB.get("NAME") or "ketenwacht").removeprefix("test_")
needs_postgresql = pytest.mark.skipif(
    "postgresql" not in DB["ENGINE"]
    or not all(shutil.which(tool) for tool in ("pg_dump", "pg_restore", "psql")),
    reason="backup and restore use pg_dump and pg_restore: run with DATABASE_URL=postgres://… "
    "and the PostgreSQL client tools installed",
)


def _url(name: str) -> str:
    auth = quote(DB.get("USER") or "postgres", safe="")
    if DB.get("PASSWORD"):
        auth += ":" + quote(DB["PASSWORD"], safe="")
    return f"postgres://{auth}@{DB.get('HOST') or '127.0.0.1'}:{DB.get('PORT') or 5432}/{name}"


def _psql(database: str, statement: str, check: bool = True):
    psql = shutil.which("psql") or "psql"
    return _run(
        [psql, _url(database), "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", statement], check=check
    )


def _env(database: str, media: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DJANGO_", "DATABASE_", "PRIVATE_MEDIA", "CELERY_", "EMAIL_", "S3_", "KETENWACHT_")
        )
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="1",
        DATABASE_URL=_url(database),
        PRIVATE_MEDIA_ROOT=str(media),
        CELERY_TASK_ALWAYS_EAGER="1",
        EMAIL_URL="dummymail://",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _run(args: list[str], env: dict[str, str] | None = None, check: bool = True):
    done = subprocess.run(  # noqa: S603 - fixed programs, arguments made by this test
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


def _figures(env: dict[str, str]) -> dict:
    return json.loads(_run([sys.executable, "-m", "tests.ops.figures"], env).stdout)


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _tables(database: str) -> int:
    out = _psql(database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    return int(out.stdout.strip())


@pytest.fixture
def databases():
    names = [f"{BASE_NAME}_bk_{role}_{os.getpid()}" for role in ("source", "restored", "damaged")]
    for name in names:
        _psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _psql("postgres", f'CREATE DATABASE "{name}"')
    yield names
    for name in names:
        _psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@needs_postgresql
def test_restored_backup_has_identical_figures_and_files(databases, tmp_path):
    source_db, restored_db, damaged_db = databases
    source = _env(source_db, tmp_path / "media-source")
    _run([sys.executable, "manage.py", "migrate", "--noinput"], source)
    _run([sys.executable, "manage.py", "demo"], source)
    before = _figures(source)
    # The demo world is there (six relationships and De Linde ↔ MedDossier for the trust
    # profile), with scores and files, so the comparison means something.
    assert before["counts"]["suppliers.relationship"] == 7
    assert any(r["control_score"] is not None for r in before["relationships"])
    assert before["files"], "the demo data stores documents and evidence"
    assert all(h["relationship_count"] > 0 for h in before["pages"]["home"].values())
    assert len(before["pages"]["risk_api"]) == 7
    assert all(r and r["inherent_tier"] for r in before["pages"]["risk_api"].values())

    backup = _run([BASH, "ops/backup.sh", str(tmp_path / "backups")], source).stdout.strip()
    backup = Path(backup)
    assert sorted(p.name for p in backup.iterdir()) == [
        "SHA256SUMS",
        "backup.txt",
        "database.dump",
        "media.tar.gz",
    ]

    restored = _env(restored_db, tmp_path / "media-restored")
    _run([BASH, "ops/restore.sh", str(backup)], restored)
    after = _figures(restored)

    assert after == before
    source_files = _tree(tmp_path / "media-source")
    assert source_files and _tree(tmp_path / "media-restored") == source_files
    # Every file the database refers to came back byte for byte.
    assert set(after["files"].values()) <= set(source_files.values())

    # The restored database is the real thing: migrations are current, the audit log is
    # still append-only at the database level.
    plan = _run([sys.executable, "manage.py", "migrate", "--check"], restored, check=False)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    refused = _psql(restored_db, "UPDATE audit_auditevent SET action = 'x'", check=False)
    assert refused.returncode != 0 and "append-only" in refused.stderr

    # Restoring over data is refused and changes nothing.
    again = _run([BASH, "ops/restore.sh", str(backup)], restored, check=False)
    assert again.returncode != 0 and "not empty" in again.stderr
    assert _figures(restored) == before

    # A damaged backup is refused before anything is written.
    broken = tmp_path / "broken"
    shutil.copytree(backup, broken)
    data = bytearray((broken / "media.tar.gz").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (broken / "media.tar.gz").write_bytes(bytes(data))
    damaged = _env(damaged_db, tmp_path / "media-damaged")
    refused = _run([BASH, "ops/restore.sh", str(broken)], damaged, check=False)
    assert refused.returncode != 0 and "checksums do not match" in refused.stderr
    assert _tables(damaged_db) == 0
    assert not (tmp_path / "media-damaged").exists()


def test_backup_refuses_a_sqlite_database(tmp_path):
    env = _env("unused", tmp_path / "media")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    done = _run([BASH, "ops/backup.sh", str(tmp_path / "backups")], env, check=False)
    assert done.returncode != 0 and "not a PostgreSQL database" in done.stderr
    assert not (tmp_path / "backups").exists()
