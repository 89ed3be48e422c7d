"""PDF building blocks (reportlab): fonts that carry Dutch characters, styles, page furniture.

DejaVu Sans (Debian's fonts-dejavu-core) is used when installed, else reportlab's own Bitstream
Vera — both embedded in the PDF, so ë, é, ï, € and dashes print correctly offline.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate
from reportlab.platypus.flowables import Flowable

FONT, BOLD = "KwSans", "KwSans-Bold"
PRIMARY = colors.HexColor("#0b4f6c")
_CANDIDATES = [
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
]


_REGISTERING = threading.Lock()


def _register() -> None:
    # One thread registers; a second PDF built at the same moment waits for the whole family
    # (seeing only the regular font registered, it failed on the bold one).
    with _REGISTERING:
        if FONT in pdfmetrics.getRegisteredFontNames():
            return

        vera = Path(reportlab.__file__).resolve().parent / "fonts"
        regular, bold = vera / "Vera.ttf", vera / "VeraBd.ttf"
        for r, b in _CANDIDATES:
            if r.exists() and b.exists():
                regular, bold = r, b
                break
        pdfmetrics.registerFont(TTFont(FONT, str(regular)))
        pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def styles() -> dict[str, ParagraphStyle]:
    _register()
    base = ParagraphStyle("kw", fontName=FONT, fontSize=9.5, leading=12.5, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle(
            "kw-small", parent=base, fontSize=8, leading=10, textColor=colors.HexColor("#4a5560")
        ),
        "h1": ParagraphStyle(
            "kw-h1",
            parent=base,
            fontName=BOLD,
            fontSize=17,
            leading=21,
            textColor=PRIMARY,
            spaceAfter=6,
        ),
        "h2": ParagraphStyle(
            "kw-h2",
            parent=base,
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            textColor=PRIMARY,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "h3": ParagraphStyle(
            "kw-h3",
            parent=base,
            fontName=BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=6,
            spaceAfter=2,
        ),
        "cell": ParagraphStyle("kw-cell", parent=base, fontSize=8.5, leading=10.5),
        "cellbold": ParagraphStyle(
            "kw-cellb", parent=base, fontName=BOLD, fontSize=8.5, leading=10.5
        ),
    }


def p(text, style) -> Paragraph:
    """A paragraph of plain (escaped) text; line breaks kept."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def build(story: list[Flowable], *, title: str, footer: str) -> bytes:
    """Render `story` on A4 with a footer line and page numbers; returns the PDF bytes."""
    _register()
    buf = io.BytesIO()

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#5a6670"))
        canvas.drawString(18 * mm, 10 * mm, footer[:150])
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Ketenwacht",
    )
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return buf.getvalue()
