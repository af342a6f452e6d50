"""process_capture(): pages read one at a time, and what it keeps of them for the archive."""

from __future__ import annotations

import io
import random
from dataclasses import replace
from pathlib import Path

from PIL import Image

from config.settings import ProcessConfig
from pipeline.corpus import ScanSpec, blank_page, render_document, scanned, write_sample
from pipeline.engines.base import OcrEngine
from pipeline.model import ReasonCode
from pipeline.run import process_capture

DPI = 150


def tiff(pages: list[Image.Image]) -> bytes:
    """The pages as one multi-frame TIFF at ``DPI``; the images are closed."""
    out = io.BytesIO()
    first, *rest = pages
    first.save(out, "TIFF", save_all=True, append_images=rest, dpi=(DPI, DPI))
    for page in pages:
        page.close()
    return out.getvalue()


def blank_backs(count: int) -> list[Image.Image]:
    """Blank A4 pages as a duplex scanner gives them, at ``DPI``."""
    rng = random.Random("run-blank-backs")
    return [blank_page(rng, dpi=DPI, kind="punch_holes")[0] for _ in range(count)]


def test_every_page_is_kept_as_the_jpeg_of_its_normalised_image(
    engine: OcrEngine, config: ProcessConfig
) -> None:
    # Given a 3-page scan of blank backs (read without OCR)
    data = tiff(blank_backs(3))

    # When it is processed
    processed = process_capture(data, engine=engine, config=config, model=None)

    # Then each page is kept as a JPEG of the size and resolution its result reports
    pages = processed.result.pages
    assert [p.number for p in pages] == [1, 2, 3]
    assert all(p.blank for p in pages)
    assert [(s.number, s.width, s.height, s.dpi) for s in processed.images] == [
        (p.number, p.width, p.height, p.dpi) for p in pages
    ]
    for scan in processed.images:
        with Image.open(io.BytesIO(scan.jpeg)) as image:
            assert (image.format, image.size) == ("JPEG", (scan.width, scan.height))


def test_a_page_that_cannot_be_made_refuses_the_whole_capture_after_others_were_read(
    engine: OcrEngine, config: ProcessConfig
) -> None:
    # Given a TIFF whose first two pages are fine and whose third is over four times the limit
    # (its size is only seen when its turn comes, after the first two were read)
    pages = [*blank_backs(2), Image.new("L", (3200, 3200), 255)]
    data = tiff(pages)
    limited = replace(config, max_image_pixels=2_500_000)  # 10.2 Mpx: more than four times

    # When it is processed
    processed = process_capture(data, engine=engine, config=limited, model=None)

    # Then the capture is refused whole, as before any page was read: no page, one reason
    result = processed.result
    assert [r.code for r in result.verdict.reasons] == [ReasonCode.IMAGE_TOO_LARGE]
    assert result.pages == ()
    assert result.documents == ()
    assert processed.images == ()


def test_a_coarse_40_dpi_scan_is_too_coarse_not_blank(
    tmp_path: Path, engine: OcrEngine, config: ProcessConfig
) -> None:
    # Given a form scanned at 40 dpi, saved as a JPEG that records its resolution
    sample = render_document(random.Random(61), document_type="medical_certificate")
    coarse = ScanSpec(degradations=(("low_resolution", "severe"),))
    sample = scanned(sample, random.Random(61), [coarse])
    path = write_sample(sample, tmp_path / "scan", "jpeg")
    # When it is processed
    result = process_capture(path.read_bytes(), engine=engine, config=config, model=None).result
    # Then its page is read as the 40 dpi page it is: too coarse to read, not a blank back
    (page,) = result.pages
    assert page.dpi == 40
    assert not page.blank
    assert (ReasonCode.LOW_RESOLUTION, 1) in {(r.code, r.page) for r in result.verdict.reasons}
