"""Turn a file's bytes into page images: poppler for PDF, Pillow for JPEG, PNG and TIFF.

Hostile files are refused before anything large is made: a page's pixel count is checked
from the header (image) or the page size (PDF) before it is decoded or rendered, every image
inside a PDF is sized before poppler touches it, and every poppler run has a time limit.

Pages are made one at a time, as they are asked for: a 300 dpi page is about 9 MB decoded,
so a capture that held all of its pages would need gigabytes at the page limit.
"""

from __future__ import annotations

import io
import math
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pikepdf
from pdf2image import pdfinfo_from_bytes
from pdf2image.exceptions import (
    PDFInfoNotInstalledError,
    PDFPageCountError,
    PDFPopplerTimeoutError,
    PDFSyntaxError,
)
from PIL import Image, ImageOps, UnidentifiedImageError

from config.errors import Misconfigured, Rejected
from pipeline.model import PageImage, ReasonCode
from pipeline.stages.scanned_pdf import embedded_scans, load_scan

PDF = "application/pdf"
_MAGIC = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
# A page's pixels bound the worker's memory: analysing one costs about 10 bytes a pixel
# (measured: an A4 page at 600 dpi, 35 million pixels, took a process holding the worker's
# engine and type model from 250 to 540 MB).  This ceiling holds whatever the configured
# pixel limit says (also 40 million by default), so that no setting lets one page take GBs.
MAX_PAGE_PIXELS = 40_000_000
# A page or image up to this many times the limit is read at a resolution that fits the
# limit (an A3 page scanned at 600 dpi is 70 million pixels); beyond it, it is refused as a
# decompression bomb or a page no scanner makes.
BOMB_FACTOR = 4
MIN_RENDER_DPI = 20  # a page that fits the limit only below this is not a document page
# Poppler's time limits: pdfinfo reads the whole file's structure once; pdftoppm gets this
# much for each page, which it renders alone (a page renders in well under a second).
PDFINFO_SECONDS = 60
RENDER_SECONDS_PER_PAGE = 60
# Actions that run something when a viewer opens or clicks the PDF (poppler runs none).
_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute"}
)
_NESTING = 32  # deeper direct objects than this are not looked into


@dataclass(frozen=True)
class Rasterised:
    """A file's pages, and what else it holds that a person must look at before acceptance.

    ``pages`` makes each page when the iteration reaches it (afresh on every iteration), so
    that whoever reads them one by one holds one decoded page at a time.  What can be told
    without decoding a page (format, page count, page and image sizes, findings) is told by
    ``rasterise`` itself; a page that cannot be made raises ``Rejected`` in its turn.
    """

    media_type: str
    pages: Iterable[PageImage]
    findings: tuple[ReasonCode, ...] = ()


@dataclass(frozen=True)
class _Pages:
    """Pages made by ``make`` on every iteration."""

    make: Callable[[], Iterator[PageImage]]

    def __iter__(self) -> Iterator[PageImage]:
        return self.make()


def sniff(data: bytes) -> str | None:
    """The media type by the file's first bytes (never by its name)."""
    head = data[:1024]
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if b"%PDF-" in head:  # some scanners prepend a few bytes before the header
        return PDF
    return None


def rasterise(
    data: bytes,
    *,
    dpi: int,
    max_pages: int,
    max_pixels: int,
    render_seconds: float = RENDER_SECONDS_PER_PAGE,
) -> Rasterised:
    """Every page of the file as an 8-bit image; ``Rejected`` with a reason when it cannot be.

    A PDF with active content or attached files is rendered all the same (poppler runs no
    script and opens no attachment); ``findings`` names them, so it goes to review.

    Raises:
        Rejected: Here for what the file's structure shows; while ``pages`` is iterated for
            a page that cannot be made (``PAGE_TOO_SLOW``, ``UNREADABLE_FILE``,
            ``IMAGE_TOO_LARGE`` by an embedded image's own header).
    """
    if not data:
        raise Rejected(ReasonCode.EMPTY_FILE)
    media_type = sniff(data)
    if media_type is None:
        raise Rejected(ReasonCode.UNSUPPORTED_FORMAT, "not a PDF, JPEG, PNG or TIFF")
    max_pixels = min(max_pixels, MAX_PAGE_PIXELS)
    if media_type == PDF:
        findings, pages = _pdf_pages(
            data, dpi=dpi, max_pages=max_pages, max_pixels=max_pixels, seconds=render_seconds
        )
        return Rasterised(media_type, pages, findings)
    return Rasterised(media_type, _image_pages(data, max_pages=max_pages, max_pixels=max_pixels))


def _pdf_pages(
    data: bytes, *, dpi: int, max_pages: int, max_pixels: int, seconds: float
) -> tuple[tuple[ReasonCode, ...], Iterable[PageImage]]:
    """What the PDF holds besides its pages, and its pages (made as they are asked for)."""
    try:
        # One pdfinfo run lists the page count and, up to the page limit, each page's size.
        info = pdfinfo_from_bytes(data, first_page=1, last_page=max_pages, timeout=PDFINFO_SECONDS)
    except PDFInfoNotInstalledError as exc:
        raise Misconfigured("poppler's pdfinfo is not installed") from exc
    except PDFPopplerTimeoutError as exc:
        raise Rejected(ReasonCode.UNREADABLE_FILE, "pdfinfo timed out") from exc
    except (PDFPageCountError, PDFSyntaxError, ValueError) as exc:
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise Rejected(ReasonCode.ENCRYPTED) from exc
        raise Rejected(ReasonCode.UNREADABLE_FILE, "pdfinfo cannot read it") from exc
    count = int(info.get("Pages", 0) or 0)
    if count < 1:
        raise Rejected(ReasonCode.UNREADABLE_FILE, "no pages")
    if count > max_pages:
        raise Rejected(ReasonCode.TOO_MANY_PAGES, f"{count} pages")
    sizes, rotated = _page_sizes(info)
    if max(w * h for w, h in sizes.values()) * (dpi / 72.0) ** 2 > max_pixels * BOMB_FACTOR:
        raise Rejected(ReasonCode.IMAGE_TOO_LARGE, "page too large to rasterise")
    findings = pdf_findings(data, max_pixels=max_pixels * BOMB_FACTOR)
    upright = {number: size for number, size in sizes.items() if number not in rotated}
    dpis = {number: fitting_dpi(size, dpi, max_pixels) for number, size in sizes.items()}
    return findings, _Pages(
        partial(
            _pdf_images,
            data,
            count=count,
            upright=upright,
            dpis=dpis,
            dpi=dpi,
            max_pixels=max_pixels,
            seconds=seconds,
        )
    )


def fitting_dpi(size: tuple[float, float], dpi: int, max_pixels: int) -> int:
    """``dpi``, or the highest resolution below it at which a page of ``size`` points fits.

    Raises:
        Rejected: ``IMAGE_TOO_LARGE`` when it fits only below ``MIN_RENDER_DPI``.
    """
    area = max(size[0] * size[1], 1.0) / 72.0**2  # square inches
    if area * dpi**2 <= max_pixels:
        return dpi
    fitting = int(math.sqrt(max_pixels / area))
    if fitting < MIN_RENDER_DPI:
        raise Rejected(ReasonCode.IMAGE_TOO_LARGE, "page too large to read")
    return fitting


def _pdf_images(
    data: bytes,
    *,
    count: int,
    upright: dict[int, tuple[float, float]],
    dpis: dict[int, int],
    dpi: int,
    max_pixels: int,
    seconds: float,
) -> Iterator[PageImage]:
    """The pages one by one: a plain scan's own images, or else each page rendered alone.

    The file is written once to a folder of its own, which goes when the pages are done
    (or given up).  Each page is made by a call that keeps nothing of it here, so only the
    page the caller holds is decoded.
    """
    with tempfile.TemporaryDirectory(prefix="intake-pdf-") as folder:
        pdf = Path(folder) / "in.pdf"
        pdf.write_bytes(data)
        scans = embedded_scans(pdf, Path(folder), pages=count, sizes=upright, max_pixels=max_pixels)
        if scans is not None:
            for number, (path, resolution) in enumerate(scans, start=1):
                yield _normal_page(
                    load_scan(path, number=number, dpi=resolution, max_pixels=max_pixels)
                )
            return
        for number in range(1, count + 1):
            yield _rendered(pdf, number, dpi=dpis.get(number, dpi), seconds=seconds)


def _normal_page(page: PageImage) -> PageImage:
    return PageImage(number=page.number, image=_normal_mode(page.image), dpi=page.dpi)


def _rendered(pdf: Path, number: int, *, dpi: int, seconds: float) -> PageImage:
    """Page ``number`` rendered in grey by pdftoppm, which is killed after ``seconds``."""
    command = ["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-gray"]
    try:
        done = subprocess.run(
            [*command, str(pdf)], capture_output=True, timeout=seconds, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise Rejected(ReasonCode.PAGE_TOO_SLOW, f"page {number}") from exc
    except FileNotFoundError as exc:
        raise Misconfigured("poppler's pdftoppm is not installed") from exc
    except OSError as exc:
        raise Rejected(ReasonCode.UNREADABLE_FILE, "pdftoppm failed") from exc
    # Judged by the image it wrote: poppler reports errors on many a PDF it renders well.
    try:
        with Image.open(io.BytesIO(done.stdout)) as image:
            image.load()
            return PageImage(number=number, image=_normal_mode(image), dpi=dpi)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Rejected(ReasonCode.UNREADABLE_FILE, f"page {number} missing in rendering") from exc


def pdf_findings(data: bytes, *, max_pixels: int) -> tuple[ReasonCode, ...]:
    """Active content and attached files in a PDF; ``Rejected`` for an image over the limit.

    Every object is looked at, referenced or not, with the direct objects inside it: an
    action that runs something (``ACTIVE_CONTENT``: JavaScript, launch, import, submit,
    rich media, XFA forms), an attached file (``EMBEDDED_FILES``), and every image's size
    from its dictionary, before poppler decodes one (a bomb compresses a thousandfold).
    """
    found: set[ReasonCode] = set()
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for obj in pdf.objects:
                _look(obj, found, max_pixels=max_pixels, depth=0)
    except pikepdf.PasswordError as exc:
        raise Rejected(ReasonCode.ENCRYPTED) from exc
    except pikepdf.PdfError as exc:
        raise Rejected(ReasonCode.UNREADABLE_FILE, "PDF structure cannot be read") from exc
    return tuple(
        code for code in (ReasonCode.ACTIVE_CONTENT, ReasonCode.EMBEDDED_FILES) if code in found
    )


def _look(obj: pikepdf.Object, found: set[ReasonCode], *, max_pixels: int, depth: int) -> None:
    """Note what ``obj`` and the direct objects inside it hold (referenced ones are seen apart)."""
    if depth > _NESTING:
        return
    if isinstance(obj, pikepdf.Array):
        for item in obj:
            if isinstance(item, pikepdf.Object) and not item.is_indirect:
                _look(item, found, max_pixels=max_pixels, depth=depth + 1)
        return
    if isinstance(obj, pikepdf.Stream):
        entries = obj.stream_dict
    elif isinstance(obj, pikepdf.Dictionary):
        entries = obj
    else:
        return
    keys = set(entries.keys())
    if "/JS" in keys or "/XFA" in keys or str(entries.get("/S", "")) in _ACTIVE_ACTIONS:
        found.add(ReasonCode.ACTIVE_CONTENT)
    if (
        "/EF" in keys
        or "/EmbeddedFiles" in keys
        or str(entries.get("/Type", "")) == ("/EmbeddedFile")
    ):
        found.add(ReasonCode.EMBEDDED_FILES)
    if str(entries.get("/Subtype", "")) == "/Image":
        pixels = _number(entries.get("/Width")) * _number(entries.get("/Height"))
        if pixels > max_pixels:
            raise Rejected(ReasonCode.IMAGE_TOO_LARGE, "an image in the PDF")
    for _, value in entries.items():
        if isinstance(value, pikepdf.Object) and not value.is_indirect:
            _look(value, found, max_pixels=max_pixels, depth=depth + 1)


def _number(value: object) -> int:
    """An image dimension as a whole number; 0 when it is none."""
    if isinstance(value, int):
        return max(value, 0)
    try:  # an indirect or real number
        return max(int(value), 0) if isinstance(value, pikepdf.Object) else 0
    except (TypeError, ValueError):
        return 0


def _page_sizes(info: dict[str, object]) -> tuple[dict[int, tuple[float, float]], set[int]]:
    """Every page's (width, height) in points, and the pages with a ``/Rotate`` of their own."""
    sizes: dict[int, tuple[float, float]] = {}
    rotated: set[int] = set()
    for key, value in info.items():
        parts = key.split()
        if len(parts) == 3 and parts[0] == "Page" and parts[1].isdigit():
            if parts[2] == "size":
                sizes[int(parts[1])] = _size(str(value))
            elif parts[2] == "rot" and str(value).strip() not in ("0", "0.0"):
                rotated.add(int(parts[1]))
    return sizes or {1: (595.0, 842.0)}, rotated


def _size(text: str) -> tuple[float, float]:
    """Pdfinfo's ``595.276 x 841.89 pts (A4)``; A4 when it cannot be parsed."""
    try:
        width, _, rest = text.partition(" x ")
        return float(width), float(rest.split()[0])
    except (ValueError, IndexError):
        return 595.0, 842.0


@contextmanager
def _pillow_quiet() -> Iterator[None]:
    """Pillow's warnings off, while a page is opened or decoded.

    We check the pixel count ourselves and reject with a reason instead, and judge a broken
    file (corrupt EXIF, ...) by what it decodes.  Only around code that does not yield: a
    generator suspended inside ``catch_warnings`` would leave the filters changed for
    whoever iterates it.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        warnings.simplefilter("ignore", UserWarning)
        yield


def _opened(data: bytes) -> Image.Image:
    """The image file, only its header read.

    Pillow refuses a bomb (twice its own pixel limit) already; the pages' own limit is
    checked by the caller before decoding.
    """
    try:
        return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise Rejected(ReasonCode.IMAGE_TOO_LARGE, "image claims too many pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Rejected(ReasonCode.UNREADABLE_FILE, "image cannot be opened") from exc


def _image_pages(data: bytes, *, max_pages: int, max_pixels: int) -> Iterable[PageImage]:
    """The image's frames as pages, counted now and decoded one by one as they are asked for."""
    with _pillow_quiet(), _opened(data) as image:
        try:
            frames = getattr(image, "n_frames", 1)
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise Rejected(ReasonCode.UNREADABLE_FILE, "image frames cannot be read") from exc
    if frames > max_pages:
        raise Rejected(ReasonCode.TOO_MANY_PAGES, f"{frames} pages")
    return _Pages(partial(_frames, data, frames=frames, max_pixels=max_pixels))


def _frames(data: bytes, *, frames: int, max_pixels: int) -> Iterator[PageImage]:
    for number in range(1, frames + 1):
        yield _frame(data, number, max_pixels=max_pixels)


def _frame(data: bytes, number: int, *, max_pixels: int) -> PageImage:
    """Frame ``number`` of the image, its size checked before its pixels are decoded.

    The file is opened afresh for each frame, so that no decoded frame stays behind in an
    open image while the page is being read.
    """
    with _pillow_quiet(), _opened(data) as image:
        try:
            image.seek(number - 1)  # reads the frame's header only
        except Exception as exc:  # whatever a decoder raises on broken data: unreadable
            raise Rejected(ReasonCode.UNREADABLE_FILE, "image frame cannot be read") from exc
        width, height = image.size
        if width * height > max_pixels * BOMB_FACTOR:
            raise Rejected(ReasonCode.IMAGE_TOO_LARGE, f"{width}x{height}")
        dpi = _dpi_of(image)
        try:
            if width * height > max_pixels:
                # A JPEG decodes straight to a half, quarter or eighth of its size.
                image.draft(image.mode, _fitting_size(image.size, max_pixels))
            image.load()
            fitted = _fitted(image, max_pixels)
            upright = ImageOps.exif_transpose(fitted)
        except Exception as exc:  # a truncated or corrupt stream, a bad EXIF block: unreadable
            raise Rejected(ReasonCode.UNREADABLE_FILE, "image data is broken") from exc
        if dpi is not None and fitted.width != width:
            dpi = max(1, round(dpi * fitted.width / width))
        return PageImage(number=number, image=_normal_mode(upright), dpi=dpi)


def _fitting_size(size: tuple[int, int], max_pixels: int) -> tuple[int, int]:
    """``size`` scaled down to fit ``max_pixels``."""
    scale = math.sqrt(max_pixels / (size[0] * size[1]))
    return max(1, int(size[0] * scale)), max(1, int(size[1] * scale))


def _fitted(image: Image.Image, max_pixels: int) -> Image.Image:
    """``image``, reduced by a whole factor until it fits ``max_pixels``."""
    width, height = image.size
    if width * height <= max_pixels:
        return image
    factor = math.ceil(math.sqrt(width * height / max_pixels))
    while (width // factor) * (height // factor) > max_pixels:
        factor += 1
    if image.mode == "1":  # reduce averages grey levels; bilevel pages are read in grey
        image = image.convert("L")
    return image.reduce(factor)


MIN_RECORDED_DPI, MAX_RECORDED_DPI = 10, 2400


def _dpi_of(image: Image.Image) -> int | None:
    """The resolution recorded in the file; ``None`` when absent or implausible."""
    dpi = image.info.get("dpi")
    if not dpi:
        return None
    try:
        value = round(float(dpi[0]))
    except (TypeError, ValueError, IndexError):
        return None
    # A fax-grade or phone scan may truly be 40 dpi; below 10 a value is a placeholder (JFIF
    # files often say 1, meaning "square pixels, size unknown").
    return value if MIN_RECORDED_DPI <= value <= MAX_RECORDED_DPI else None


def _normal_mode(image: Image.Image) -> Image.Image:
    """8-bit grey or RGB, the modes every later stage accepts."""
    if image.mode in ("L", "RGB"):
        return image.copy()
    if image.mode in ("I", "F") or image.mode.startswith("I;"):
        # Deep grey (16-bit scans): scale to 8 bits; Pillow's convert would clip to white.
        # In place, in single precision: one working copy of 4 bytes a pixel, not three of 8.
        pixels = np.array(image, dtype=np.float32)
        low, high = float(pixels.min()), float(pixels.max())
        top = 65535.0 if image.mode.startswith("I;16") else max(high, 1.0)
        base = 0.0 if image.mode.startswith("I;16") or low >= 0 else low
        pixels -= base
        pixels *= 255.0 / max(top - base, 1.0)
        np.clip(pixels, 0, 255, out=pixels)
        return Image.fromarray(pixels.astype(np.uint8), mode="L")
    if image.mode == "1":
        return image.convert("L")
    return image.convert("RGB")
