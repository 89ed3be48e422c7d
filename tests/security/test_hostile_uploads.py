"""Hostile uploads (ASVS V12, DESIGN §12): every kind is refused by the upload check and by the
real upload endpoints, with the database and the private storage unchanged afterwards."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from portal.core.exceptions import TooLarge
from portal.core.uploads import UploadRefused, check_upload
from questionnaires.models import Answer, Evidence, QuestionnaireTemplate
from questionnaires.xlsx_import import Mapping, SpreadsheetRefused, import_spreadsheet
from suppliers.models import SupplierDocument
from tests.access import PDF, assessment_at
from tests.conftest import api_client_for, client_for
from tests.security.hostile import PNG, Hostile, catalogue, spreadsheet_catalogue, xlsx

CATALOGUE = catalogue()
SPREADSHEETS = spreadsheet_catalogue()


def snapshot() -> tuple[dict, list]:
    """Row counts of every table and every file in the private media folder."""
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    root = Path(settings.MEDIA_ROOT)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    return counts, files


def upload(case: Hostile) -> SimpleUploadedFile:
    return SimpleUploadedFile(case.name, case.data, content_type=case.content_type)


def test_the_catalogue_covers_at_least_twelve_kinds():
    assert len({c.id for c in CATALOGUE}) == len(CATALOGUE) >= 12


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.id for c in CATALOGUE])
def test_check_upload_refuses(case: Hostile):
    with translation.override("en"), pytest.raises((UploadRefused, TooLarge)) as refused:
        check_upload(case.name, case.data)
    assert case.reason.lower() in str(refused.value).lower()


@pytest.fixture
def evidence_world(cast):
    world = assessment_at(cast, "sent")
    world["assessment"].template.questions.update(evidence="optional")
    return world


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.id for c in CATALOGUE])
def test_upload_endpoints_refuse_and_change_nothing(cast, evidence_world, case: Hostile):
    a = evidence_world["assessment"]
    owner = client_for(cast.supplier_owner)
    api = api_client_for(cast.supplier_owner)
    before = snapshot()

    # 1. The supplier's shared documents page: the form shows the refusal next to the file.
    r = owner.post(
        reverse("document_list"), {"title": "Certificaat", "kind": "other", "file": upload(case)}
    )
    assert r.status_code == 400
    assert r.context["form"].errors["file"]

    # 2. Evidence on an answer, from the assessment page: a message, nothing attached.
    r = owner.post(
        reverse("assessment_evidence_upload", kwargs={"pk": a.pk, "code": "A-01"}),
        {"file": upload(case)},
    )
    assert r.status_code == 302
    errors = [str(m) for m in get_messages(r.wsgi_request) if m.level_tag == "error"]
    assert len(errors) == 1 and errors[0].startswith("A-01:")

    # 3. The same through the API: 400 (or 413 for the oversized file) with the reason.
    r = api.post(
        reverse("assessment-evidence", kwargs={"pk": a.pk, "code": "A-01"}),
        {"file": upload(case)},
    )
    assert r.status_code in (400, 413)
    assert r.json()["detail"]

    assert snapshot() == before
    assert not SupplierDocument.objects.exists()
    assert not Evidence.objects.exists()
    a.refresh_from_db()
    assert a.status == "sent"


@pytest.mark.parametrize("case", SPREADSHEETS, ids=[c.id for c in SPREADSHEETS])
def test_spreadsheet_imports_refuse_and_change_nothing(cast, case: Hostile):
    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        import_spreadsheet(case.data, Mapping.from_dict({"sheet": "Q", "columns": {"text": "B"}}))
    assert case.reason.lower() in str(refused.value).lower()

    world = assessment_at(cast, "in_progress")
    answers = list(Answer.objects.values_list("pk", "value", "version"))
    ciso, owner = client_for(cast.ciso), client_for(cast.supplier_owner)
    before = snapshot()

    # The questionnaire import: the upload step refuses with the reason next to the file.
    kept = stored_spreadsheets()
    r = ciso.post(reverse("questionnaire_xlsx"), {"file": upload(case)})
    assert r.status_code == 200
    assert r.context["form"].errors["file"]
    assert stored_spreadsheets() == kept

    # The supplier's answer sheet: nothing saved, the reason in the message.
    r = owner.post(
        reverse("assessment_xlsx_upload", kwargs={"pk": world["assessment"].pk}),
        {"file": upload(case)},
    )
    assert r.status_code == 302
    errors = [str(m) for m in get_messages(r.wsgi_request) if m.level_tag == "error"]
    assert len(errors) == 1

    assert snapshot() == before
    assert list(Answer.objects.values_list("pk", "value", "version")) == answers
    assert QuestionnaireTemplate.objects.filter(owner=cast.hospital).count() == 0


def stored_spreadsheets() -> list[str]:
    """Files the import wizard keeps in private storage (none after a refused upload)."""
    from django.core.files.storage import default_storage

    from questionnaires.spreadsheet_uploads import PREFIX

    try:
        folders, _files = default_storage.listdir(PREFIX)
    except FileNotFoundError:
        return []
    return [f for d in folders for f in default_storage.listdir(f"{PREFIX}/{d}")[1]]


def test_openpyxl_reads_spreadsheets_with_defusedxml():
    """openpyxl resolves entities with the standard library unless defusedxml is importable;
    the importer refuses to open anything when it is not."""
    import openpyxl

    from questionnaires import xlsx_import

    assert openpyxl.DEFUSEDXML is True
    assert xlsx_import.archive._parser_is_safe()


def test_entities_are_refused_even_if_the_archive_check_were_bypassed(monkeypatch):
    """Defence in depth: without the DTD check, defusedxml refuses the entity while the sheet is
    read lazily, and that becomes a refusal instead of a crash."""
    from questionnaires import xlsx_import
    from questionnaires.xlsx_import import archive
    from tests.security.hostile import xlsx_billion_laughs, xlsx_xxe

    monkeypatch.setattr(archive, "check_office_archive", lambda archive: None)
    for data in (xlsx_xxe(), xlsx_billion_laughs()):
        with pytest.raises(SpreadsheetRefused, match="could not be read safely"):
            xlsx_import.inspect_workbook(data)


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "/etc/passwd.pdf",
        "C:\\Windows\\System32\\drivers\\etc\\hosts.pdf",
        "..\\..\\boot.pdf",
        "a\x00b.pdf",
        "\u202eexe.pdf",
        ".htaccess.pdf",
    ],
)
def test_hostile_names_are_stored_safely(cast, name):
    owner = client_for(cast.supplier_owner)
    r = owner.post(
        reverse("document_list"),
        {
            "title": "Certificaat",
            "kind": "other",
            "file": SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        },
    )
    assert r.status_code == 302
    doc = SupplierDocument.objects.get()
    for bad in ("/", "\\", "\x00", "\u202e", ".."):
        assert bad not in doc.name
    assert not doc.name.startswith(".") and doc.name.endswith(".pdf")
    # The file itself lies under a random name inside the private folder.
    stored = Path(doc.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert stored.name not in doc.name and len(stored.name) == 32
    r = owner.get(reverse("document_download", kwargs={"pk": doc.pk}))
    assert r["Content-Disposition"].startswith("attachment;")
    assert "/" not in r["Content-Disposition"].split("filename", 1)[1]


def test_the_type_comes_from_the_content_not_from_the_client(cast, evidence_world):
    """A PNG sent as application/pdf is stored and served as image/png."""
    a = evidence_world["assessment"]
    r = api_client_for(cast.supplier_owner).post(
        reverse("assessment-evidence", kwargs={"pk": a.pk, "code": "A-01"}),
        {"file": SimpleUploadedFile("schema.png", PNG, content_type="application/pdf")},
    )
    assert r.status_code == 201 and r.json()["content_type"] == "image/png"
    assert Evidence.objects.get().content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cijfers.csv", b"naam;bedrag;telefoon\nfoo;-1,50;+31 6 12345678\nbar;+2;-\n"),
        ("notitie.txt", b"Versie 2 - zie <hostname> in de config.\n- punt een\n"),
        ("beleid.docx", None),
        ("lijst.xlsx", None),
    ],
)
def test_ordinary_files_still_pass(name, data):
    """The hardening does not refuse ordinary evidence: negative numbers, phone numbers,
    placeholders in angle brackets, a real spreadsheet and a plain Word document."""
    from tests.security.hostile import docx

    data = data or (docx() if name.endswith(".docx") else xlsx())
    assert check_upload(name, data).size == len(data)


def test_a_real_pdf_with_compressed_streams_passes():
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(72, 720, "Verklaring van toepasselijkheid")
    page.showPage()
    page.save()
    assert check_upload("verklaring.pdf", buf.getvalue()).content_type == "application/pdf"


def test_exported_spreadsheet_round_trips_through_the_import_check():
    """Our own xlsx (openpyxl) passes the archive checks, so the refusals above are specific."""
    wb = load_workbook(io.BytesIO(xlsx()), read_only=True)
    assert wb.sheetnames == ["Q"]
    raw, _preview = import_spreadsheet(
        xlsx(), Mapping.from_dict({"sheet": "Q", "columns": {"text": "text", "code": "code"}})
    )
    assert raw["sections"][0]["questions"][0]["code"] == "A-1"
