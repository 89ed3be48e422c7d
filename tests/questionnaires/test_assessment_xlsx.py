"""The Excel round trip: download, fill in, upload; bad rows reported, nothing half-applied."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from questionnaires.assessment_xlsx import RoundTripError, assessment_to_xlsx, xlsx_to_answers
from questionnaires.models import Answer
from questionnaires.services import template_import
from tests.access import MINI_TEMPLATE, _relationship
from tests.conftest import client_for
from tests.questionnaires.conftest import FILES


@pytest.fixture
def rich(cast):
    """An every-feature assessment for a cloud supplier, sent."""
    from questionnaires import assessments as svc
    from questionnaires.yaml_io import parse_questionnaire

    template = template_import(
        data=parse_questionnaire((FILES / "every_feature.yaml").read_bytes()), publish=True
    )
    rel = _relationship(cast)["relationship"]
    rel.supplier_types = ["cloud"]
    rel.save()
    a = svc.assessment_create(
        relationship=rel, template=template, due_date=None, actor=cast.procurement.user
    )
    return svc.assessment_send(assessment=a, actor=cast.procurement.user)


def _fill(data: bytes, answers: dict[str, object]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Answers"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in answers:
            row[4].value = answers[row[0].value]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_download_has_codes_dropdowns_and_current_answers(rich, cast):
    from questionnaires import assessments as svc

    svc.answer_save(assessment=rich, code="GOV-01", value="yes", actor=cast.supplier_owner.user)
    wb = load_workbook(io.BytesIO(assessment_to_xlsx(rich)))
    ws = wb["Answers"]
    header = next(ws.iter_rows(max_row=1, values_only=True))
    assert header == (
        "Code",
        "Onderdeel",
        "Vraag",
        "Toegestane antwoorden",
        "Antwoord",
        "Toelichting",
    )
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["GOV-01"][4] == "Ja"  # labels in the reader's language, not the stored code
    assert "Ja / Gedeeltelijk / Nee / N.v.t." in rows["ACC-01"][3]
    english = load_workbook(io.BytesIO(assessment_to_xlsx(rich, lang="en")))["Answers"]
    assert next(english.iter_rows(max_row=1, values_only=True))[4] == "Answer"
    assert {r[0]: r for r in english.iter_rows(min_row=2, values_only=True)}["GOV-01"][4] == "Yes"
    # the sheet as downloaded uploads again unchanged: labels are read back as codes
    assert xlsx_to_answers(rich, assessment_to_xlsx(rich), actor=cast.supplier_owner.user) == 0
    assert "VUL-03" not in rows  # file questions are answered by upload, not in the sheet
    assert ws.data_validations.dataValidation  # dropdowns present


def test_round_trip_saves_all_good_rows(rich, cast):
    filled = _fill(
        assessment_to_xlsx(rich),
        {
            "GOV-01": "Ja",
            "ACC-01": "partial",
            "VUL-02": 10,
            "VUL-01": "2026-02-01",
            "ACC-03": "review, pam",
        },
    )
    assert xlsx_to_answers(rich, filled, actor=cast.supplier_owner.user) == 5
    saved = dict(Answer.objects.filter(assessment=rich).values_list("question__code", "value"))
    assert saved == {
        "GOV-01": "yes",
        "ACC-01": "partial",
        "VUL-02": 10,
        "VUL-01": "2026-02-01",
        "ACC-03": ["review", "pam"],
    }


def test_bad_rows_are_reported_and_nothing_is_applied(rich, cast):
    filled = _fill(
        assessment_to_xlsx(rich), {"GOV-01": "yes", "ACC-01": "misschien", "VUL-02": "veel"}
    )
    with pytest.raises(RoundTripError) as info:
        xlsx_to_answers(rich, filled, actor=cast.supplier_owner.user)
    text = " ".join(info.value.errors)
    assert "ACC-01" in text and "VUL-02" in text and "GOV-01" not in text
    assert not Answer.objects.filter(assessment=rich).exists()


def test_hostile_upload_is_refused(cast):
    rel = _relationship(cast)["relationship"]
    from questionnaires import assessments as svc

    a = svc.assessment_create(
        relationship=rel,
        template=template_import(data=MINI_TEMPLATE, publish=True),
        due_date=None,
        actor=cast.procurement.user,
    )
    svc.assessment_send(assessment=a, actor=cast.procurement.user)
    with pytest.raises(RoundTripError):
        xlsx_to_answers(a, b"PK\x03\x04 not really a zip", actor=cast.supplier_owner.user)


def test_pages_download_and_upload(rich, cast):
    client = client_for(cast.supplier_owner)
    response = client.get(reverse("assessment_xlsx_download", kwargs={"pk": rich.pk}))
    assert response["Content-Disposition"].startswith("attachment")
    filled = _fill(response.content, {"GOV-01": "no"})
    client.post(
        reverse("assessment_xlsx_upload", kwargs={"pk": rich.pk}),
        {"file": SimpleUploadedFile("antwoorden.xlsx", filled)},
    )
    assert Answer.objects.get(assessment=rich, question__code="GOV-01").value == "no"


def test_the_answer_library_shows_questions_and_answers_in_words(cast):
    from django.urls import reverse

    from tests.access import assessment_at
    from tests.conftest import client_for

    assessment_at(cast, "submitted")  # A-01 answered "no", stored in the library on submit
    nl = client_for(cast.supplier_owner, lang="nl").get(reverse("answer_library")).content
    html = nl.decode()
    assert "<td>Nee</td>" in html and "MFA?" in html
    assert "<td>no</td>" not in html
    en = client_for(cast.supplier_owner, lang="en").get(reverse("answer_library")).content
    assert "<td>No</td>" in en.decode()


def test_implausible_dates_are_refused_everywhere_with_a_clear_message(cast):
    from datetime import date

    import pytest
    from django.core.exceptions import ValidationError

    from contracts.services import contract_save
    from questionnaires import assessments as svc
    from questionnaires.models import Question
    from suppliers.documents import document_save
    from tests.access import assessment_at

    world = assessment_at(cast, "sent")
    question = Question(code="D-1", answer_type="date")
    for bad in ("0001-01-01", "9999-12-31", "1899-12-31"):
        with pytest.raises(ValidationError, match="1900"):
            svc.validate_value(question, bad)
    svc.validate_value(question, "2026-02-01")  # a real date is fine
    with pytest.raises(ValidationError):
        svc.assessment_create(
            relationship=world["relationship"],
            template=world["assessment"].template,
            due_date=date(9999, 1, 1),
            actor=cast.procurement.user,
        )
    with pytest.raises(ValidationError) as contract_error:
        contract_save(
            relationship=world["relationship"],
            actor=cast.procurement.user,
            reference="C-1",
            title="EPD",
            start_date=date(1, 1, 1),
        )
    assert "start_date" in contract_error.value.message_dict
    with pytest.raises(ValidationError) as doc_error:
        document_save(
            supplier=cast.supplier,
            actor=cast.supplier_owner.user,
            title="ISO 27001",
            kind="iso27001",
            name="cert.pdf",
            data=b"%PDF-1.4\n%%EOF",
            valid_until=date(3000, 1, 1),
        )
    assert "valid_until" in doc_error.value.message_dict
