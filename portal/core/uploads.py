"""Upload checks (DESIGN §12): size, an allowlist of types checked on content, safe names.

`check_upload(name, data)` returns the cleaned name and the detected type, or raises
`UploadRefused` with a clear reason (or `TooLarge`). Nothing is stored by this module.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
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
ACTIVE_MARKUP = re.compile(rb"<\s*(script|html|svg|iframe|object|embed)\b|javascript:", re.I)


def safe_name(name: str) -> str:
    """The last path component, without control characters or path tricks, at most 120 chars."""
    name = unicodedata.normalize("NFKC", name or "").replace("\\", "/").split("/")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    name = re.sub(r"[^\w.\- ()]", "_", name)
    return name[-120:] or "file"


def _zip_kind(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if len(infos) > 2000 or total > 100 * 1024 * 1024 or total / packed > 100:
        raise UploadRefused(_("The file unpacks to an implausible size (zip bomb)."))
    names = {i.filename for i in infos}
    if any(n.endswith("vbaProject.bin") for n in names):
        raise UploadRefused(_("Documents with macros are not accepted."))
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
        if sniffed is not None or b"\x00" in data[:4096]:
            raise UploadRefused(_("The content does not match the file name."))
        try:
            data[:65536].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UploadRefused(_("A text file must be UTF-8.")) from exc
        if ACTIVE_MARKUP.search(data[:65536]):
            raise UploadRefused(_("The text contains HTML or script and is refused."))
    else:
        same = {".jpg": (".jpg", ".jpeg"), ".jpeg": (".jpg", ".jpeg")}.get(ext, (ext,))
        if sniffed not in same:
            raise UploadRefused(
                _("The content does not match the file name (%(ext)s).") % {"ext": ext}
            )
        if ext == ".pdf" and re.search(rb"/(JavaScript|JS|Launch|EmbeddedFile)\b", data):
            raise UploadRefused(
                _("The PDF contains JavaScript, launch actions or embedded files and is refused.")
            )
    return CheckedUpload(clean, ALLOWED[ext], len(data), hashlib.sha256(data).hexdigest())
