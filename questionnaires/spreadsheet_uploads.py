"""Workbooks between the steps of the spreadsheet import wizard, in private file storage.

The upload is stored under a random token in a folder of its user and organisation (so a
token from someone else, even a colleague, finds nothing), with a small JSON file beside it
holding the file name and the mapping chosen so far. Nothing goes into the session. Uploads
older than `MAX_AGE` are removed: on every new upload and by a daily task.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from portal.core.uploads import safe_name

PREFIX = "spreadsheet-imports"
MAX_AGE = timedelta(hours=24)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class UploadMissing(LookupError):
    """No such upload for this user and organisation (never made, expired or discarded)."""


@dataclass
class StoredUpload:
    token: str
    name: str
    created: str
    mapping: dict | None = None
    save_as: str = ""

    def as_json(self) -> bytes:
        return json.dumps(
            {
                "name": self.name,
                "created": self.created,
                "mapping": self.mapping,
                "save_as": self.save_as,
            }
        ).encode()


def _folder(membership) -> str:
    return f"{PREFIX}/{membership.organisation_id}-{membership.user_id}"


def _paths(membership, token: str) -> tuple[str, str]:
    if not _TOKEN.fullmatch(token or ""):
        raise UploadMissing(token)
    base = f"{_folder(membership)}/{token}"
    return f"{base}.xlsx", f"{base}.json"


def _write(name: str, content: bytes) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:  # a storage that renames instead of overwriting: never lose track
        default_storage.delete(saved)
        raise OSError(f"could not store {name}")


def upload_store(*, membership, name: str, data: bytes) -> str:
    """Keep an uploaded workbook for this user and organisation; returns its token."""
    uploads_clean()
    token = secrets.token_urlsafe(24)
    workbook, meta = _paths(membership, token)
    _write(workbook, data)
    stored = StoredUpload(token=token, name=safe_name(name)[:100], created=_now())
    _write(meta, stored.as_json())
    return token


def upload_load(*, membership, token: str) -> tuple[StoredUpload, bytes]:
    """The upload and its workbook bytes, or UploadMissing."""
    workbook, meta = _paths(membership, token)
    try:
        with default_storage.open(meta, "rb") as f:
            raw = json.loads(f.read())
        with default_storage.open(workbook, "rb") as f:
            data = f.read()
    except (OSError, ValueError) as exc:
        raise UploadMissing(token) from exc
    stored = StoredUpload(
        token=token,
        name=str(raw.get("name", "")),
        created=str(raw.get("created", "")),
        mapping=raw.get("mapping") if isinstance(raw.get("mapping"), dict) else None,
        save_as=str(raw.get("save_as") or ""),
    )
    if _expired(stored.created):
        upload_discard(membership=membership, token=token)
        raise UploadMissing(token)
    return stored, data


def upload_set_mapping(*, membership, token: str, mapping: dict, save_as: str = "") -> None:
    """Remember the mapping chosen in step 2 for the confirmation in step 3."""
    stored, _data = upload_load(membership=membership, token=token)
    stored.mapping, stored.save_as = mapping, save_as
    _write(_paths(membership, token)[1], stored.as_json())


def upload_discard(*, membership, token: str) -> None:
    for name in _paths(membership, token):
        if default_storage.exists(name):
            default_storage.delete(name)


def _now() -> str:
    return timezone.now().isoformat()


def _expired(created: str, now=None) -> bool:
    try:
        when = datetime.fromisoformat(created)
    except ValueError:
        return True
    return (now or timezone.now()) - when > MAX_AGE


def uploads_clean(*, now=None) -> int:
    """Remove every upload older than MAX_AGE (by the storage's modification time)."""
    now = now or timezone.now()
    removed = 0
    try:
        folders, _files = default_storage.listdir(PREFIX)
    except (FileNotFoundError, NotImplementedError):
        return 0
    for folder in folders:
        _dirs, files = default_storage.listdir(f"{PREFIX}/{folder}")
        for name in files:
            path = f"{PREFIX}/{folder}/{name}"
            try:
                old = now - default_storage.get_modified_time(path) > MAX_AGE
            except (OSError, NotImplementedError):
                old = True
            if old:
                default_storage.delete(path)
                removed += 1
    return removed
