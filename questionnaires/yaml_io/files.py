"""Read a questionnaire file (YAML text) and write one back: a lossless round trip."""

from __future__ import annotations

from typing import Any

from portal.core import yamlsafe

from .fields import FileError, QuestionnaireFileError
from .validate import validate_questionnaire
from .vocabulary import QUESTION_FIELDS


def parse_questionnaire(text: str | bytes) -> dict:
    """Load YAML text and validate it; raises QuestionnaireFileError with every problem."""
    try:
        data = yamlsafe.load(text)
    except (yamlsafe.YamlError, ValueError) as exc:
        raise QuestionnaireFileError([FileError("", str(exc))]) from exc
    return validate_questionnaire(data)


def questionnaire_to_yaml(data: dict) -> str:
    """Write a normalised questionnaire dict as YAML, every field explicit except empty extras."""
    doc: dict[str, Any] = {"key": data["key"], "version": data["version"], "title": data["title"]}
    if any(data.get("description", {}).values()):
        doc["description"] = data["description"]
    doc["sections"] = []
    for section in data["sections"]:
        questions = []
        for q in section["questions"]:
            item: dict[str, Any] = {"code": q["code"], "text": q["text"]}
            for field in ("help", "type", *QUESTION_FIELDS, "advice"):
                value = q["type"] if field == "type" else q.get(field)
                if field in ("help", "advice") and not any((value or {}).values()):
                    continue
                if field in ("choices", "bands", "applies_to") and not value:
                    continue
                if field == "show_if" and value is None:
                    continue
                item[field] = value
            questions.append(item)
        doc["sections"].append(
            {"code": section["code"], "title": section["title"], "questions": questions}
        )
    return yamlsafe.dump(doc)
