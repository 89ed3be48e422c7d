"""The demo organisations and people (every demo user has the same password)."""

from __future__ import annotations

DEMO_PASSWORD = "Ketenwacht-demo-2026"  # noqa: S105 - printed for demo use only


ORGANISATIONS = [
    ("rivierenland", "Ziekenhuis Rivierenland", "care", "41234567"),
    ("de-linde", "Zorgcentrum De Linde", "care", "52345678"),
    ("meddossier", "MedDossier B.V.", "supplier", "63456789"),
    ("wolkzorg", "WolkZorg Cloud B.V.", "supplier", "74567890"),
    ("beheerpunt", "BeheerPunt IT B.V.", "supplier", "85678901"),
    ("lablink", "LabLink Systems B.V.", "supplier", "96789012"),
]


# (e-mail, name, organisation slug, role)
PEOPLE = [
    ("ciso@zorgciso.example", "Karin de Vries", "rivierenland", "security"),
    ("ciso@zorgciso.example", "Karin de Vries", "de-linde", "security"),
    ("beheer@rivierenland.example", "Ahmed El Amrani", "rivierenland", "admin"),
    ("inkoop@rivierenland.example", "Sanne Jansen", "rivierenland", "procurement"),
    ("bestuur@rivierenland.example", "Dr. Pieter Bakker", "rivierenland", "board"),
    ("lezer@rivierenland.example", "Ilse Visser", "rivierenland", "viewer"),
    ("beheer@delinde.example", "Marleen Smit", "de-linde", "admin"),
    ("inkoop@delinde.example", "Joost Mulder", "de-linde", "procurement"),
    ("bestuur@delinde.example", "Els de Boer", "de-linde", "board"),
    ("eigenaar@meddossier.example", "Thomas Willems", "meddossier", "owner"),
    ("security@meddossier.example", "Fatima Yilmaz", "meddossier", "respondent"),
    ("eigenaar@wolkzorg.example", "Lotte van Dijk", "wolkzorg", "owner"),
    ("techniek@wolkzorg.example", "Bram Hendriks", "wolkzorg", "respondent"),
    ("eigenaar@beheerpunt.example", "Ruben Kok", "beheerpunt", "owner"),
    ("servicedesk@beheerpunt.example", "Noor Bos", "beheerpunt", "respondent"),
    ("eigenaar@lablink.example", "Eva Peters", "lablink", "owner"),
    ("kwaliteit@lablink.example", "Daan Meijer", "lablink", "respondent"),
]
