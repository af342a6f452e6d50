"""Turn a file's bytes into page images: pdf2image for PDF, Pillow for JPEG, PNG and TIFF."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

import numpy as np
from pdf2image import convert_from_bytes, pdfinfo_from_bytes
from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFSyntaxError
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from config.errors import Misconfigured, Rejected
from pipeline.model import PageImage, ReasonCode
from pipeline.stages.scanned_pdf import embedded_scans

PDF = "application/pdf"
_MAGIC = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


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
    data: bytes, *, dpi: int, max_pages: int, max_pixels: int
) -> tuple[str, tuple[PageImage, ...]]:
    """Every page of the file as an 8-bit image; ``Rejected`` with a reason when it cannot be."""
    if not data:
        raise Rejected(ReasonCode.EMPTY_FILE)
    media_type = sniff(data)
    if media_type is None:
        raise Rejected(ReasonCode.UNSUPPORTED_FORMAT, "not a PDF, JPEG, PNG or TIFF")
    if media_type == PDF:
        return media_type, tuple(
            _pdf_pages(data, dpi=dpi, max_pages=max_pages, max_pixels=max_pixels)
        )
    return media_type, tuple(_image_pages(data, max_pages=max_pages, max_pixels=max_pixels))


def _pdf_pages(data: bytes, *, dpi: int, max_pages: int, max_pixels: int) -> Iterator[PageImage]:
    try:
        # One pdfinfo run lists the page count and, up to the page limit, each page's size.
        info = pdfinfo_from_bytes(data, first_page=1, last_page=max_pages)
    except PDFInfoNotInstalledError as exc:
        raise Misconfigured("poppler's pdfinfo is not installed") from exc
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
    if max(w * h for w, h in sizes.values()) * (dpi / 72.0) ** 2 > max_pixels:
        raise Rejected(ReasonCode.IMAGE_TOO_LARGE, "page too large to rasterise")
    upright = {number: size for number, size in sizes.items() if number not in rotated}
    scans = embedded_scans(data, pages=count, sizes=upright)
    if scans is not None:
        for scan in scans:
            width, height = scan.image.size
            if width * height > max_pixels:
                raise Rejected(ReasonCode.IMAGE_TOO_LARGE, f"{width}x{height}")
            yield PageImage(number=scan.number, image=_normal_mode(scan.image), dpi=scan.dpi)
        return
    for first in range(1, count + 1, 8):
        last = min(first + 7, count)
        try:
            images = convert_from_bytes(
                data,
                dpi=dpi,
                first_page=first,
                last_page=last,
                thread_count=1,
                timeout=600,
                grayscale=True,
            )
        except (PDFPageCountError, PDFSyntaxError, ValueError, OSError) as exc:
            raise Rejected(ReasonCode.UNREADABLE_FILE, "pdftoppm failed") from exc
        if len(images) != last - first + 1:
            raise Rejected(ReasonCode.UNREADABLE_FILE, "pages missing in rendering")
        for offset, image in enumerate(images):
            yield PageImage(number=first + offset, image=_normal_mode(image), dpi=dpi)


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


def _image_pages(data: bytes, *, max_pages: int, max_pixels: int) -> Iterator[PageImage]:
    with warnings.catch_warnings():
        # We check the pixel count ourselves and reject with a reason instead.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            raise Rejected(ReasonCode.UNREADABLE_FILE, "image cannot be opened") from exc
        with image:
            frames = getattr(image, "n_frames", 1)
            if frames > max_pages:
                raise Rejected(ReasonCode.TOO_MANY_PAGES, f"{frames} pages")
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                width, height = frame.size
                if width * height > max_pixels:
                    raise Rejected(ReasonCode.IMAGE_TOO_LARGE, f"{width}x{height}")
                try:
                    frame.load()
                    page = _normal_mode(ImageOps.exif_transpose(frame))
                except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
                    raise Rejected(ReasonCode.UNREADABLE_FILE, "image data is broken") from exc
                yield PageImage(number=number, image=page, dpi=_dpi_of(frame))


def _dpi_of(image: Image.Image) -> int | None:
    """The resolution recorded in the file; ``None`` when absent or implausible."""
    dpi = image.info.get("dpi")
    if not dpi:
        return None
    try:
        value = round(float(dpi[0]))
    except (TypeError, ValueError, IndexError):
        return None
    return value if 50 <= value <= 2400 else None


def _normal_mode(image: Image.Image) -> Image.Image:
    """8-bit grey or RGB, the modes every later stage accepts."""
    if image.mode in ("L", "RGB"):
        return image.copy()
    if image.mode in ("I", "F") or image.mode.startswith("I;"):
        # Deep grey (16-bit scans): scale to 8 bits; Pillow's convert would clip to white.
        pixels = np.asarray(image, dtype=np.float64)
        low, high = float(pixels.min()), float(pixels.max())
        top = 65535.0 if image.mode.startswith("I;16") else max(high, 1.0)
        base = 0.0 if image.mode.startswith("I;16") or low >= 0 else low
        scaled = (pixels - base) * (255.0 / max(top - base, 1.0))
        return Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8), mode="L")
    if image.mode == "1":
        return image.convert("L")
    return image.convert("RGB")
