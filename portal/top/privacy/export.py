"""Everything of one organisation as one zip archive: data.json, its files and a manifest.

An organisation's archive holds what that organisation owns or sees in the portal, never
another organisation's records: a care organisation gets its relationships, assessments with
the confirmed answers, findings, decisions, contracts, checklists, exit notes and reports; a
supplier gets its products, documents, answer library and the questionnaires addressed to it,
without the care organisation's intake, scores, internal notes or clause checklists (§12).

`EXPORT_PARTS` (export_parts.py) says, per organisation kind, which rows of which model belong
to it. A test (tests/privacy/test_export.py) fails when a model of the project is neither
exported nor listed in `NOT_EXPORTED`, so a new table cannot be forgotten.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from typing import Any, BinaryIO

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from portal.core.accounts.models import Organisation, User
from portal.core.audit.services import audit_record

from .export_parts import EXPORT_PARTS, Part

FORMAT = "ketenwacht-organisation-export"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024


def _included(part: Part, name: str) -> bool:
    if part.fields is not None:
        return name in part.fields
    return name not in part.exclude


def _record(obj: models.Model, part: Part, files: list[str]) -> dict:
    record: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if not _included(part, f.name):
            continue
        value = f.value_from_object(obj)
        if isinstance(f, models.FileField):
            value = value.name or ""
            if value:
                files.append(value)
        record[f.name] = value
    for f in obj._meta.many_to_many:
        if _included(part, f.name):
            record[f.name] = sorted(o.pk for o in getattr(obj, f.name).all())
    if part.readable is not None:
        record.update(part.readable(obj))
    return record


def _copy(zf: zipfile.ZipFile, arcname: str, source: BinaryIO) -> dict:
    digest, size = hashlib.sha256(), 0
    with zf.open(arcname, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def organisation_export(
    *, organisation: Organisation, out: BinaryIO, actor: User | None = None, request=None
) -> dict:
    """Write the organisation's archive to `out` (a binary file) and return its manifest.

    Layout: `data.json` ({table: [records]}, foreign keys as ids, files as their storage
    name), `files/<storage name>` for every stored file, and `manifest.json` with the counts
    per table and the size and sha256 of every other file in the archive.
    """
    data: dict[str, list[dict]] = {}
    stored: list[str] = []
    for part in EXPORT_PARTS[organisation.kind]:
        qs = part.rows(organisation).order_by("pk")
        if part.select:
            qs = qs.select_related(*part.select)
        m2m = [f.name for f in qs.model._meta.many_to_many if _included(part, f.name)]
        if m2m:
            qs = qs.prefetch_related(*m2m)
        data[part.name] = [_record(obj, part, stored) for obj in qs]

    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "organisation": {
            "id": organisation.pk,
            "slug": organisation.slug,
            "name": organisation.name,
            "kind": organisation.kind,
        },
        "counts": {name: len(rows) for name, rows in data.items()},
        "files": {},
        "missing_files": [],
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()
        zf.writestr("data.json", body)
        manifest["files"]["data.json"] = {
            "sha256": hashlib.sha256(body).hexdigest(),
            "size": len(body),
        }
        for name in sorted(set(stored)):
            try:
                source = default_storage.open(name, "rb")
            except (FileNotFoundError, OSError):
                manifest["missing_files"].append(name)
                continue
            with source:
                manifest["files"][f"files/{name}"] = _copy(zf, f"files/{name}", source)
        manifest["counts"]["files"] = len(manifest["files"]) - 1
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    audit_record(
        action="organisation.exported",
        organisation=organisation,
        actor=actor,
        obj=organisation,
        after={"tables": len(data), "files": manifest["counts"]["files"]},
        request=request,
        actor_label="" if actor else "operator (manage.py export_organisation)",
    )
    return manifest
