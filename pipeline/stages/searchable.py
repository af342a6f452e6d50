"""Build the searchable PDF: each page image with an invisible text layer from its OCR words."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pikepdf
import pikepdf.pdfa
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from config.errors import Misconfigured
from pipeline.model import PageImage, PageOcr

_FONT = "IntakeText"
_FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/freefont/FreeSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
)
_DEFAULT_DPI = 300
_PDFA = "2b"

log = logging.getLogger(__name__)


@cache
def _font() -> str:
    """Register a TrueType font covering Latin, Estonian and Cyrillic for the text layer."""
    for path in _FONT_FILES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(_FONT, str(path)))
            return _FONT
    raise Misconfigured("no TrueType font for the PDF text layer: install fonts-dejavu-core")


def searchable_pdf(pages: Sequence[PageImage], ocr: Sequence[PageOcr | None]) -> bytes:
    """A PDF/A-2b of the scans (JPEG) with OCR's words as a selectable, searchable text layer.

    Page size follows the scan's resolution, so a page prints at its physical size. The file
    is declared PDF/A-2b and checked by pikepdf's validator on the bytes written; should
    that check ever fail, the plain PDF is kept, because the scan must be archived anyway.
    """
    return _as_pdfa(_plain_pdf(pages, ocr))


def _plain_pdf(pages: Sequence[PageImage], ocr: Sequence[PageOcr | None]) -> bytes:
    font = _font()
    out = io.BytesIO()
    # The text layer's font is the only one: reportlab's default Helvetica is never embedded.
    pdf = canvas.Canvas(out, pageCompression=1, initialFontName=font)  # type: ignore[arg-type]
    pdf.setCreator("intake")
    pdf.setTitle("Scanned document")
    pdf.setAuthor("")
    pdf.setSubject("")
    for page, page_ocr in zip(pages, ocr, strict=True):
        dpi = page.dpi or _DEFAULT_DPI
        scale = 72.0 / dpi
        width_px, height_px = page.image.size
        width, height = width_px * scale, height_px * scale
        pdf.setPageSize((width, height))
        encoded = io.BytesIO()
        page.image.save(encoded, format="JPEG", quality=80, optimize=True)
        encoded.seek(0)
        pdf.drawImage(ImageReader(encoded), 0, 0, width=width, height=height)
        if page_ocr is not None:
            _text_layer(pdf, page_ocr, font=font, scale=scale, page_height=height)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _as_pdfa(plain: bytes) -> bytes:
    """Declare PDF/A-2b (sRGB output intent, XMP metadata) and validate what was written."""
    with pikepdf.open(io.BytesIO(plain)) as pdf:
        for page in pdf.pages:
            # reportlab writes an empty page transition, which PDF/A's schema does not know.
            if "/Trans" in page.obj:
                del page.obj["/Trans"]
        out = io.BytesIO()
        try:
            pikepdf.pdfa.save(pdf, out, _PDFA, output_intent="sRGB")
        except pikepdf.pdfa.PdfaError as error:
            findings = sorted({finding.rule for finding in error.report.findings})
            log.warning("searchable PDF kept as plain PDF, PDF/A check failed: %s", findings)
            return plain
    return out.getvalue()


def _text_layer(
    pdf: canvas.Canvas, ocr: PageOcr, *, font: str, scale: float, page_height: float
) -> None:
    """Invisible words (render mode 3), each stretched over its box."""
    for word in ocr.words:
        x0, y0, x1, y1 = word.box
        box_height = max((y1 - y0) * scale, 1.0)
        size = box_height
        natural = pdfmetrics.stringWidth(word.text, font, size)
        if natural <= 0:
            continue
        text = pdf.beginText()
        text.setTextRenderMode(3)
        text.setFont(font, size)
        text.setHorizScale(100.0 * (x1 - x0) * scale / natural)
        # Baseline a fifth of the box above its bottom: descenders sit below the baseline.
        text.setTextOrigin(x0 * scale, page_height - y1 * scale + 0.2 * box_height)
        text.textOut(word.text)
        pdf.drawText(text)
