"""Evidence uploads (DESIGN §12): hostile files refused, files private and downloaded safely."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from portal.core.uploads import UploadRefused, check_upload, safe_name
from questionnaires.models import Evidence
from tests.access import PDF, _with_evidence, assessment_at
from tests.conftest import client_for


def _docx(extra: dict | None = None, big: int = 0) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>" + "0" * big)
        for k, v in (extra or {}).items():
            z.writestr(k, v)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("leeg.pdf", b"", "empty"),
        ("script.pdf", b"<html><script>alert(1)</script></html>", "does not match"),
        (
            "plaatje.png",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "does not match",
        ),
        ("tool.exe", b"MZ\x90\x00\x03", "not accepted"),
        ("rapport.pdf", b"MZ\x90\x00\x03" + b"\x00" * 50, "does not match"),
        ("rapport.pdf.exe", PDF, "not accepted"),
        ("notitie.txt", b"<script>alert(1)</script>", "HTML or script"),
        ("notitie.html", b"<p>hoi</p>", "not accepted"),
        ("bom.docx", _docx(big=60 * 1024 * 1024), "zip bomb"),
        ("macro.docx", _docx({"word/vbaProject.bin": "x"}), "macros"),
        (
            "actief.pdf",
            PDF.replace(
                b"/Catalog", b"/Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
            ),
            "JavaScript",
        ),
        ("image.jpg", PDF, "does not match"),
    ],
)
def test_hostile_files_are_refused(name, data, reason):
    with translation.override("en"), pytest.raises(UploadRefused, match=reason):
        check_upload(name, data)


def test_size_limit_gives_413(cast, as_api):
    world = _with_evidence(cast)
    url = reverse("assessment-evidence", kwargs={"pk": world["assessment"].pk, "code": "A-01"})
    with override_settings(MAX_UPLOAD_BYTES=1024):
        big = SimpleUploadedFile("groot.pdf", PDF + b"0" * 2048)
        response = as_api(cast.supplier_owner).post(url, {"file": big})
    assert response.status_code == 413
    assert Evidence.objects.filter(answer__assessment=world["assessment"]).count() == 1


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\windows\\x.pdf", "/abs/path.pdf", "\x00evil.pdf"]
)
def test_path_traversal_names_are_flattened(name):
    clean = safe_name(name)
    assert "/" not in clean and "\\" not in clean and ".." not in clean and "\x00" not in clean
    assert clean.endswith(".pdf")


def test_upload_is_stored_under_random_name_and_downloaded_as_attachment(cast):
    world = _with_evidence(cast)
    ev = world["evidence"]
    assert "beleid" not in ev.file.name and ev.file.name.startswith("evidence/")
    for who in (cast.ciso, cast.respondent):
        response = client_for(who).get(reverse("evidence_download", kwargs={"pk": ev.pk}))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF
    for outsider in (cast.other_care_ciso, cast.other_supplier_owner):
        assert (
            client_for(outsider).get(reverse("evidence_download", kwargs={"pk": ev.pk})).status_code
            == 404
        )


def test_page_upload_and_refusal(cast):
    world = _with_evidence(cast)
    a = world["assessment"]
    client = client_for(cast.supplier_owner)
    url = reverse("assessment_evidence_upload", kwargs={"pk": a.pk, "code": "A-01"})
    client.post(url, {"file": SimpleUploadedFile("rapport.pdf", PDF)})
    client.post(url, {"file": SimpleUploadedFile("evil.pdf", b"<script>x</script>")})
    assert list(Evidence.objects.filter(answer__assessment=a).values_list("name", flat=True)) == [
        "beleid.pdf",
        "rapport.pdf",
    ]


def test_no_evidence_on_a_question_without_it(cast, as_api):
    a = assessment_at(cast, "sent")["assessment"]  # A-01 takes no evidence
    url = reverse("assessment-evidence", kwargs={"pk": a.pk, "code": "A-01"})
    response = as_api(cast.supplier_owner).post(url, {"file": SimpleUploadedFile("r.pdf", PDF)})
    assert response.status_code == 400
    assert not Evidence.objects.exists()
