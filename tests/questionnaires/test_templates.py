"""Template life cycle: published versions are immutable, new versions copy, codes are stable."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.core.exceptions import Conflict
from questionnaires.models import QuestionnaireTemplate, TemplateStatus
from questionnaires.services import (
    template_new_version,
    template_publish,
    template_retire,
    template_to_dict,
)
from questionnaires.xlsx_export import safe_cell
from tests.questionnaires.conftest import BANKS, FILES


def test_published_template_cannot_be_published_again(own_template, cast):
    template_publish(template=own_template, actor=cast.ciso.user)
    with pytest.raises(Conflict):
        template_publish(template=own_template, actor=cast.ciso.user)


def test_new_version_copies_into_draft_with_same_codes(own_template, cast):
    template_publish(template=own_template, actor=cast.ciso.user)
    draft = template_new_version(template=own_template, actor=cast.ciso.user)
    assert (draft.version, draft.status) == (2, TemplateStatus.DRAFT)
    old, new = template_to_dict(own_template), template_to_dict(draft)
    assert new["sections"] == old["sections"]
    own_template.refresh_from_db()
    assert own_template.status == TemplateStatus.PUBLISHED


def test_draft_cannot_be_copied(own_template, cast):
    with pytest.raises(Conflict):
        template_new_version(template=own_template, actor=cast.ciso.user)


def test_retire_only_published(own_template, cast):
    with pytest.raises(Conflict):
        template_retire(template=own_template, actor=cast.ciso.user)
    template_publish(template=own_template, actor=cast.ciso.user)
    template_retire(template=own_template, actor=cast.ciso.user)
    own_template.refresh_from_db()
    assert own_template.status == TemplateStatus.RETIRED


def test_import_command_publishes(db, capsys):
    call_command("import_questionnaire", str(FILES / "every_feature.yaml"), "--publish")
    template = QuestionnaireTemplate.objects.get(key="every-feature")
    assert template.status == TemplateStatus.PUBLISHED
    assert template.questions.count() == 8


def test_import_command_lists_errors_and_stores_nothing(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((FILES / "every_feature.yaml").read_text().replace("weight: 3", "weight: 5"))
    with pytest.raises(CommandError, match=r"bad.yaml: sections\[0\].questions\[0\].weight"):
        call_command("import_questionnaire", str(bad))
    assert not QuestionnaireTemplate.objects.exists()


def test_export_command_yaml_round_trip(db, tmp_path):
    call_command("import_questionnaire", str(FILES / "every_feature.yaml"))
    out = tmp_path / "out.yaml"
    call_command("export_questionnaire", "every-feature", "1", "--format", "yaml", "-o", str(out))
    text = out.read_text()
    assert "GOV-01" in text
    QuestionnaireTemplate.objects.all().delete()
    call_command("import_questionnaire", str(out))
    assert QuestionnaireTemplate.objects.get(key="every-feature").questions.count() == 8


def test_export_command_xlsx_is_formula_safe(db, tmp_path):
    from openpyxl import load_workbook

    text = (
        (FILES / "every_feature.yaml")
        .read_text()
        .replace('nl: "Welke scope?"', 'nl: "=HYPERLINK(\\"http://evil\\")"')
    )
    src = tmp_path / "f.yaml"
    src.write_text(text)
    call_command("import_questionnaire", str(src))
    out = tmp_path / "out.xlsx"
    call_command("export_questionnaire", "every-feature", "1", "--format", "xlsx", "-o", str(out))
    ws = load_workbook(out, read_only=True)["Questions"]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not any(c.startswith(("=", "+", "@")) for c in cells)


@pytest.mark.parametrize("value", ["=1+1", "+31 6", "-1", "@SUM(A1)"])
def test_safe_cell_neutralises_formula_prefixes(value):
    assert safe_cell(value) == "'" + value


def test_export_command_unknown_template(db, tmp_path):
    with pytest.raises(CommandError, match="No questionnaire"):
        call_command("export_questionnaire", "nope", "1", "-o", str(tmp_path / "x.yaml"))


def test_shipped_banks_are_loaded_and_visible_to_care(cast, as_api):
    for bank in ("zorg-leveranciers.yaml", "zorg-leveranciers-licht.yaml"):
        call_command("import_questionnaire", str(BANKS / bank), "--publish")
    response = as_api(cast.procurement).get(reverse("template-list"))
    keys = {t["key"]: t for t in response.json()["results"]}
    assert keys["zorg-leveranciers"]["question_count"] >= 120
    assert keys["zorg-leveranciers-licht"]["question_count"] <= 30


def test_template_api_hides_other_orgs_drafts(own_template, cast, as_api):
    url = reverse("template-detail", kwargs={"pk": own_template.pk})
    assert as_api(cast.ciso).get(url).status_code == 200
    assert as_api(cast.other_care_ciso).get(url).status_code == 404
    assert as_api(cast.supplier_owner).get(url).status_code == 403


def test_template_questions_api(own_template, cast, as_api):
    response = as_api(cast.ciso).get(reverse("template-questions", kwargs={"pk": own_template.pk}))
    codes = [q["code"] for q in response.json()["results"]]
    assert codes == ["GOV-01", "GOV-02", "ACC-01", "ACC-02", "ACC-03", "VUL-01", "VUL-02", "VUL-03"]
