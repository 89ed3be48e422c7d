"""What every model module of questionnaires shares."""

from __future__ import annotations

from django.utils.translation import get_language


def _pick(obj, field: str) -> str:
    lang = (get_language() or "nl")[:2]
    value = getattr(obj, f"{field}_{lang}", "") if lang in ("nl", "en") else ""
    return value or getattr(obj, f"{field}_nl", "") or getattr(obj, f"{field}_en", "")
