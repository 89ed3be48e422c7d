"""The clocks of an incident, as plain functions (no ORM): the supplier's NIS2 art. 23 stages
and the care organisation's own notification duties."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _


def add_month(moment: datetime) -> datetime:
    """The same day and time one calendar month later (the last day of a shorter month)."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def nis2_deadlines(detected_at: datetime) -> dict[str, datetime]:
    """NIS2 art. 23(4): early warning within 24 hours, incident notification within 72 hours,
    final report within one month of detection."""
    return {
        "early_warning": detected_at + timedelta(hours=24),
        "notification": detected_at + timedelta(hours=72),
        "final_report": add_month(detected_at),
    }


@dataclass(frozen=True)
class DutyKind:
    key: str
    label: object
    basis: object
    hours: int
    # When the duty applies by default (the security officer can change it).
    applies: str  # "always" | "health_data" | "availability"


DUTIES = (
    DutyKind(
        "ap_breach",
        _("Report the personal data breach to the Autoriteit Persoonsgegevens"),
        _("AVG art. 33: within 72 hours of becoming aware, unless the breach is unlikely to "
          "result in a risk to people"),
        72,
        "health_data",
    ),
    DutyKind(
        "zcert",
        _("Inform Z-CERT, the healthcare CSIRT"),
        _("Sector practice for care organisations affiliated with Z-CERT: as soon as possible"),
        24,
        "always",
    ),
    DutyKind(
        "igj",
        _("Report to the IGJ when care was affected (calamity or disruption)"),
        _("Wkkgz: report a calamity to the inspectorate without delay"),
        72,
        "availability",
    ),
    DutyKind(
        "cbw",
        _("Early warning under the Cbw (essential entities)"),
        _("Cbw / NIS2 art. 23: early warning within 24 hours if the incident is significant"),
        24,
        "always",
    ),
)  # fmt: skip
DUTY_BY_KEY = {d.key: d for d in DUTIES}


def duties_for(*, health_data: bool, availability: bool) -> list[DutyKind]:
    """The duties that apply by default to a care organisation for this incident."""
    wanted = {
        "always",
        *(["health_data"] if health_data else []),
        *(["availability"] if availability else []),
    }
    return [d for d in DUTIES if d.applies in wanted]


def suggested_impact(
    *, tiers: list[str], health_data: bool, availability: bool, continuity: int
) -> str:
    """A first guess for the care organisation, from its own intake: high when a critical or
    high relationship is hit where it matters (health data, or availability with continuity
    impact), medium when any relationship is affected, otherwise low."""
    severe = any(t in ("critical", "high") for t in tiers)
    if severe and (health_data or (availability and continuity >= 2)):
        return "high"
    return "medium" if (health_data or availability) else "low"
