"""One sensible range for every date a person enters (answers, due dates, contracts …):
`0001-01-01` is valid ISO but never a real answer."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def plausible(value: date) -> bool:
    return EARLIEST <= value <= LATEST


def implausible_message() -> str:
    return _("Give a date between %(first)s and %(last)s.") % {
        "first": date_format(EARLIEST, "DATE_FORMAT"),
        "last": date_format(LATEST, "DATE_FORMAT"),
    }


def check_plausible(value: date, field: str = "value") -> date:
    """`value`, or a ValidationError on `field` when it lies outside 1900–2199."""
    if not plausible(value):
        raise ValidationError({field: implausible_message()})
    return value
