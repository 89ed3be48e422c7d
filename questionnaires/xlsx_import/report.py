"""What an import did with every row: imported, imported with a warning, or skipped and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .mapping import Mapping

IMPORTED, WARNING, SKIPPED = "imported", "warning", "skipped"


@dataclass
class RowReport:
    row: int
    status: str = IMPORTED
    code: str = ""
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """Every non-empty row under the header, the sheet-wide notes, and the preview rows."""

    mapping: Mapping
    rows: list[RowReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def attention(self) -> list[RowReport]:
        """The rows someone should look at: warnings and skipped rows, in sheet order."""
        return [r for r in self.rows if r.status != IMPORTED]

    def summary(self) -> str:
        """ "9 rows: 8 imported, 1 imported with a warning" (skipped only when there are any)."""
        parts = [_("%(n)s imported") % {"n": self.count(IMPORTED)}]
        if self.count(WARNING):
            parts.append(_("%(n)s imported with a warning") % {"n": self.count(WARNING)})
        if self.count(SKIPPED):
            parts.append(_("%(n)s skipped") % {"n": self.count(SKIPPED)})
        rows = len(self.rows)
        return ngettext("%(rows)s row: %(parts)s", "%(rows)s rows: %(parts)s", rows) % {
            "rows": rows,
            "parts": ", ".join(parts),
        }

    def lines(self) -> list[str]:
        """The report as text lines (the command line prints these)."""
        out = [self.summary(), *self.notes]
        for r in self.attention:
            label = _("skipped") if r.status == SKIPPED else _("warning")
            for message in r.messages:
                out.append(
                    _("Row %(row)s (%(label)s): %(message)s")
                    % {"row": r.row, "label": label, "message": message}
                )
        return out
