"""Build the searchable PDF: each page image with an invisible text layer from its OCR words.

The pages come as JPEG (see :func:`scan_of`), the bytes the PDF embeds, and the file is built
a part of a few dozen pages at a time on disk, so that neither the decoded pages nor the whole
PDF need be in memory at once.
"""

from __future__ import annotations

import hashlib
import io
import logging
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from functools import cache
from importlib.resources import files
from itertools import islice
from pathlib import Path

import pikepdf
import pikepdf.pdfa
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from config.errors import Misconfigured
from pipeline.model import PageImage, PageOcr, PageScan
from pipeline.stages.pixels import assumed_dpi

_FONT = "IntakeText"
_FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/freefont/FreeSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
)
_PDFA = "2b"
_JPEG_QUALITY = 80
# Pages that reportlab holds in memory at once (it writes a PDF only whole): a few dozen
# pages' JPEGs, some MB, whatever the page count.  Most captures are one part.
PAGES_PER_PART = 32

log = logging.getLogger(__name__)


@cache
def _font() -> str:
    """Register a TrueType font covering Latin, Estonian and Cyrillic for the text layer."""
    for path in _FONT_FILES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(_FONT, str(path)))
            return _FONT
    raise Misconfigured("no TrueType font for the PDF text layer: install fonts-dejavu-core")


def scan_of(page: PageImage) -> PageScan:
    """The page's image as the searchable PDF embeds it: JPEG, at its size and resolution."""
    encoded = io.BytesIO()
    page.image.save(encoded, format="JPEG", quality=_JPEG_QUALITY, optimize=True)
    width, height = page.image.size
    return PageScan(page.number, width, height, page.dpi, encoded.getvalue())


def write_searchable_pdf(
    pages: Iterable[PageScan],
    ocr: Iterable[PageOcr | None],
    path: Path,
    *,
    pages_per_part: int = PAGES_PER_PART,
) -> None:
    """Write a PDF/A-2b of the scans with OCR's words as a selectable, searchable text layer.

    Page size follows the scan's resolution, so a page prints at its physical size. The file
    is declared PDF/A-2b and checked by pikepdf's validator on the bytes written; should
    that check ever fail, the plain PDF is kept, because the scan must be archived anyway.
    Parts of ``pages_per_part`` pages are written by reportlab and joined by pikepdf, which
    copies their images from disk as it writes.

    Raises:
        ValueError: When there is no page.
    """
    with tempfile.TemporaryDirectory(prefix="intake-searchable-") as folder:
        parts = _parts(zip(pages, ocr, strict=True), Path(folder), pages_per_part)
        if not parts:
            raise ValueError("a searchable PDF needs a page")
        _join_as_pdfa(parts, path)


def _parts(pages: Iterator[tuple[PageScan, PageOcr | None]], folder: Path, size: int) -> list[Path]:
    """The pages as plain PDFs of ``size`` pages each, written into ``folder``."""
    parts: list[Path] = []
    while batch := list(islice(pages, size)):
        part = folder / f"part-{len(parts):05d}.pdf"
        part.write_bytes(_plain_pdf(batch, folder))
        parts.append(part)
    return parts


def _plain_pdf(pages: Sequence[tuple[PageScan, PageOcr | None]], folder: Path) -> bytes:
    """The pages as one PDF; their JPEGs pass through ``folder`` on the way in."""
    font = _font()
    out = io.BytesIO()
    # The text layer's font is the only one: reportlab's default Helvetica is never embedded.
    pdf = canvas.Canvas(out, pageCompression=1, initialFontName=font)  # type: ignore[arg-type]
    pdf.setCreator("intake")
    pdf.setTitle("Scanned document")
    pdf.setAuthor("")
    pdf.setSubject("")
    images: set[Path] = set()
    for page, page_ocr in pages:
        dpi = page.dpi or assumed_dpi((page.width, page.height))
        scale = 72.0 / dpi
        width, height = page.width * scale, page.height * scale
        pdf.setPageSize((width, height))
        # Drawn from a file, the JPEG goes into the PDF as it is.  Drawn from an ImageReader,
        # reportlab decodes it to RGB to name it, and its memory grows by 26 MB a 300 dpi page.
        # Named by its content, one image serves every page that shows the same (blank backs).
        image = folder / f"image-{hashlib.sha256(page.jpeg).hexdigest()}.jpg"
        image.write_bytes(page.jpeg)
        images.add(image)
        pdf.drawImage(str(image), 0, 0, width=width, height=height)
        if page_ocr is not None:
            _text_layer(pdf, page_ocr, font=font, scale=scale, page_height=height)
        pdf.showPage()
    pdf.save()
    for image in images:
        image.unlink()
    return out.getvalue()


@cache
def _srgb() -> bytes:
    """The sRGB profile pikepdf ships, read once.

    pikepdf reads it from its package folder at every save; a worker that gave up root may
    not reach that folder any more (see ``pipeline.accounts``).
    """
    return (files("pikepdf.pdfa") / "data" / "sRGB.icc").read_bytes()


def _join_as_pdfa(parts: Sequence[Path], path: Path) -> None:
    """Join the parts, declare PDF/A-2b (sRGB output intent, XMP metadata), validate, write."""
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(parts[0]))
        for part in parts[1:]:
            # Open until the file is written: the pages' images are read from it only then.
            pdf.pages.extend(stack.enter_context(pikepdf.open(part)).pages)
        for page in pdf.pages:
            # reportlab writes an empty page transition, which PDF/A's schema does not know.
            if "/Trans" in page.obj:
                del page.obj["/Trans"]
        try:
            pikepdf.pdfa.save(
                pdf, path, _PDFA, output_intent=_srgb(), output_condition_identifier="sRGB"
            )
        except pikepdf.pdfa.PdfaError as error:
            findings = sorted({finding.rule for finding in error.report.findings})
            log.warning("searchable PDF kept as plain PDF, PDF/A check failed: %s", findings)
            pdf.save(path)


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
