"""Hostile and broken files, made on the fly, each with the reason intake must give for it.

Scanners, copy tools and people put more than scans into a drop folder: empty files, copies
cut short, password-protected or scripted PDFs, images that claim billions of pixels, files
under a wrong name, web pages saved as ``.pdf``.  :func:`hostile_files` writes one of each
into a folder, small on disk (the largest is a few hundred KB: the bombs are real, but made
of long runs that compress a thousandfold), and says what intake must answer for each with
its default limits (300 dpi, 500 pages, 180 million pixels a page).  The tests and the chaos
suite drop them on a running pipeline; each must end in review with its reason code, its
original kept, and the worker alive.
"""

from __future__ import annotations

import hashlib
import io
import random
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image

from pipeline.corpus._layout import A4_MM
from pipeline.model import ReasonCode

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
_POINTS_PER_MM = 72 / 25.4
_A4_POINTS = (round(A4_MM[0] * _POINTS_PER_MM), round(A4_MM[1] * _POINTS_PER_MM))
BOMB_SIDE = 50_000  # pixels: 2.5 billion of them, 2.5 GB once decoded
HUGE_SIDE = 20_000  # pixels: a page of 400 million, beyond any limit
MANY_PAGES = 10_000


@dataclass(frozen=True)
class HostileFile:
    """One hostile file and what intake must make of it.

    Attributes:
        path: Where it was written; the name may lie about the content.
        reason: The reason code it must go to review with; ``None`` for a good scan under a
            wrong name, which is read by its content and judged on its merits.
        media_type: What its bytes are (``None`` when they are no format intake reads).
        pages: How many pages intake must read from it (0 when it is refused unread).
    """

    path: Path
    reason: ReasonCode | None
    media_type: str | None
    pages: int


def hostile_files(
    folder: Path, *, scan: Image.Image | None = None, salt: str = "", dpi: int = 300
) -> dict[str, HostileFile]:
    """Write every hostile file into ``folder``; returns them by a short name.

    Args:
        folder: Where to write (created when missing).
        scan: The page image to put into the files that hold a readable page (the wrong-
            extension files, the scripted and the attaching PDFs, the cut-off copies), e.g.
            ``render_document(...).pages[0]``; by default a signed one-page Estonian
            application rendered from the salt.
        salt: Mixed into every file but the empty one, so that files made for different
            tests are different bytes (the same bytes twice are one capture).
        dpi: The resolution intake renders PDF pages at; the huge PDF page is huge at it.

    Returns:
        Name → file, for: ``empty``, ``truncated_pdf``, ``truncated_jpeg``, ``truncated_tiff``,
        ``encrypted_pdf``, ``javascript_pdf``, ``launch_pdf``, ``attachment_pdf``,
        ``bomb_png``, ``bomb_tiff``, ``bomb_in_pdf``, ``many_pages_pdf``, ``huge_page_pdf``,
        ``huge_image_png``, ``png_named_pdf``, ``pdf_named_jpg``, ``random_bytes``,
        ``html_named_pdf``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if scan is None:
        scan = _default_scan(salt)
    page = scan.convert("L") if scan.mode not in ("L", "RGB") else scan
    scan_dpi = _dpi_of(scan, dpi)
    scan_pdf = _scan_pdf(page, scan_dpi, salt)
    tag = salt.encode()
    made: dict[str, tuple[str, bytes, ReasonCode | None, str | None, int]] = {
        "empty": ("empty.pdf", b"", ReasonCode.EMPTY_FILE, None, 0),
        "truncated_pdf": (
            "truncated.pdf",
            _cut(_two_page_pdf(page, scan_dpi, salt)),
            ReasonCode.UNREADABLE_FILE,
            PDF,
            0,
        ),
        "truncated_jpeg": (
            "truncated.jpg",
            _cut(_encoded(page, "JPEG", scan_dpi, salt)),
            ReasonCode.UNREADABLE_FILE,
            JPEG,
            0,
        ),
        "truncated_tiff": (
            "truncated.tif",
            _cut(_encoded(_marked(page, salt), "TIFF", scan_dpi, salt)),
            ReasonCode.UNREADABLE_FILE,
            TIFF,
            0,
        ),
        "encrypted_pdf": (
            "encrypted.pdf",
            _encrypted(scan_pdf),
            ReasonCode.ENCRYPTED,
            PDF,
            0,
        ),
        "javascript_pdf": (
            "javascript.pdf",
            _with_open_action(
                scan_pdf, pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1);")
            ),
            ReasonCode.ACTIVE_CONTENT,
            PDF,
            1,
        ),
        "launch_pdf": (
            "launch.pdf",
            _with_open_action(
                scan_pdf,
                pikepdf.Dictionary(
                    S=pikepdf.Name.Launch,
                    Win=pikepdf.Dictionary(F="cmd.exe", P="/c exit"),
                ),
            ),
            ReasonCode.ACTIVE_CONTENT,
            PDF,
            1,
        ),
        "attachment_pdf": (
            "attachment.pdf",
            _with_attachment(scan_pdf, b"payload " + tag),
            ReasonCode.EMBEDDED_FILES,
            PDF,
            1,
        ),
        "bomb_png": (
            "bomb.png",
            white_png(BOMB_SIDE, BOMB_SIDE, salt=salt),
            ReasonCode.IMAGE_TOO_LARGE,
            PNG,
            0,
        ),
        "bomb_tiff": (
            "bomb.tif",
            white_g4_tiff(BOMB_SIDE, BOMB_SIDE, salt=salt),
            ReasonCode.IMAGE_TOO_LARGE,
            TIFF,
            0,
        ),
        "bomb_in_pdf": (
            "bomb-inside.pdf",
            _bomb_pdf(BOMB_SIDE, salt),
            ReasonCode.IMAGE_TOO_LARGE,
            PDF,
            0,
        ),
        "many_pages_pdf": (
            "many-pages.pdf",
            many_page_pdf(MANY_PAGES, salt=salt),
            ReasonCode.TOO_MANY_PAGES,
            PDF,
            0,
        ),
        "huge_page_pdf": (
            "huge-page.pdf",
            _blank_pdf(HUGE_SIDE * 72.0 / dpi, salt),
            ReasonCode.IMAGE_TOO_LARGE,
            PDF,
            0,
        ),
        "huge_image_png": (
            "huge-image.png",
            white_png(HUGE_SIDE, HUGE_SIDE, salt=salt),
            ReasonCode.IMAGE_TOO_LARGE,
            PNG,
            0,
        ),
        "png_named_pdf": (
            "scan-png.pdf",
            _encoded(page, "PNG", scan_dpi, salt),
            None,
            PNG,
            1,
        ),
        "pdf_named_jpg": ("scan-pdf.jpg", scan_pdf, None, PDF, 1),
        "random_bytes": (
            "random.tif",
            _random_bytes(salt),
            ReasonCode.UNSUPPORTED_FORMAT,
            None,
            0,
        ),
        "html_named_pdf": (
            "page.pdf",
            _html(salt),
            ReasonCode.UNSUPPORTED_FORMAT,
            None,
            0,
        ),
    }
    files: dict[str, HostileFile] = {}
    for key, (name, data, reason, media_type, pages) in made.items():
        path = folder / name
        path.write_bytes(data)
        files[key] = HostileFile(path, reason, media_type, pages)
    return files


def _default_scan(salt: str) -> Image.Image:
    """A signed one-page application, as a scanner gives it."""
    from pipeline.corpus import person_code, render_document  # the package imports this one

    rng = random.Random(f"hostile-scan-{salt}")
    sample = render_document(
        rng, pages=1, language="est", person_codes=[person_code(rng)], signed=True
    )
    return sample.pages[0]


def _dpi_of(image: Image.Image, default: int) -> int:
    dpi = image.info.get("dpi")
    return round(float(dpi[0])) if dpi else default


def _cut(data: bytes) -> bytes:
    """The first half: a copy that stopped in the middle."""
    return data[: len(data) // 2]


def _marked(page: Image.Image, salt: str) -> Image.Image:
    """A copy of the page whose first pixels spell the salt's hash.

    For a format whose tags come after the pixels (Pillow's TIFF): the first half of the
    file then differs with the salt too.
    """
    marked = page.convert("L")  # a copy
    digest = hashlib.sha256(salt.encode()).digest()
    marked.paste(Image.frombytes("L", (len(digest), 1), digest), (0, 0))
    return marked


def _encoded(page: Image.Image, fmt: str, dpi: int, salt: str) -> bytes:
    """The page as one image file; the salt goes into a comment the format keeps."""
    out = io.BytesIO()
    if fmt == "PNG":
        from PIL import PngImagePlugin

        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", salt)
        page.save(out, "PNG", dpi=(dpi, dpi), pnginfo=info)
    elif fmt == "JPEG":
        page.save(out, "JPEG", dpi=(dpi, dpi), quality=85, comment=salt.encode())
    else:
        page.save(out, "TIFF", dpi=(dpi, dpi), description=salt, compression="tiff_lzw")
    return out.getvalue()


def _saved(pdf: pikepdf.Pdf) -> bytes:
    """The PDF compact (object streams), its streams written as they are, never re-coded."""
    out = io.BytesIO()
    pdf.save(
        out,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
    )
    return out.getvalue()


def _scan_pdf(page: Image.Image, dpi: int, salt: str) -> bytes:
    """A scanner's PDF: one page, one JPEG of the page at its resolution."""
    out = io.BytesIO()
    page.save(out, "PDF", resolution=float(dpi), quality=85, subject=salt)
    return out.getvalue()


def _two_page_pdf(page: Image.Image, dpi: int, salt: str) -> bytes:
    """The scan twice over, so that half the file ends inside the second page."""
    out = io.BytesIO()
    page.save(out, "PDF", resolution=float(dpi), quality=85, save_all=True, append_images=[page])
    with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
        pdf.docinfo["/Subject"] = salt
        out = io.BytesIO()
        pdf.save(out)  # classic layout: the cross-reference table at the end
    return out.getvalue()


def _encrypted(data: bytes) -> bytes:
    """The PDF locked with a password to open it (AES-256)."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner", R=6))
    return out.getvalue()


def _with_open_action(data: bytes, action: pikepdf.Dictionary) -> bytes:
    """The PDF with ``action`` run when it is opened (by viewers that run actions)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.Root.OpenAction = pdf.make_indirect(action)
        return _saved(pdf)


def _with_attachment(data: bytes, payload: bytes) -> bytes:
    """The PDF with a file attached to the document."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(
            pdf, payload, mime_type="text/plain"
        )
        return _saved(pdf)


def _white_rows(row: bytes, height: int) -> bytes:
    """``height`` copies of ``row`` as a zlib stream, made without compressing them all.

    A block of rows is deflated once, flushed to a byte boundary with nothing carried over,
    and that output repeated: the stream is valid and made in a fraction of a second.
    """
    per_block = max(1, (1 << 22) // len(row))  # about 4 MB of rows at a time
    block = row * per_block
    whole, rest = divmod(height, per_block)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeated = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = packer.compress(row * rest) + packer.flush(zlib.Z_FINISH)
    checksum = 1
    for _ in range(whole):
        checksum = zlib.adler32(block, checksum)
    checksum = zlib.adler32(row * rest, checksum)
    return b"\x78\xda" + repeated * whole + tail + struct.pack(">I", checksum)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def white_png(width: int, height: int, *, salt: str = "") -> bytes:
    """A white bilevel PNG of ``width`` x ``height`` pixels, every pixel really there.

    One bit a pixel, deflated a thousandfold: 50 000 x 50 000 pixels are about 300 KB on
    disk and 2.5 GB once a decoder gives them a byte each.
    """
    row = b"\x00" + b"\xff" * ((width + 7) // 8)  # filter "none", then white bits
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"tEXt", b"Comment\x00" + salt.encode("latin-1", "replace"))
        + _png_chunk(b"IDAT", _white_rows(row, height))
        + _png_chunk(b"IEND", b"")
    )


def white_g4_tiff(width: int, height: int, *, salt: str = "", dpi: int = 300) -> bytes:
    """A white bilevel TIFF of ``width`` x ``height`` pixels in CCITT Group 4 (fax) coding.

    Group 4 codes a white line under a white line with one bit, so 50 000 x 50 000 pixels
    are 6 KB on disk: the strongest decompression bomb a scanner's format allows.
    """
    # Each row: vertical mode V0 ("1").  Then EOFB: two EOL codes (000000000001 twice).
    bits = "1" * height + "000000000001" * 2
    bits += "0" * (-len(bits) % 8)
    strip = int(bits, 2).to_bytes(len(bits) // 8, "big")
    description = salt.encode("ascii", "replace") + b"\x00"
    entries: list[tuple[int, int, int, int | bytes]] = [
        (256, 4, 1, width),  # ImageWidth, LONG
        (257, 4, 1, height),  # ImageLength
        (258, 3, 1, 1),  # BitsPerSample, SHORT
        (259, 3, 1, 4),  # Compression: CCITT T.6
        (262, 3, 1, 0),  # Photometric: WhiteIsZero
        (270, 2, len(description), description),  # ImageDescription, ASCII
        (273, 4, 1, 0),  # StripOffsets (filled in below)
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 4, 1, height),  # RowsPerStrip
        (279, 4, 1, len(strip)),  # StripByteCounts
        (282, 5, 1, struct.pack("<II", dpi, 1)),  # XResolution, RATIONAL
        (283, 5, 1, struct.pack("<II", dpi, 1)),  # YResolution
        (296, 3, 1, 2),  # ResolutionUnit: inch
    ]
    ifd_size = 2 + 12 * len(entries) + 4
    extra_at = 8 + ifd_size
    extra = b""
    offsets: dict[int, int] = {}
    for tag, _, _, value in entries:
        if isinstance(value, bytes) and len(value) > 4:
            offsets[tag] = extra_at + len(extra)
            extra += value + b"\x00" * (len(value) % 2)
    strip_at = extra_at + len(extra)
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        if tag == 273:
            value = strip_at
        if tag in offsets:
            field = struct.pack("<I", offsets[tag])
        elif isinstance(value, bytes):
            field = value.ljust(4, b"\x00")
        elif kind == 3:
            field = struct.pack("<HH", value, 0)
        else:
            field = struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, count) + field
    ifd += struct.pack("<I", 0)  # no next IFD
    return b"II*\x00" + struct.pack("<I", 8) + ifd + extra + strip


def _page(pdf: pikepdf.Pdf, width: float, height: float, contents: pikepdf.Object) -> None:
    pdf.pages.append(
        pikepdf.Page(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, width, height],
                Contents=contents,
                Resources=pikepdf.Dictionary(),
            )
        )
    )


def _blank_pdf(side_points: float, salt: str) -> bytes:
    """One blank square page of ``side_points`` points."""
    pdf = pikepdf.new()
    _page(pdf, side_points, side_points, pdf.make_stream(b""))
    pdf.docinfo["/Subject"] = salt
    return _saved(pdf)


def many_page_pdf(count: int, *, salt: str = "") -> bytes:
    """A PDF of ``count`` blank A4 pages sharing one content stream (10 000 are ~100 KB)."""
    pdf = pikepdf.new()
    contents = pdf.make_stream(b"")
    width, height = _A4_POINTS
    kids = pikepdf.Array()
    pages = pdf.Root.Pages
    for _ in range(count):
        kids.append(
            pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Page,
                    Parent=pages,
                    MediaBox=[0, 0, width, height],
                    Contents=contents,
                    Resources=pikepdf.Dictionary(),
                )
            )
        )
    pages.Kids = kids
    pages.Count = count
    pdf.docinfo["/Subject"] = salt
    return _saved(pdf)


def _bomb_pdf(side: int, salt: str) -> bytes:
    """An A4 page showing one white bilevel image of ``side`` x ``side`` pixels.

    It looks like a scanner's PDF (one image covering the page), at some 6 000 ppi.
    """
    pdf = pikepdf.new()
    row = b"\xff" * ((side + 7) // 8)
    image = pdf.make_stream(_white_rows(row, side))
    image.Type = pikepdf.Name.XObject
    image.Subtype = pikepdf.Name.Image
    image.Width = side
    image.Height = side
    image.BitsPerComponent = 1
    image.ColorSpace = pikepdf.Name.DeviceGray
    image.Filter = pikepdf.Name.FlateDecode
    width, height = _A4_POINTS
    contents = pdf.make_stream(f"q {width} 0 0 {height} 0 0 cm /Im0 Do Q".encode())
    _page(pdf, width, height, contents)
    pdf.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    pdf.docinfo["/Subject"] = salt
    return _saved(pdf)


def _random_bytes(salt: str) -> bytes:
    """64 KB of noise that starts with no known file signature."""
    data = random.Random(f"hostile-random-{salt}").randbytes(65_536)
    return b"\x00" + data[1:]  # no format intake reads starts with a zero byte


def _html(salt: str) -> bytes:
    """A web page (a file server's error page) saved under a ``.pdf`` name."""
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>scan.pdf</title></head>"
        f"<body><h1>404 Not Found</h1><p>The document was not found.</p><!-- {salt} -->"
        "</body></html>\n"
    ).encode()
