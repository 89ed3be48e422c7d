"""The words question matching compares: accents, case and punctuation away, stop words out,
and the domain's synonyms (Dutch and English) brought to one word each, so that "tweefactor-
authenticatie", "2FA" and "multi-factor authentication" all read as `mfa`."""

from __future__ import annotations

import re
import unicodedata

# variant (after normalising) → the one word it stands for. Multi-word variants first.
PHRASES = {
    "multi factor authentication": "mfa",
    "multi-factor authentication": "mfa",
    "multi factor authenticatie": "mfa",
    "two factor authentication": "mfa",
    "two-factor authentication": "mfa",
    "twee factor authenticatie": "mfa",
    "tweestapsverificatie": "mfa",
    "tweefactorauthenticatie": "mfa",
    "tweefactor authenticatie": "mfa",
    "second factor": "mfa",
    "tweede factor": "mfa",
    "penetration test": "pentest",
    "penetratietest": "pentest",
    "pen test": "pentest",
    "ethical hack": "pentest",
    "sub processor": "subverwerker",
    "sub-processor": "subverwerker",
    "subprocessor": "subverwerker",
    "onderaannemer": "subverwerker",
    "fourth party": "subverwerker",
    "vierde partij": "subverwerker",
    "data breach": "datalek",
    "data lek": "datalek",
    "back up": "backup",
    "back-up": "backup",
    "reservekopie": "backup",
    "single sign on": "sso",
    "single sign-on": "sso",
    "business continuity": "continuity",
    "bedrijfscontinuiteit": "continuity",
    "disaster recovery": "continuity",
    "recovery time objective": "rto",
    "hersteltijd": "rto",
    "recovery point objective": "rpo",
    "gegevensverlies": "rpo",
    "data loss": "rpo",
    "verklaring omtrent het gedrag": "vog",
    "certificate of conduct": "vog",
    "background check": "vog",
    "background checks": "vog",
    "screening": "vog",
    "processor agreement": "verwerkersovereenkomst",
    "data processing agreement": "verwerkersovereenkomst",
    "software bill of materials": "sbom",
    "bill of materials": "sbom",
    "data protection officer": "fg",
    "functionaris gegevensbescherming": "fg",
    "privacy officer": "fg",
    "security operations centre": "soc",
    "security operations center": "soc",
    "incident response": "incidentplan",
    "incidentrespons": "incidentplan",
    "artificial intelligence": "ai",
    "kunstmatige intelligentie": "ai",
    "machine learning": "ai",
    "escrow": "escrow",
    "nen 7510": "cert",
    "iso 27001": "cert",
    "iso27001": "cert",
    "soc 2": "assurance",
    "isae 3402": "assurance",
    "valid until": "expire",
    "geldig tot": "expire",
    "in ieder geval": "",
    "bijvoorbeeld": "",
    "for example": "",
    "two data centres": "georedundant",
    "twee datacenters": "georedundant",
    "tweede locatie": "secondsite",
    "second location": "secondsite",
    "second site": "secondsite",
    "geheimhoudingsverklaring": "confidentiality",
    "confidentiality undertaking": "confidentiality",
    "non disclosure": "confidentiality",
    "geheimhouding": "confidentiality",
    "source code": "broncode",
}
# canonical word → the variants that mean it (one word each, after normalising).
SYNONYMS = {
    "access": "access autorisaties privileges rechten toegang toegangsrechten",
    "appoint": "aangesteld appointed benoemd designated",
    "authentication": "authenticatie authentication",
    "availability": "availability beschikbaarheid uptime",
    "backup": "backup backups",
    "cert": (
        "certificaat certificate certification certificering certified gecertificeerd "
        "iso27001 nen7510"
    ),
    "daily": "dag dagelijks daily",
    "datacentre": "datacenter datacenters datacentre datacentrum rekencentrum",
    "datalek": "breach breaches datalek datalekken",
    "delete": "delete deletion destroyed vernietigd verwijderen verwijdering",
    "deliver": "deliver delivered delivers geleverde leveren levert",
    "dpia": "dpia gegevensbeschermingseffectbeoordeling",
    "eer": "eea eer eu europa europe nederland netherlands",
    "encrypt": (
        "cryptografie cryptography encrypt encrypted encryptie encryption gecodeerd "
        "versleuteld versleutelen versleuteling"
    ),
    "exit": "beeindiging exit opzegging stoppen termination",
    "expire": "einddatum expiration expire expires expiry verloopdatum verloopt",
    "export": "export exportable exporteren exports retrieve terug teruggave",
    "georedundant": "geo geo-redundant georedundant",
    "incident": "beveiligingsincident incidenten incidents",
    "insurance": "insurance insured verzekerd verzekering",
    "log": "audittrail gelogd log logbestanden logfiles logged logging logs vastgelegd",
    "login": "aanmelden inloggen login logon",
    "malware": "antivirus edr malware virusscanner",
    "mfa": "2fa mfa multifactor tweefactor",
    "nen7513": "nen7513",
    "notify": "informeert informeren melden meldt notification notify report",
    "password": "passwords wachtwoord wachtwoorden",
    "patch": "beveiligingsupdates patchen patches patching updates",
    "pentest": "pentest pentests",
    "phishing": "phishing",
    "policy": "beleid informatiebeveiligingsbeleid policy",
    "restore": "herstel hersteltest restore terugzetten",
    "riskassess": "risicoanalyse risicobeoordeling",
    "rpo": "rpo",
    "rto": "rto",
    "sbom": "sbom",
    "segment": "gesegmenteerd segmentatie segmentation segmented",
    "siem": "siem",
    "sign": "getekend ondertekenen ondertekent sign signed tekenen tekent",
    "soc": "soc",
    "sso": "oidc saml sso",
    "staff": "employee employees medewerker medewerkers mensen personeel personnel staff",
    "subverwerker": (
        "onderaannemers subcontractor subcontractors subprocessors subverwerker subverwerkers"
    ),
    "system": "endpoint endpoints laptops server servers system systemen systems",
    "training": "awareness bewustwording opleiding training trainingen",
    "verwerkersovereenkomst": "dpa modelverwerkersovereenkomst verwerkersovereenkomst",
    "vuln": "kwetsbaarheden kwetsbaarheid vulnerabilities vulnerability",
}
WORDS = {variant: canon for canon, variants in SYNONYMS.items() for variant in variants.split()}
STOP = set(
    """de het een en of in op van voor met aan bij door naar over uit als dan dat die dit deze
    is zijn wordt worden werd kan kunnen moet moeten heeft hebben hoe wat welke wie waar wanneer
    u uw wij we ons onze jullie zij hun er ook niet wel al alle elk elke per tot om te zo nog
    the a an and or in on of for with to at by from as than that this these those is are be
    been being was were can could must should do does did have has had how what which who where
    when you your we our us they their there also not all any each every per until so still
    ja nee yes no please graag describe beschrijf geef give hoeveel many much jaar jaren year
    years lang long tijd time bedrijf company organisatie organisation organization dienst
    diensten service services bent am anti""".split()
)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9\- ]+", " ", text.lower())
    # "7510-certificaat", "27001- of": a hyphen after a number or before a space separates.
    return re.sub(r"(?<=\d)-|-(?=\s|$)|(?<=\s)-", " ", text)


def _stem(word: str) -> str:
    """A light stem that keeps Dutch and English plurals and verb forms together."""
    for suffix in ("ingen", "ing", "en", "es", "ed", "s", "e"):
        if suffix == "s" and word.endswith("ss"):
            continue  # "process", "access"
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """The content words of a question, synonyms brought together."""
    plain = " " + _plain(text) + " "
    for phrase, word in sorted(PHRASES.items(), key=lambda kv: -len(kv[0])):
        plain = plain.replace(" " + _plain(phrase).strip() + " ", f" {word} ")
    out = []
    for raw in plain.replace("-", " ").split():
        if raw in STOP or len(raw) < 2:
            continue
        out.append(WORDS.get(raw) or _stem(raw))
    return out
