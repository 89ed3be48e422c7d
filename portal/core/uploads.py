"""Upload checks (DESIGN §12): size, an allowlist of types checked on content, safe names.

`check_upload(name, data)` returns the cleaned name and the detected type, or raises
`UploadRefused` with a clear reason (or `TooLarge`). Nothing is stored by this module.

Beyond the type, the content is inspected for what would hurt the person who opens the file:
markup in text, spreadsheet formulas in CSV, active content in PDFs (also behind hex-escaped
names and inside compressed object streams), encrypted PDFs that cannot be inspected, macros,
ActiveX, remote templates and XML document type declarations (external entities, billion
laughs) in Office files, and archives that unpack to an implausible size.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from portal.core.exceptions import TooLarge


class UploadRefused(ValueError):
    pass


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


ALLOWED = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt": "text/plain",
    ".csv": "text/csv",
}
ACTIVE_MARKUP = re.compile(
    rb"<\s*/?\s*(script|html|head|body|svg|iframe|frame|frameset|object|embed|img|image|meta"
    rb"|link|style|form|base|math|!doctype|\?xml)\b"
    rb"|<[^>]*\son[a-z]+\s*="
    rb"|(java|vb)script\s*:|data\s*:\s*text/html",
    re.I,
)
# Cells of a CSV that a spreadsheet program would run as a formula (CSV injection, DDE).
_CSV_CELL_SPLIT = re.compile(r"[,;\t]")
_NUMBERISH = re.compile(r"[+\-]?[\d\s.,:/()%+\-eE]*\Z")
# PDF names that start scripts, launch programs, submit data or carry files; matched after
# hex escapes (/J#61vaScript) are decoded.
PDF_ACTIVE_NAMES = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"XFA",
        b"AA",
        b"SubmitForm",
        b"ImportData",
        b"GoToR",
        b"GoToE",
    }
)
_PDF_NAME = re.compile(rb"/([^\s()<>\[\]{}/%]*)")
_PDF_STREAM = re.compile(rb"(?<![A-Za-z])stream\r?\n")
_PDF_FILTERS = frozenset(
    {
        b"FlateDecode",
        b"Fl",
        b"ASCIIHexDecode",
        b"AHx",
        b"ASCII85Decode",
        b"A85",
        b"LZWDecode",
        b"LZW",
        b"RunLengthDecode",
        b"RL",
        b"Crypt",
    }
)
MAX_PDF_INFLATE = 50 * 1024 * 1024
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_TOTAL = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
_EXTERNAL_REL = re.compile(
    rb"<Relationship\b[^>]*(attachedTemplate|oleObject|subDocument|/frame\")[^>]*"
    rb"TargetMode\s*=\s*\"External\"|<Relationship\b[^>]*TargetMode\s*=\s*\"External\"[^>]*"
    rb"(attachedTemplate|oleObject|subDocument|/frame\")",
    re.I,
)


def safe_name(name: str) -> str:
    """The last path component, without control characters or path tricks, at most 120 chars."""
    name = unicodedata.normalize("NFKC", name or "").replace("\\", "/").split("/")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    name = re.sub(r"[^\w.\- ()]", "_", name)
    return name[-120:] or "file"


def _xml_text(raw: bytes) -> bytes:
    """XML bytes as UTF-8 for scanning, also when the part is written in UTF-16."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:2] in (b"<\x00", b"\x00<"):
        try:
            return raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return raw
    return raw


def check_office_archive(archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs, macros, ActiveX, remote templates and DTDs in an Office file."""
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if len(infos) > ZIP_MAX_ENTRIES or total > ZIP_MAX_TOTAL or total / packed > ZIP_MAX_RATIO:
        raise UploadRefused(_("The file unpacks to an implausible size (zip bomb)."))
    lowered = [i.filename.lower() for i in infos]
    if any("vbaproject" in n or "/activex/" in f"/{n}" for n in lowered):
        raise UploadRefused(_("Documents with macros are not accepted."))
    for info in infos:
        name = info.filename.lower()
        if not name.endswith((".xml", ".rels", ".vml")) and name != "[content_types].xml":
            continue
        try:
            text = _xml_text(archive.read(info))
        except Exception as exc:  # noqa: BLE001 - a corrupted member fails in many ways (zlib, EOF, seek)
            raise UploadRefused(_("The file is damaged and cannot be checked.")) from exc
        if name == "[content_types].xml" and re.search(rb"macroEnabled|vbaProject", text, re.I):
            raise UploadRefused(_("Documents with macros are not accepted."))
        if _DTD.search(text):
            raise UploadRefused(
                _("The file contains XML document type declarations (entities) and is refused.")
            )
        if name.endswith(".rels") and _EXTERNAL_REL.search(text):
            raise UploadRefused(
                _("The document loads a template or object from elsewhere and is refused.")
            )


def _zip_kind(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return None
    check_office_archive(archive)
    names = {i.filename for i in archive.infolist()}
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        return ".docx"
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return ".xlsx"
    return None


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if data.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def _pdf_name(raw: bytes) -> bytes:
    """A PDF name with its #xx escapes decoded: /J#61vaScript is /JavaScript."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)


def _pdf_names(chunk: bytes) -> set[bytes]:
    return {_pdf_name(m.group(1)) for m in _PDF_NAME.finditer(chunk)}


def _inflate(body: bytes) -> bytes:
    try:
        inflater = zlib.decompressobj()
        out = inflater.decompress(body, MAX_PDF_INFLATE)
    except zlib.error as exc:
        raise UploadRefused(_("The PDF is damaged and cannot be checked.")) from exc
    if inflater.unconsumed_tail:
        raise UploadRefused(_("The file unpacks to an implausible size (zip bomb)."))
    return out


def _object_streams(data: bytes):
    """The decoded contents of the PDF's object streams (dictionaries stored compressed)."""
    for m in _PDF_STREAM.finditer(data):
        header_start = data.rfind(b"obj", 0, m.start())
        header_names = _pdf_names(data[max(header_start, 0) : m.start()])
        if b"ObjStm" not in header_names:
            continue
        end = data.find(b"endstream", m.end())
        body = data[m.end() : len(data) if end < 0 else end]
        filters = header_names & _PDF_FILTERS
        if not filters <= {b"FlateDecode", b"Fl"} or header_names & {b"DecodeParms", b"DP"}:
            raise UploadRefused(_("The PDF hides its structure in a way that cannot be checked."))
        yield _inflate(body) if filters else body


def _pdf_active_content(data: bytes) -> str | None:
    """Why the PDF is refused, or None. Every name is read with its #xx escapes decoded, in
    the file itself and in its object streams (compressed dictionaries)."""
    names = _pdf_names(data)
    for unpacked in _object_streams(data):
        names |= _pdf_names(unpacked)
    if b"Encrypt" in names:
        return _("Encrypted or password-protected PDFs cannot be checked; save it unprotected.")
    if names & PDF_ACTIVE_NAMES:
        return _("The PDF contains JavaScript, launch actions or embedded files and is refused.")
    return None


def _csv_has_formulas(text: str) -> bool:
    for line in text.splitlines():
        for cell in _CSV_CELL_SPLIT.split(line):
            cell = cell.strip().strip('"').strip()
            if cell[:1] in ("=", "@") and len(cell) > 1:
                return True
            if cell[:1] in ("+", "-") and not _NUMBERISH.match(cell):
                return True
    return False


def check_upload(name: str, data: bytes, *, max_bytes: int | None = None) -> CheckedUpload:
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise TooLarge(_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    if not data:
        raise UploadRefused(_("The file is empty."))
    clean = safe_name(name)
    ext = ("." + clean.rsplit(".", 1)[-1].lower()) if "." in clean else ""
    if ext not in ALLOWED:
        raise UploadRefused(
            _("This kind of file is not accepted; use PDF, PNG, JPEG, DOCX, XLSX, TXT or CSV.")
        )
    sniffed = _sniff(data)
    if ext in (".txt", ".csv"):
        if sniffed is not None or b"\x00" in data:
            raise UploadRefused(_("The content does not match the file name."))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UploadRefused(_("A text file must be UTF-8.")) from exc
        if ACTIVE_MARKUP.search(data):
            raise UploadRefused(_("The text contains HTML or script and is refused."))
        if ext == ".csv" and _csv_has_formulas(text):
            raise UploadRefused(
                _("The CSV contains cells a spreadsheet would run as formulas and is refused.")
            )
    else:
        same = {".jpg": (".jpg", ".jpeg"), ".jpeg": (".jpg", ".jpeg")}.get(ext, (ext,))
        if sniffed not in same:
            raise UploadRefused(
                _("The content does not match the file name (%(ext)s).") % {"ext": ext}
            )
        if ext == ".pdf":
            problem = _pdf_active_content(data)
            if problem:
                raise UploadRefused(problem)
    return CheckedUpload(clean, ALLOWED[ext], len(data), hashlib.sha256(data).hexdigest())
