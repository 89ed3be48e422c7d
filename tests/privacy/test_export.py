"""Per-organisation export: everything of one organisation, nothing of another (DESIGN §12)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.core.audit.models import AuditEvent
from portal.top.privacy.export import organisation_export
from portal.top.privacy.export_parts import EXPORT_PARTS, NOT_EXPORTED
from tests.conftest import client_for

PROJECT_APPS = (
    "accounts",
    "audit",
    "notifications",
    "jobs",
    "suppliers",
    "questionnaires",
    "contracts",
    "reports",
    "scim",
)


def _export(organisation) -> zipfile.ZipFile:
    buf = io.BytesIO()
    organisation_export(organisation=organisation, out=buf)
    buf.seek(0)
    return zipfile.ZipFile(buf)


def _everything(archive: zipfile.ZipFile) -> bytes:
    """Every byte of every member, to search for traces of other organisations."""
    return b"\n".join(archive.read(name) for name in archive.namelist())


def _data(archive: zipfile.ZipFile) -> dict:
    return json.loads(archive.read("data.json"))


def _ids(data: dict, table: str) -> set[int]:
    return {row["id"] for row in data.get(table, [])}


def test_every_model_is_exported_or_excluded_with_a_reason():
    from portal.core.accounts.models import Organisation

    probe = Organisation(pk=0, slug="probe", name="probe", kind="care")
    covered = {
        part.rows(probe).model._meta.label_lower
        for parts in EXPORT_PARTS.values()
        for part in parts
    }
    project = {m._meta.label_lower for m in apps.get_models() if m._meta.app_label in PROJECT_APPS}
    forgotten = project - covered - set(NOT_EXPORTED)
    assert not forgotten, f"models neither exported nor listed in NOT_EXPORTED: {forgotten}"


def test_manifest_lists_counts_and_checksums_of_every_file(cast, shared_supplier):
    archive = _export(cast.hospital)
    manifest = json.loads(archive.read("manifest.json"))
    data = _data(archive)
    assert manifest["organisation"]["slug"] == "ziekenhuis"
    assert set(archive.namelist()) == set(manifest["files"]) | {"manifest.json"}
    for name, meta in manifest["files"].items():
        body = archive.read(name)
        assert meta == {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
    for table, rows in data.items():
        assert manifest["counts"][table] == len(rows)
    assert manifest["counts"]["files"] == len(manifest["files"]) - 1
    assert manifest["missing_files"] == []


def test_care_export_has_its_own_records_and_files(cast, shared_supplier):
    own = shared_supplier["hospital"]
    archive = _export(cast.hospital)
    data = _data(archive)
    assert _ids(data, "suppliers.relationship") == {own["relationship"].pk}
    assert _ids(data, "questionnaires.assessment") == {own["assessment"].pk}
    assert [a["question_code"] for a in data["questionnaires.answer"]] == ["A-01"]
    assert _ids(data, "contracts.contract") == {own["contract"].pk}
    assert data["questionnaires.finding"], "completion raised a finding"
    assert data["contracts.checklistitem"] and data["contracts.exitnote"]
    rel = data["suppliers.relationship"][0]
    assert (rel["intake_data"], rel["inherent_tier"]) == (3, "critical")
    notes = {m["body"] for m in data["questionnaires.answermessage"]}
    assert notes == {"Interne notitie ziekenhuis-eigen", "Toelichting ziekenhuis-eigen"}
    emails = {u["email"] for u in data["accounts.user"]}
    assert "ciso@zh.test" in emails and "password" not in data["accounts.user"][0]
    # The stored files, byte for byte, under their storage names.
    for stored in (own["evidence"].file, own["document"].file):
        stored.open("rb")
        assert archive.read(f"files/{stored.name}") == stored.read()
        stored.close()
    assert {t["name"] for t in data["accounts.apitoken"]} == set()
    assert all("token_hash" not in i for i in data["accounts.invitation"])


def test_care_export_holds_nothing_of_the_other_care_organisation(cast, shared_supplier):
    other = shared_supplier["other"]
    blob = _everything(_export(cast.hospital))
    for trace in (
        b"andere-zorg-geheim",  # relationship name, notes, contract, both files
        b"Andere Zorg",
        b"admin@andere.test",
        b"ciso@andere.test",
        b"supplier-private",  # the supplier's own documents and library
        b"other-supplier-private",
        other["evidence"].sha256.encode(),
        other["document"].sha256.encode(),
    ):
        assert trace not in blob, trace
    data = _data(_export(cast.hospital))
    assert other["assessment"].pk not in _ids(data, "questionnaires.assessment")
    assert cast.other_care.pk not in {r["care_org"] for r in data["suppliers.supplierlink"]}


def test_supplier_export_has_what_it_sees_and_nothing_of_the_care_side(cast, shared_supplier):
    archive = _export(cast.supplier)
    data = _data(archive)
    blob = _everything(archive)
    # Both customers' questionnaires, with the supplier's answers, files and messages.
    assert _ids(data, "questionnaires.assessment") == {
        shared_supplier["hospital"]["assessment"].pk,
        shared_supplier["other"]["assessment"].pk,
    }
    assert {m["body"] for m in data["questionnaires.answermessage"]} == {
        "Toelichting ziekenhuis-eigen",
        "Toelichting andere-zorg-geheim",
    }
    assert b"evidence ziekenhuis-eigen" in blob and b"supplier-private" in blob
    assert {c["slug"] for c in data["suppliers.customer"]} == {"ziekenhuis", "andere-zorg"}
    # Never the care organisations' intake, scores, internal notes, contracts or checklists.
    assert set(data["suppliers.relationship"][0]) == {
        "id",
        "care_org",
        "supplier",
        "name",
        "products",
        "supplier_types",
        "status",
    }
    assert not {"control_score", "scores", "residual_risk"} & set(
        data["questionnaires.assessment"][0]
    )
    assert not {"score_override", "reviewed_by"} & set(data["questionnaires.answer"][0])
    assert not {"score", "knockout", "owner"} & set(data["questionnaires.finding"][0])
    assert not any(t.startswith("contracts.") for t in data)
    for trace in (b"Interne notitie", b"contract ziekenhuis-eigen", b"C-ziekenhuis-eigen"):
        assert trace not in blob, trace
    assert b"other-supplier-private" not in blob and b"eigenaar@andere-lev.test" not in blob


def test_export_command_writes_the_archive(cast, shared_supplier, tmp_path):
    out = tmp_path / "ziekenhuis.zip"
    call_command("export_organisation", "ziekenhuis", "--out", str(out))
    with zipfile.ZipFile(out) as archive:
        assert json.loads(archive.read("manifest.json"))["organisation"]["id"] == cast.hospital.pk
    by_id = tmp_path / "by-id.zip"
    call_command("export_organisation", str(cast.supplier.pk), "--out", str(by_id))
    with zipfile.ZipFile(by_id) as archive:
        assert json.loads(archive.read("manifest.json"))["organisation"]["slug"] == "leverancier"
    assert AuditEvent.objects.filter(
        action="organisation.exported", organisation=cast.hospital
    ).exists()


@pytest.mark.parametrize(
    ("org", "name", "message"),
    [("bestaat-niet", "a.zip", "No organisation"), ("ziekenhuis", "exists.zip", "already exists")],
)
def test_export_command_refuses_bad_input(cast, tmp_path, org, name, message):
    (tmp_path / "exists.zip").write_bytes(b"keep me")
    with pytest.raises(CommandError, match=message):
        call_command("export_organisation", org, "--out", str(tmp_path / name))
    assert (tmp_path / "exists.zip").read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exists.zip"]


def test_care_admin_downloads_the_archive_from_the_page(cast, shared_supplier):
    client = client_for(cast.care_admin)
    url = reverse("organisation_export", args=["ziekenhuis"])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Download the archive (zip)" in page.content
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("manifest.json"))["organisation"]["slug"] == "ziekenhuis"
    event = AuditEvent.objects.get(action="organisation.exported")
    assert (event.organisation, event.actor) == (cast.hospital, cast.care_admin.user)


def test_supplier_owner_exports_own_supplier_not_a_customer(cast, shared_supplier):
    client = client_for(cast.supplier_owner)
    own = client.post(reverse("organisation_export", args=["leverancier"]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(own.streaming_content)))
    assert json.loads(archive.read("manifest.json"))["organisation"]["kind"] == "supplier"
    assert client.post(reverse("organisation_export", args=["ziekenhuis"])).status_code == 404
    other = client_for(cast.other_care_admin)
    assert other.post(reverse("organisation_export", args=["ziekenhuis"])).status_code == 404
    assert (
        client_for(cast.ciso).post(reverse("organisation_export", args=["ziekenhuis"])).status_code
        == 403
    )
    assert not AuditEvent.objects.filter(
        action="organisation.exported", organisation=cast.hospital
    ).exists()


def test_settings_page_links_the_export_for_admins_only(cast):
    link = reverse("organisation_export", args=["ziekenhuis"]).encode()
    assert link in client_for(cast.care_admin).get(reverse("user_settings")).content
    assert link not in client_for(cast.ciso).get(reverse("user_settings")).content
