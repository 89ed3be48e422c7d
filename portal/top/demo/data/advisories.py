"""A demo CSAF advisory (DESIGN §13): `csaf/lablink-2026-001.json` names LabLink Connect
(LabLink Systems B.V.) and TeamViewer, the fourth party behind BeheerPunt's Werkplekbeheer;
Ziekenhuis Rivierenland's security officer has uploaded it and has yet to confirm the matches."""

from __future__ import annotations

from pathlib import Path

from portal.core.accounts.models import Membership, Organisation
from questionnaires.csaf.models import Advisory
from questionnaires.csaf.services import advisory_upload

FILE = Path(__file__).resolve().parent / "csaf" / "lablink-2026-001.json"


def load_advisories(orgs: dict[str, Organisation]) -> None:
    care_org = orgs["rivierenland"]
    if Advisory.objects.filter(care_org=care_org, tracking_id="DEMO-ZORG-2026-001").exists():
        return
    ciso = Membership.objects.filter(organisation=care_org, role="security").first()
    advisory_upload(care_org=care_org, actor=ciso.user if ciso else None, raw=FILE.read_bytes())
