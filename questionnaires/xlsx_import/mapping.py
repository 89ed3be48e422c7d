"""The column mapping of FORMATS.md: which sheet, which header row, which column holds what."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..yaml_io import FileError, QuestionnaireFileError
from .archive import MAX_ROWS

MAPPABLE = ("section", "code", "text", "text_en", "type", "answers", "weight", "references", "help")
LANGUAGES = ("nl", "en")


@dataclass
class Mapping:
    """Which column holds what. Columns are letters ("B") or header texts ("Question ID").

    `text` holds the questions in `language`; `text_en` an English translation next to Dutch
    questions. Without a second language the other one is left empty (marked as missing).
    """

    sheet: str
    columns: dict[str, str]
    header_row: int = 1
    key: str = "imported"
    version: int = 1
    title_nl: str = "Geïmporteerde vragenlijst"
    title_en: str = "Imported questionnaire"
    language: str = ""  # "" = recognise it from the header and the questions
    section_from_code_prefix: bool = False
    default_type: str = "yes_partial_no"
    default_weight: int = 1
    errors: list[FileError] = field(default_factory=list)

    @classmethod
    def from_dict(cls, raw: dict) -> Mapping:
        if not isinstance(raw, dict) or not isinstance(raw.get("sheet"), str):
            raise QuestionnaireFileError([FileError("mapping.sheet", "is required")])
        columns = raw.get("columns")
        if not isinstance(columns, dict) or "text" not in columns:
            raise QuestionnaireFileError(
                [FileError("mapping.columns.text", "the question text column is required")]
            )
        unknown = set(columns) - set(MAPPABLE)
        if unknown:
            raise QuestionnaireFileError(
                [
                    FileError(f"mapping.columns.{u}", f"unknown; map any of {', '.join(MAPPABLE)}")
                    for u in sorted(unknown)
                ]
            )
        if not all(isinstance(k, str) and isinstance(v, str | None) for k, v in columns.items()):
            raise QuestionnaireFileError(
                [FileError("mapping.columns", "name each column by a letter or a header text")]
            )
        allowed = {f for f in cls.__dataclass_fields__ if f != "errors"}
        values = {k: v for k, v in raw.items() if k in allowed}
        types = {
            "header_row": int,
            "version": int,
            "key": str,
            "title_nl": str,
            "title_en": str,
            "language": str,
            "section_from_code_prefix": bool,
            "default_type": str,
            "default_weight": int,
        }
        wrong = [
            FileError(f"mapping.{k}", "has the wrong type")
            for k, t in types.items()
            if k in values
            and (not isinstance(values[k], t) or (t is int and isinstance(values[k], bool)))
        ]
        if "header_row" in values and not wrong and not 1 <= values["header_row"] <= MAX_ROWS:
            wrong.append(FileError("mapping.header_row", f"must be a row from 1 to {MAX_ROWS}"))
        if values.get("language", "") not in ("", *LANGUAGES):
            wrong.append(FileError("mapping.language", "must be nl, en or empty (recognised)"))
        if wrong:
            raise QuestionnaireFileError(wrong)
        return cls(**values)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "errors"}
