"""The questionnaire pages: YAML upload with errors next to the file, the spreadsheet wizard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from questionnaires.models import QuestionnaireTemplate, SpreadsheetMapping
from tests.conftest import client_for
from tests.questionnaires.conftest import FILES
from tests.questionnaires.test_xlsx_import import CAIQ


def test_yaml_upload_imports_for_own_organisation(cast):
    client = client_for(cast.ciso)
    upload = SimpleUploadedFile("lijst.yaml", (FILES / "every_feature.yaml").read_bytes())
    response = client.post(reverse("questionnaire_upload"), {"file": upload, "publish": "on"})
    template = QuestionnaireTemplate.objects.get(key="every-feature")
    assert response.status_code == 302
    assert template.owner == cast.hospital and template.status == "published"


def test_yaml_upload_shows_every_error_and_stores_nothing(cast):
    text = (
        (FILES / "every_feature.yaml")
        .read_text()
        .replace("weight: 3", "weight: 4")
        .replace("type: date", "type: when")
    )
    response = client_for(cast.ciso).post(
        reverse("questionnaire_upload"), {"file": SimpleUploadedFile("x.yaml", text.encode())}
    )
    assert response.status_code == 200
    paths = [e.path for e in response.context["file_errors"]]
    assert "sections[0].questions[0].weight" in paths and "sections[2].questions[0].type" in paths
    assert b"sections[0].questions[0].weight" in response.content
    assert not QuestionnaireTemplate.objects.exists()


def test_yaml_upload_refuses_other_extensions_and_empty_files(cast):
    client = client_for(cast.ciso)
    response = client.post(
        reverse("questionnaire_upload"), {"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")}
    )
    assert response.context["form"].errors["file"]
    response = client.post(
        reverse("questionnaire_upload"), {"file": SimpleUploadedFile("x.yaml", b"")}
    )
    assert response.context["form"].errors["file"]
    assert not QuestionnaireTemplate.objects.exists()


def test_spreadsheet_wizard_preview_import_and_saved_mapping(cast):
    client = client_for(cast.ciso)
    url = reverse("questionnaire_xlsx")
    response = client.post(url, {"file": SimpleUploadedFile("caiq.xlsx", CAIQ)})
    assert response.status_code == 302
    mapping_url = response["Location"]
    page = client.get(mapping_url)
    assert page.context["sheet"]["name"] == "CAIQv4"
    # Recognised before the user touches anything, with a preview of every row.
    assert page.context["form"].initial["col_code"] == "Question ID"
    with translation.override("en"):
        summary = page.context["report"].summary()
    assert summary == "3 rows: 1 imported, 2 imported with a warning"
    form = {
        "sheet": "CAIQv4",
        "header_row": 1,
        "language": "en",
        "key": "caiq-import",
        "version": 1,
        "title_nl": "CAIQ",
        "title_en": "CAIQ",
        "section_from_code_prefix": "on",
        "col_code": "Question ID",
        "col_text": "Question",
        "col_answers": "CSP CAIQ Answer",
        "save_as": "CAIQ v4",
    }
    preview = client.post(mapping_url, {**form, "action": "preview"})
    assert [r["code"] for r in preview.context["preview"]] == ["A-A-01.1", "A-A-02.1", "IAM-14.1"]
    assert not QuestionnaireTemplate.objects.filter(key="caiq-import").exists()
    step3 = client.post(mapping_url, {**form, "action": "continue"})
    assert step3.status_code == 302
    confirm = client.get(step3["Location"])
    assert [r.row for r in confirm.context["report"].attention] == [2, 3]
    assert not QuestionnaireTemplate.objects.filter(key="caiq-import").exists()
    done = client.post(step3["Location"])
    assert done.status_code == 302
    template = QuestionnaireTemplate.objects.get(key="caiq-import")
    assert template.owner == cast.hospital and template.questions.count() == 3
    assert template.questions.get(code="IAM-14.1").text_nl == ""  # English sheet: Dutch missing
    saved = SpreadsheetMapping.objects.get(owner=cast.hospital, name="CAIQ v4")
    assert saved.mapping["columns"]["code"] == "Question ID"
    # The upload is gone once imported.
    assert client.get(mapping_url).status_code == 404
    # The saved mapping is offered again for the next file, and only to this organisation.
    again_url = client.post(url, {"file": SimpleUploadedFile("caiq2.xlsx", CAIQ)})["Location"]
    again = client.get(again_url, {"mapping": saved.pk})
    assert again.context["form"].initial["key"] == "caiq-import"
    other = client_for(cast.other_care_ciso)
    other_url = other.post(url, {"file": SimpleUploadedFile("caiq.xlsx", CAIQ)})["Location"]
    assert list(other.get(other_url).context["saved"]) == []
    # Someone else's token, even a colleague's, finds nothing.
    assert client_for(cast.care_admin).get(again_url).status_code == 404
    assert other.get(again_url).status_code == 404


def test_spreadsheet_wizard_lets_the_user_pick_another_header_row(cast):
    client = client_for(cast.ciso)
    upload = client.post(
        reverse("questionnaire_xlsx"), {"file": SimpleUploadedFile("caiq.xlsx", CAIQ)}
    )
    page = client.get(upload["Location"], {"header_row": 2})
    assert page.context["header_row"] == 2
    assert "A&amp;A-01.1" in page.content.decode()  # the first rows, with row numbers
    assert page.context["form"].initial["header_row"] == 2


def test_spreadsheet_wizard_errors_are_next_to_the_fields(cast):
    client = client_for(cast.ciso)
    upload = client.post(
        reverse("questionnaire_xlsx"), {"file": SimpleUploadedFile("caiq.xlsx", CAIQ)}
    )
    page = client.post(
        upload["Location"], {"sheet": "CAIQv4", "header_row": 1, "key": "Not A Slug"}
    )
    assert page.status_code == 200
    assert page.context["form"].errors["key"] and page.context["form"].errors["col_text"]


def test_spreadsheet_wizard_refuses_an_existing_version_next_to_the_field(cast):
    client = client_for(cast.ciso)
    url = reverse("questionnaire_xlsx")
    step2 = client.post(url, {"file": SimpleUploadedFile("caiq.xlsx", CAIQ)})["Location"]
    form = {
        "sheet": "CAIQv4",
        "header_row": 1,
        "language": "en",
        "key": "caiq",
        "version": 1,
        "title_nl": "CAIQ",
        "title_en": "CAIQ",
        "col_text": "Question",
        "action": "continue",
    }
    assert client.post(step2, form).status_code == 302
    client.post(reverse("questionnaire_xlsx_confirm", kwargs={"token": step2.split("/")[-2]}))
    again = client.post(url, {"file": SimpleUploadedFile("caiq.xlsx", CAIQ)})["Location"]
    page = client.post(again, form)
    assert page.status_code == 200 and page.context["form"].errors["version"]
    # The page offers the next free version by itself.
    assert client.get(again).context["form"].initial["version"] == 2


def test_old_spreadsheet_uploads_are_cleaned(cast, time_machine):
    from django.core.files.storage import default_storage

    from questionnaires.spreadsheet_uploads import (
        PREFIX,
        UploadMissing,
        upload_load,
        uploads_clean,
    )

    client = client_for(cast.ciso)
    upload = client.post(
        reverse("questionnaire_xlsx"), {"file": SimpleUploadedFile("caiq.xlsx", CAIQ)}
    )
    token = upload["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert upload_load(membership=cast.ciso, token=token)[0].name == "caiq.xlsx"
    client.post(reverse("questionnaire_xlsx"), {"file": SimpleUploadedFile("two.xlsx", CAIQ)})
    time_machine.move_to(timezone.now() + timedelta(hours=25))
    assert client_for(cast.ciso).get(upload["Location"]).status_code == 404
    with pytest.raises(UploadMissing):
        upload_load(membership=cast.ciso, token=token)
    assert uploads_clean() >= 2  # the other upload's workbook and its JSON file (at least)
    folder = f"{PREFIX}/{cast.ciso.organisation_id}-{cast.ciso.user_id}"
    assert default_storage.listdir(folder) == ([], [])


def test_spreadsheet_wizard_refuses_hostile_file(cast):
    client = client_for(cast.ciso)
    response = client.post(
        reverse("questionnaire_xlsx"),
        {"file": SimpleUploadedFile("x.xlsx", b"<svg onload=alert(1)>")},
    )
    assert response.status_code == 200
    assert "not an .xlsx" in str(response.context["form"].errors["file"])


def test_shipped_bank_visible_to_every_care_org_not_to_suppliers(cast):
    from questionnaires.services import banks_load

    banks_load()
    for who in (cast.procurement, cast.other_care_admin):
        keys = {
            t.key for t in client_for(who).get(reverse("questionnaire_list")).context["templates"]
        }
        assert {"zorg-leveranciers", "zorg-leveranciers-licht"} <= keys
    assert client_for(cast.supplier_owner).get(reverse("questionnaire_list")).status_code == 403
