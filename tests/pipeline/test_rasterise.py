"""sniff() tells formats by their bytes; rasterise() gives pages or a reasoned refusal."""

from __future__ import annotations

import io
import random
from collections.abc import Iterator

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas

from config.errors import Rejected
from pipeline.corpus import white_g4_tiff, white_png
from pipeline.model import PageImage, ReasonCode
from pipeline.stages.rasterise import MAX_PAGE_PIXELS, rasterise, sniff


def blank_page(label: str, size: tuple[int, int] = (600, 800), mode: str = "L") -> Image.Image:
    """A white page with a short label drawn on it."""
    image = Image.new("L", size, 255)
    ImageDraw.Draw(image).text((40, 40), label, fill=0)
    if mode == "L":
        return image
    converted = image.convert(mode)
    image.close()
    return converted


def encode(images: list[Image.Image], fmt: str, **options: object) -> bytes:
    """The images saved in one file of ``fmt`` (several pages when the format allows)."""
    out = io.BytesIO()
    first, *rest = images
    if rest:
        first.save(out, fmt, save_all=True, append_images=rest, **options)
    else:
        first.save(out, fmt, **options)
    for image in images:
        image.close()
    return out.getvalue()


def pdf_of(*sizes: tuple[int, int]) -> bytes:
    """A PDF of white pages of these pixel sizes at 300 dpi, made by Pillow."""
    return encode(
        [blank_page(f"page {i}", size) for i, size in enumerate(sizes, 1)], "PDF", resolution=300
    )


def encrypted_pdf() -> bytes:
    """A one-page PDF that needs a user password to open."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt="userpass")
    pdf.drawString(72, 720, "Konfidentsiaalne")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def reason_of(
    data: bytes, *, dpi: int = 100, max_pages: int = 20, max_pixels: int = 50_000_000
) -> str:
    """The reason rasterise() gives for refusing ``data`` (fails the test if it accepts it)."""
    with pytest.raises(Rejected) as refused:
        pages(data, dpi=dpi, max_pages=max_pages, max_pixels=max_pixels)
    return refused.value.reason


def pages(
    data: bytes, *, dpi: int = 100, max_pages: int = 20, max_pixels: int = 50_000_000
) -> tuple[str, tuple[PageImage, ...]]:
    """The media type and every page, all made (a refusal raises, whichever page it is for)."""
    done = rasterise(data, dpi=dpi, max_pages=max_pages, max_pixels=max_pixels)
    return done.media_type, tuple(done.pages)


def findings(data: bytes) -> tuple[ReasonCode, ...]:
    """What rasterise() says a readable file holds besides its pages."""
    done = rasterise(data, dpi=100, max_pages=20, max_pixels=50_000_000)
    for page in done.pages:
        page.image.close()
    return done.findings


def text_pdf(*, links: bool = False) -> bytes:
    """A one-page text PDF (no page image, so poppler renders it), with a web link if asked."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(144, 192))
    pdf.drawString(20, 100, "Avaldus")
    if links:
        pdf.linkURL("https://www.sotsiaalkindlustusamet.ee/", (20, 90, 120, 110))
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def with_catalog(data: bytes, **entries: pikepdf.Object) -> bytes:
    """The PDF with ``entries`` added to its catalog (each as an indirect object)."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for key, value in entries.items():
            pdf.Root[f"/{key}"] = pdf.make_indirect(value)
        pdf.save(out)
    return out.getvalue()


@pytest.fixture
def closing() -> Iterator[list[PageImage]]:
    """Pages a test made; their images are closed afterwards."""
    made: list[PageImage] = []
    yield made
    for page in made:
        page.image.close()


# --- sniff ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"%PDF-1.7\n...", "application/pdf", id="pdf"),
        pytest.param(b"\r\n\x00junk%PDF-1.4\n", "application/pdf", id="pdf-after-junk"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg", id="jpeg"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", id="png"),
        pytest.param(b"II*\x00\x08\x00\x00\x00", "image/tiff", id="tiff-little-endian"),
        pytest.param(b"MM\x00*\x00\x00\x00\x08", "image/tiff", id="tiff-big-endian"),
        pytest.param(b"<!DOCTYPE html><html>", None, id="html"),
        pytest.param(b"GIF89a", None, id="gif"),
        pytest.param(b"", None, id="empty"),
    ],
)
def test_sniff_tells_the_format_by_magic_bytes(data: bytes, expected: str | None) -> None:
    # When the first bytes are sniffed
    media_type = sniff(data)

    # Then the format is the one those bytes announce
    assert media_type == expected


def test_sniff_ignores_what_a_file_is_called() -> None:
    # Given real PNG bytes, and text that merely mentions other formats
    png = encode([blank_page("x")], "PNG")

    # Then the bytes decide, names inside the content do not
    assert sniff(png) == "image/png"
    assert sniff(b"scan.pdf scan.jpg scan.png scan.tif") is None


# --- accepted files ------------------------------------------------------------------------


def test_a_scanners_pdf_gives_its_own_page_images_and_dpi(
    closing: list[PageImage],
) -> None:
    # Given a 2-page PDF of 600x800 px page images at 300 dpi (2 x 2.67 inches), as a
    # scanner writes it
    data = pdf_of((600, 800), (600, 800))

    # When it is rasterised with 150 dpi asked for
    media_type, result = pages(data, dpi=150)
    closing.extend(result)

    # Then both pages come back, numbered from 1, as the scanner's own 300 dpi pixels
    assert media_type == "application/pdf"
    assert [p.number for p in result] == [1, 2]
    assert all(p.dpi == 300 for p in result)
    assert all(p.image.size == (600, 800) for p in result)
    assert all(p.image.mode in ("L", "RGB") for p in result)


def test_a_text_pdf_is_rendered_at_the_asked_dpi(closing: list[PageImage]) -> None:
    # Given a 2-page PDF with text and no page image, 2 x 2.67 inches
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(144, 192))
    for number in (1, 2):
        pdf.drawString(20, 100, f"Lk {number}/2")
        pdf.showPage()
    pdf.save()

    # When it is rasterised at 150 dpi
    media_type, result = pages(out.getvalue(), dpi=150)
    closing.extend(result)

    # Then it is rendered, in grey, at 150 dpi
    assert media_type == "application/pdf"
    assert [p.number for p in result] == [1, 2]
    assert all(p.dpi == 150 for p in result)
    assert all(p.image.size == (300, 400) for p in result)
    assert all(p.image.mode == "L" for p in result)


def test_a_png_gives_one_page_with_its_dpi(closing: list[PageImage]) -> None:
    # Given a grey PNG that records 200 dpi
    data = encode([blank_page("png")], "PNG", dpi=(200, 200))

    # When it is rasterised
    media_type, result = pages(data)
    closing.extend(result)

    # Then one page at its own size and resolution
    assert media_type == "image/png"
    assert [(p.number, p.image.size, p.dpi, p.image.mode) for p in result] == [
        (1, (600, 800), 200, "L")
    ]


def test_a_jpeg_keeps_its_dpi(closing: list[PageImage]) -> None:
    # Given a colour JPEG that records 300 dpi
    data = encode([blank_page("jpeg", mode="RGB")], "JPEG", dpi=(300, 300))

    # When it is rasterised (the dpi argument is for PDFs only)
    media_type, result = pages(data, dpi=100)
    closing.extend(result)

    # Then the page keeps the file's resolution
    assert media_type == "image/jpeg"
    assert [(p.number, p.image.size, p.dpi, p.image.mode) for p in result] == [
        (1, (600, 800), 300, "RGB")
    ]


def test_an_image_without_dpi_has_none() -> None:
    # Given a PNG that records no resolution
    data = encode([blank_page("no dpi")], "PNG")

    # When it is rasterised
    _, result = pages(data)

    # Then the page's dpi is unknown rather than guessed
    assert [p.dpi for p in result] == [None]
    result[0].image.close()


def test_a_three_frame_tiff_gives_pages_one_to_three(closing: list[PageImage]) -> None:
    # Given a TIFF with three frames, each labelled differently
    frames = [blank_page(f"frame {i}") for i in (1, 2, 3)]
    data = encode(frames, "TIFF", dpi=(300, 300))

    # When it is rasterised
    media_type, result = pages(data)
    closing.extend(result)

    # Then three pages numbered 1..3, each a distinct frame
    assert media_type == "image/tiff"
    assert [p.number for p in result] == [1, 2, 3]
    assert all(p.dpi == 300 for p in result)
    assert len({p.image.tobytes() for p in result}) == 3


def test_a_one_bit_tiff_becomes_eight_bit_grey(closing: list[PageImage]) -> None:
    # Given a bilevel (mode "1") TIFF, as fax-like scanners write
    data = encode([blank_page("bilevel", mode="1")], "TIFF", dpi=(300, 300))

    # When it is rasterised
    _, result = pages(data)
    closing.extend(result)

    # Then the page is 8-bit grey, black text on white kept
    assert [p.image.mode for p in result] == ["L"]
    assert result[0].image.getextrema() == (0, 255)


def test_a_sixteen_bit_grey_scan_keeps_its_dark_text(closing: list[PageImage]) -> None:
    # Given a 16-bit grey PNG: light paper (60000) with a dark bar of text (2000)
    levels = np.full((100, 100), 60000, dtype=np.uint16)
    levels[40:60, 10:90] = 2000
    data = encode([Image.fromarray(levels)], "PNG")

    # When it is rasterised
    _, result = pages(data)
    closing.extend(result)

    # Then the bar is still darker than the paper
    image = result[0].image
    assert image.mode == "L"
    assert image.getpixel((50, 50)) < image.getpixel((5, 5))  # type: ignore[operator]


# --- refused files -------------------------------------------------------------------------


def test_empty_bytes_are_an_empty_file() -> None:
    assert reason_of(b"") == ReasonCode.EMPTY_FILE


def test_random_bytes_are_an_unsupported_format() -> None:
    # Given noise that starts with no known magic
    noise = random.Random(20240601).randbytes(4096)
    assert sniff(noise) is None

    # Then it is refused as unsupported
    assert reason_of(noise) == ReasonCode.UNSUPPORTED_FORMAT


def test_an_html_page_is_an_unsupported_format() -> None:
    # Given an HTML page saved with a .pdf name by a browser
    html = b"<!DOCTYPE html>\n<html><head><title>scan.pdf</title></head><body>404</body></html>"

    # Then it is refused as unsupported
    assert reason_of(html) == ReasonCode.UNSUPPORTED_FORMAT


def test_the_first_half_of_a_pdf_is_unreadable() -> None:
    # Given a PDF cut off in the middle (a copy that stopped)
    data = pdf_of((600, 800), (600, 800))

    # Then it is refused as unreadable, not accepted with missing pages
    assert reason_of(data[: len(data) // 2]) == ReasonCode.UNREADABLE_FILE


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_truncated_image_is_unreadable(fmt: str) -> None:
    # Given an image cut off in the middle of its pixel data
    data = encode([blank_page("cut", mode="RGB")], fmt)

    # Then it is refused as unreadable
    assert reason_of(data[: len(data) // 2]) == ReasonCode.UNREADABLE_FILE


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_an_image_cut_inside_its_header_is_unreadable(fmt: str) -> None:
    # Given only the magic bytes and a little more
    data = encode([blank_page("cut", mode="RGB")], fmt)

    # Then it is refused as unreadable, not unsupported
    assert reason_of(data[:20]) == ReasonCode.UNREADABLE_FILE


def test_an_encrypted_pdf_is_encrypted() -> None:
    # Given a PDF that needs a password to open
    data = encrypted_pdf()

    # Then it is refused as encrypted
    assert reason_of(data) == ReasonCode.ENCRYPTED


def test_a_pdf_with_more_pages_than_allowed_is_too_many_pages() -> None:
    # Given a 3-page PDF and a limit of 2
    data = pdf_of((300, 300), (300, 300), (300, 300))

    # Then it is refused before any page is rendered
    assert reason_of(data, max_pages=2) == ReasonCode.TOO_MANY_PAGES


def test_a_tiff_with_more_frames_than_allowed_is_too_many_pages() -> None:
    # Given a 3-frame TIFF and a limit of 2
    data = encode([blank_page(str(i)) for i in range(3)], "TIFF")

    # Then it is refused
    assert reason_of(data, max_pages=2) == ReasonCode.TOO_MANY_PAGES


def test_an_image_over_the_pixel_limit_is_read_at_a_resolution_that_fits() -> None:
    # Given a 600x800 PNG (480 000 px) scanned at 300 dpi; exactly at the limit it is as is
    data = encode([blank_page("big")], "PNG", dpi=(300, 300))
    _, (same,) = pages(data, max_pixels=600 * 800)
    assert (same.image.size, same.dpi) == ((600, 800), 300)

    # When the limit is one pixel under it
    _, (page,) = pages(data, max_pixels=600 * 800 - 1)

    # Then it is read at half the resolution, which fits, and says so
    assert page.image.size == (300, 400)
    assert page.dpi == 150


@pytest.mark.parametrize("fmt", ["JPEG", "TIFF"])
def test_a_scan_at_twice_the_limit_is_read_not_refused(fmt: str) -> None:
    # Given an A3-sized scan at a resolution that makes it twice the pixel limit
    image = blank_page("A3 at 600 dpi", size=(1400, 1000))
    ImageDraw.Draw(image).rectangle((100, 100, 1300, 900), outline=0, width=9)
    data = encode([image], fmt, dpi=(600, 600))

    # When it is rasterised with a limit of half its pixels
    _, (page,) = pages(data, max_pixels=700_000)

    # Then it is read within the limit, its resolution scaled to match, the frame still dark
    assert page.image.width * page.image.height <= 700_000
    assert page.dpi == round(600 * page.image.width / 1400)
    assert np.asarray(page.image.convert("L")).min() < 100


def test_a_scan_beyond_four_times_the_limit_is_refused() -> None:
    data = encode([blank_page("huge", size=(2100, 2100))], "PNG")
    assert reason_of(data, max_pixels=1_000_000) == ReasonCode.IMAGE_TOO_LARGE


def test_a_pdf_page_whose_image_is_over_the_limit_is_rendered_at_a_resolution_that_fits() -> None:
    # Given a scanner's PDF whose one page is a 1500x1500 image at 300 dpi (5 inches square)
    data = pdf_of((1500, 1500))

    # When it is rasterised at 300 dpi with a limit of a million pixels
    _, (page,) = pages(data, dpi=300, max_pixels=1_000_000)

    # Then the page is rendered at the highest resolution that fits, not refused
    assert page.dpi == 200
    assert page.image.size == (1000, 1000)


def _turned_image_pdf(degrees: float) -> bytes:
    """An A5 page whose one full-page image the content stream places turned by ``degrees``."""
    image = Image.new("L", (1240, 1748), 255)
    ImageDraw.Draw(image).rectangle((100, 100, 1140, 160), fill=0)  # a level bar
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        stream = pdf.make_stream(image.tobytes())
        stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        stream.Width, stream.Height, stream.BitsPerComponent = 1240, 1748, 8
        stream.ColorSpace = pikepdf.Name.DeviceGray
        width, height = 1240 * 72 / 300, 1748 * 72 / 300
        turn = np.radians(degrees)
        cos, sin = float(np.cos(turn)), float(np.sin(turn))
        place = pikepdf.Matrix(width, 0, 0, height, 0, 0) @ pikepdf.Matrix(
            cos, sin, -sin, cos, 0, 0
        )
        content = f"q {' '.join(f'{v:.6f}' for v in place.shorthand)} cm /Im0 Do Q"
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, width, height],
            Contents=pdf.make_stream(content.encode()),
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=stream)),
        )
        pdf.pages.append(pikepdf.Page(page))
        pdf.save(out)
    return out.getvalue()


def test_a_page_whose_image_the_pdf_places_turned_is_read_as_displayed() -> None:
    # Given a scanner-like PDF whose image the content stream turns by 3 degrees
    data = _turned_image_pdf(3.0)

    # When it is rasterised at 150 dpi
    _, (page,) = pages(data, dpi=150)

    # Then the page is rendered as displayed (at the asked resolution), the bar slanted:
    # its two ends lie at different heights
    assert page.dpi == 150
    ink = np.asarray(page.image.convert("L")) < 128
    left, right = ink[:, 100], ink[:, 450]
    assert left.any() and right.any()
    assert abs(int(np.argmax(left)) - int(np.argmax(right))) > 15


def test_a_page_whose_image_the_pdf_places_level_is_taken_as_stored() -> None:
    # Given the same PDF with the image placed level
    _, (page,) = pages(_turned_image_pdf(0.0), dpi=150)
    # Then the scanner's own pixels are taken, at their own resolution
    assert (page.dpi, page.image.size) == (300, (1240, 1748))


def test_a_pdf_page_over_the_pixel_limit_is_too_large() -> None:
    # Given a PDF page of 2 x 2.67 inches, i.e. 200x267 px at 100 dpi
    data = pdf_of((600, 800))

    # Then a limit of 10 000 px refuses it at 100 dpi
    assert reason_of(data, dpi=100, max_pixels=10_000) == ReasonCode.IMAGE_TOO_LARGE


def test_a_large_later_pdf_page_is_too_large() -> None:
    # Given a PDF whose first page is 1 inch square and whose second is 10 inches square
    data = pdf_of((300, 300), (3000, 3000))

    # Then at 100 dpi (100x100 px, then 1000x1000 px) a 200 000 px limit refuses it
    assert reason_of(data, dpi=100, max_pixels=200_000) == ReasonCode.IMAGE_TOO_LARGE


@pytest.mark.parametrize("fmt", ["PDF", "PNG", "JPEG", "TIFF"])
def test_one_page_of_each_format_gives_one_page_numbered_one(
    fmt: str, closing: list[PageImage]
) -> None:
    # Given a one-page file of each format
    data = pdf_of((600, 800)) if fmt == "PDF" else encode([blank_page(fmt, mode="RGB")], fmt)

    # When it is rasterised
    _, result = pages(data)
    closing.extend(result)

    # Then it gives exactly one page, numbered 1
    assert [p.number for p in result] == [1]


# --- hostile files -------------------------------------------------------------------------


def test_a_truncated_tiff_is_unreadable() -> None:
    # Given a compressed TIFF cut off in the middle
    data = encode([blank_page("cut")], "TIFF", compression="tiff_lzw")

    # Then it is refused as unreadable
    assert reason_of(data[: len(data) // 2]) == ReasonCode.UNREADABLE_FILE


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(white_png(50_000, 50_000), id="png"),
        pytest.param(white_g4_tiff(50_000, 50_000), id="g4-tiff"),
    ],
)
def test_a_decompression_bomb_is_too_large_not_decoded(data: bytes) -> None:
    # Given a few hundred KB that decode to 2.5 billion pixels
    assert len(data) < 500_000

    # Then it is refused as too large, from its header, before any pixel is decoded
    assert reason_of(data, max_pixels=180_000_000) == ReasonCode.IMAGE_TOO_LARGE


def test_an_image_within_the_limit_but_over_the_memory_cap_is_read_within_the_cap() -> None:
    # Given a 1-bit PNG one row over the per-page memory cap, and a configured limit above it
    width = 8_000
    data = white_png(width, MAX_PAGE_PIXELS // width + 1)

    # Then it is read within the cap all the same: one page must not take the worker's memory
    _, (page,) = pages(data, max_pixels=10 * MAX_PAGE_PIXELS)
    assert page.image.width * page.image.height <= MAX_PAGE_PIXELS


def test_an_image_beyond_four_times_the_memory_cap_is_too_large() -> None:
    width = 20_000
    data = white_png(width, 4 * MAX_PAGE_PIXELS // width + 1)
    assert reason_of(data, max_pixels=10 * MAX_PAGE_PIXELS) == ReasonCode.IMAGE_TOO_LARGE


def test_a_pdf_holding_a_bomb_image_is_too_large_before_rendering() -> None:
    # Given an A4 PDF page showing one 30 000 x 30 000 px bilevel image (900 M px)
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        image = pdf.make_stream(b"")
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent = 30_000, 30_000, 1
        image.ColorSpace = pikepdf.Name.DeviceGray
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 595, 842],
            Contents=pdf.make_stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
        )
        pdf.pages.append(pikepdf.Page(page))
        pdf.save(out)

    # Then it is refused by the image's declared size (its data is not even there)
    assert reason_of(out.getvalue(), max_pixels=180_000_000) == ReasonCode.IMAGE_TOO_LARGE


def test_a_plain_pdf_has_no_findings() -> None:
    # Given a text PDF with a web link, and a scanner's PDF
    # Then neither holds anything a person must look at first
    assert findings(text_pdf(links=True)) == ()
    assert findings(pdf_of((600, 800))) == ()


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        pytest.param(
            {"OpenAction": pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")},
            ReasonCode.ACTIVE_CONTENT,
            id="javascript-on-open",
        ),
        pytest.param(
            {"OpenAction": pikepdf.Dictionary(S=pikepdf.Name.Launch, F="cmd.exe")},
            ReasonCode.ACTIVE_CONTENT,
            id="launch-on-open",
        ),
        pytest.param(
            {
                "AA": pikepdf.Dictionary(
                    WC=pikepdf.Dictionary(S=pikepdf.Name.SubmitForm, F="https://example.invalid/")
                )
            },
            ReasonCode.ACTIVE_CONTENT,
            id="submit-on-close",
        ),
        pytest.param(
            {"AcroForm": pikepdf.Dictionary(Fields=pikepdf.Array(), XFA="<xdp/>")},
            ReasonCode.ACTIVE_CONTENT,
            id="xfa-form",
        ),
        pytest.param(
            {"Names": pikepdf.Dictionary(EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array()))},
            ReasonCode.EMBEDDED_FILES,
            id="embedded-files-tree",
        ),
    ],
)
def test_active_content_and_attachments_are_found_and_the_pages_still_read(
    entries: dict[str, pikepdf.Object], expected: ReasonCode
) -> None:
    # Given a readable text PDF with an action or an attachment tree in its catalog
    data = with_catalog(text_pdf(), **entries)

    # When it is rasterised
    done = rasterise(data, dpi=100, max_pages=20, max_pixels=50_000_000)
    (page,) = done.pages

    # Then its page is rendered (poppler runs no script) and the finding is named
    assert page.number == 1
    assert done.findings == (expected,)
    page.image.close()


def test_an_attached_file_is_embedded_files() -> None:
    # Given a scanner's PDF with a file attached the way PDF writers attach one
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_of((600, 800)))) as pdf:
        pdf.attachments["lisa.txt"] = pikepdf.AttachedFileSpec(pdf, b"lisa", mime_type="text/plain")
        pdf.save(out)

    # Then it is found
    assert findings(out.getvalue()) == (ReasonCode.EMBEDDED_FILES,)


def test_a_page_that_renders_too_slowly_is_page_too_slow() -> None:
    # Given a text PDF, which poppler must render, and a render limit no process can meet
    data = text_pdf()

    # When its pages are made with a millisecond a page
    done = rasterise(data, dpi=100, max_pages=20, max_pixels=50_000_000, render_seconds=0.001)
    with pytest.raises(Rejected) as refused:
        tuple(done.pages)

    # Then it is refused as too slow (pdftoppm killed), not left running
    assert refused.value.reason == ReasonCode.PAGE_TOO_SLOW


# --- one page at a time --------------------------------------------------------------------


def test_pages_are_made_one_at_a_time_as_they_are_asked_for() -> None:
    # Given a TIFF whose first two frames are fine and whose third is over the pixel limit
    frames = [blank_page("1"), blank_page("2"), blank_page("3", size=(2100, 2100))]
    data = encode(frames, "TIFF", dpi=(300, 300))

    # When it is rasterised with a limit a quarter of the third's, and its pages are asked for
    done = rasterise(data, dpi=100, max_pages=20, max_pixels=1_000_000)
    made = iter(done.pages)
    first, second = next(made), next(made)

    # Then the first two come, and the third is refused only when its turn comes
    assert (first.number, second.number) == (1, 2)
    first.image.close()
    second.image.close()
    with pytest.raises(Rejected) as refused:
        next(made)
    assert refused.value.reason == ReasonCode.IMAGE_TOO_LARGE


@pytest.mark.parametrize("fmt", ["PDF", "TIFF"])
def test_the_pages_can_be_gone_through_twice(fmt: str, closing: list[PageImage]) -> None:
    # Given a 2-page file, rasterised once
    data = (
        pdf_of((600, 800), (600, 800))
        if fmt == "PDF"
        else encode([blank_page("1"), blank_page("2")], "TIFF", dpi=(300, 300))
    )
    done = rasterise(data, dpi=100, max_pages=20, max_pixels=50_000_000)

    # When its pages are gone through twice
    once, twice = list(done.pages), list(done.pages)
    closing.extend(once + twice)

    # Then both times give the same pages, made afresh
    assert [p.number for p in once] == [p.number for p in twice] == [1, 2]
    assert [p.image.tobytes() for p in once] == [p.image.tobytes() for p in twice]


@pytest.mark.parametrize(
    ("recorded", "read"), [(40, 40), (300, 300), (1, None), (5000, None)], ids=str
)
def test_a_jpeg_page_keeps_its_recorded_resolution_unless_it_is_a_placeholder(
    recorded: int, read: int | None
) -> None:
    # A 40 dpi fax-grade scan is 40 dpi (so it is too coarse, not blank); JFIF's "1" is no dpi
    out = io.BytesIO()
    Image.new("L", (331, 468), 255).save(out, "JPEG", dpi=(recorded, recorded))
    _, (page,) = pages(out.getvalue())
    assert page.dpi == read
