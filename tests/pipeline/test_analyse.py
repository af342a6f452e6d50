"""Pages are made right before OCR: turned upright, levelled, blanks and illegible pages found."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

from config.settings import load_settings
from pipeline.corpus import (
    ScanSpec,
    blank_page,
    fonts,
    print_copy_page,
    render_document,
    scan_page,
)
from pipeline.engines.base import OcrEngine
from pipeline.model import PageImage, ReasonCode
from pipeline.stages.analyse import OCR_DECIDES, OCR_MARGIN, AnalysedPage, analyse_page, turned_over
from pipeline.stages.ocr import script_of, tidy_word

CODE = "49403136526"


def _scanned(seed: int, spec: ScanSpec, *, language: str = "est") -> tuple[Image.Image, int]:
    rng = random.Random(seed)
    sample = render_document(rng, pages=1, language=language, person_codes=[CODE])
    image, _truth = scan_page(sample.pages[0], sample.truth[0], rng, spec)
    return image, round(image.info.get("dpi", (300, 300))[0])


def _analyse(image: Image.Image, dpi: int, engine: OcrEngine) -> AnalysedPage:
    config = load_settings().process()
    return analyse_page(PageImage(1, image, dpi), engine=engine, config=config, timings={})


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_turned_page_comes_back_upright(rotation: int, engine: OcrEngine) -> None:
    # Given a page turned on the scanner
    image, dpi = _scanned(1, ScanSpec(rotation=rotation))
    # When it is analysed
    page = _analyse(image, dpi, engine)
    # Then the turn is reported, the page is read upright, and the person code is found
    assert page.result.rotation == rotation
    assert page.image.image.height > page.image.image.width
    assert CODE in page.result.ocr.text
    assert page.reasons == ()


@pytest.mark.parametrize("skew", [3.0, -3.0, 0.7])
def test_a_skewed_page_is_levelled(skew: float, engine: OcrEngine) -> None:
    image, dpi = _scanned(2, ScanSpec(skew_degrees=skew))
    page = _analyse(image, dpi, engine)
    # Then the measured skew is within 0.1 degree, counter-clockwise positive
    assert page.result.skew_degrees is not None
    assert abs(page.result.skew_degrees - skew) < 0.1
    assert CODE in page.result.ocr.text


@pytest.mark.parametrize("kind", ["clean", "noise", "punch_holes", "bleed_through", "dust"])
def test_a_blank_back_is_flagged_blank_and_not_read(kind: str, engine: OcrEngine) -> None:
    image, _truth = blank_page(random.Random(3), kind=kind)
    page = _analyse(image, 300, engine)
    assert page.result.blank is True
    assert page.result.ocr.words == ()
    assert page.reasons == ()


def test_a_page_with_one_short_line_is_not_blank(engine: OcrEngine) -> None:
    # Given a sheet that is empty but for "Lk 2/2" at the bottom
    from PIL import ImageDraw, ImageFont

    image = Image.new("L", (2480, 3508), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    ImageDraw.Draw(image).text((1100, 3300), "Lk 2/2", font=font, fill=0)
    page = _analyse(image, 300, engine)
    assert page.result.blank is False
    assert "2/2" in page.result.ocr.text


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("blur", ReasonCode.ILLEGIBLE_BLUR),
        ("low_contrast", ReasonCode.LOW_CONTRAST),
        ("low_resolution", ReasonCode.LOW_RESOLUTION),
        ("cut_off", ReasonCode.CUT_OFF),
    ],
)
def test_an_illegible_page_gets_its_reason_and_a_mild_one_none(
    kind: str, reason: ReasonCode, engine: OcrEngine
) -> None:
    # Given the same page degraded severely and mildly
    severe, severe_dpi = _scanned(4, ScanSpec(degradations=((kind, "severe"),)))
    mild, mild_dpi = _scanned(4, ScanSpec(degradations=((kind, "mild"),)))
    # Then only the severe one is sent to review, with the reason that says why
    assert [r.code for r in _analyse(severe, severe_dpi, engine).reasons] == [reason]
    assert _analyse(mild, mild_dpi, engine).reasons == ()


@pytest.mark.parametrize(
    ("kind", "rotation"),
    [("blur", 180), ("low_contrast", 180), ("low_contrast", 270), ("low_resolution", 180)],
)
def test_an_illegible_page_upside_down_still_comes_back_upright(
    kind: str, rotation: int, engine: OcrEngine
) -> None:
    # Given a severely degraded page, put in upside down (or sideways) and a little skewed
    image, dpi = _scanned(
        7, ScanSpec(rotation=rotation, skew_degrees=1.5, degradations=((kind, "severe"),))
    )
    # When it is analysed
    page = _analyse(image, dpi, engine)
    # Then it is turned back upright for the archive, and still sent to review
    assert page.result.rotation == rotation
    assert page.reasons


def test_a_faded_page_is_read_from_its_flattened_copy(engine: OcrEngine) -> None:
    # Given a page of worn-out toner on mottled paper, which Tesseract alone reads nothing of
    image, dpi = _scanned(8, ScanSpec(degradations=(("low_contrast", "severe"),)))
    raw = engine.recognise(image, languages="est+eng", dpi=dpi)
    # When it is analysed
    page = _analyse(image, dpi, engine)
    # Then it is sent to review as faded, and much more of its text is read than raw
    assert [r.code for r in page.reasons] == [ReasonCode.LOW_CONTRAST]
    letters = sum(c.isalpha() for c in page.result.ocr.text)
    assert letters > 200
    assert letters > 3 * sum(c.isalpha() for c in raw.text)


def test_a_russian_form_keeps_estonian_letters(engine: OcrEngine) -> None:
    # Given a Russian form, which carries Estonian names and places
    rng = random.Random(11)
    sample = render_document(rng, pages=1, language="rus", person_codes=[CODE])
    page = _analyse(sample.pages[0], sample.dpi, engine)
    estonian = {c for c in sample.truth[0].text if c in "äõöüÄÕÖÜ"}
    # Then the page is read as Cyrillic and its Estonian letters survive
    assert script_of(page.result.ocr.text) == "Cyrillic"
    assert estonian <= set(page.result.ocr.text)


def test_look_alike_letters_are_mended() -> None:
    assert tidy_word("Tаllinn", page_script="Latin") == "Tallinn"  # noqa: RUF001
    assert tidy_word("|", page_script="Latin") == "I"
    assert tidy_word("Таллин", page_script="Cyrillic") == "Таллин"


def test_a_page_of_dense_small_print_is_read_in_full(engine: OcrEngine) -> None:
    # Given a page packed with 7.5 pt text: as many marks per area as a page of grain
    from PIL import ImageDraw, ImageFont

    words = [
        "Kinnitan",
        "et",
        "esitatud",
        "andmed",
        "on",
        "õiged",
        "ja",
        "täielikud",
        "ning",
        "summa",
        "nõutakse",
        "tagasi",
    ]
    rng = random.Random(1)
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 31)
    for y in range(150, 3350, 40):
        draw.text((150, y), " ".join(rng.choice(words) for _ in range(14)), font=font, fill=0)
    # When it is analysed
    page = _analyse(image, 300, engine)
    # Then it is read as print, not filtered and cut short as noise
    assert page.reasons == ()
    assert len(page.result.ocr.words) > 1000
    assert (page.result.ocr.confidence or 0.0) > 0.9


@pytest.mark.parametrize(("rotation", "skew"), [(180, 2.5), (90, -1.5), (0, -4.0)])
def test_a_page_buried_in_grain_is_turned_and_levelled(
    rotation: int, skew: float, engine: OcrEngine
) -> None:
    # Given an underexposed, severely noisy scan, turned and skewed on the glass
    spec = ScanSpec(rotation=rotation, skew_degrees=skew, degradations=(("noise", "severe"),))
    image, dpi = _scanned(6, spec)
    # When it is analysed
    page = _analyse(image, dpi, engine)
    # Then its turn and skew are still found from its text lines, and it goes to review
    assert page.result.rotation == rotation
    assert page.result.skew_degrees is not None
    assert abs(page.result.skew_degrees - skew) < 0.2
    assert page.image.image.height > page.image.image.width
    assert page.reasons


@pytest.mark.parametrize("degradation", ["blur", "low_contrast"])
def test_a_blurred_or_faint_page_upside_down_comes_back_upright(
    degradation: str, engine: OcrEngine
) -> None:
    # Given a page too blurred or faint to read, scanned upside down
    spec = ScanSpec(rotation=180, skew_degrees=1.5, degradations=((degradation, "severe"),))
    image, dpi = _scanned(7, spec)
    # When it is analysed
    page = _analyse(image, dpi, engine)
    # Then the shape of its lines still tells which way is up, and it goes to review
    assert page.result.rotation == 180
    assert page.reasons


def test_a_letter_on_grey_paper_lit_unevenly_is_read_in_full(engine: OcrEngine) -> None:
    # Given a plain form on grey recycled paper (grey 173, print 36), the scanner's lamp
    # leaving the top left corner 30 levels darker than the bottom right, a little grain,
    # a slight tilt and JPEG
    sample = render_document(random.Random(1009), pages=1, language="est", signed=True)
    clean = np.asarray(sample.pages[0].convert("L"), dtype=np.float32) / 255.0
    height, width = clean.shape
    lamp = np.linspace(-15, 15, width)[None, :] + np.linspace(-15, 15, height)[:, None]
    grain = np.random.default_rng(9).normal(0, 8, clean.shape)
    grey = np.clip(36 + (173 - 36) * clean + lamp + grain, 0, 255).astype(np.uint8)
    scan = Image.fromarray(grey).rotate(-0.9, resample=Image.Resampling.BICUBIC, fillcolor=173)
    buffer = io.BytesIO()
    scan.save(buffer, "JPEG", quality=70)
    # When it is analysed
    page = _analyse(Image.open(buffer), 300, engine)
    # Then it is read as a person reads it, and nothing is wrong with it
    assert page.reasons == ()
    truth, read = (" ".join(t.split()) for t in (sample.truth[0].text, page.result.ocr.text))
    assert Levenshtein.distance(truth, read) / len(truth) < 0.03


def test_a_negative_page_is_read_as_light_print_on_dark(engine: OcrEngine) -> None:
    # Given a letter scanned as a negative: white print on a black ground, as a slide or a
    # microfilm print comes
    sample = render_document(random.Random(1011), pages=1, language="est", signed=True)
    negative = Image.fromarray(255 - np.asarray(sample.pages[0].convert("L"), dtype=np.uint8))
    # When it is analysed
    page = _analyse(negative, 300, engine)
    # Then it is read in full, and the page kept is dark print on light
    truth, read = (" ".join(t.split()) for t in (sample.truth[0].text, page.result.ocr.text))
    assert Levenshtein.distance(truth, read) / len(truth) < 0.03
    assert np.median(np.asarray(page.image.image.convert("L"))) > 128


def test_the_blank_back_of_a_photocopy_is_blank(engine: OcrEngine) -> None:
    # Given the empty back of a sheet that went through a copier: grey paper, grain, a
    # dotted drum streak and toner specks (augraphy's copy family), and its printed front
    sample = render_document(random.Random(1), pages=1)
    blank = Image.new("L", sample.pages[0].size, 255)
    back, _ = print_copy_page(blank, sample.truth[0], random.Random(1), "copy")
    front, _ = print_copy_page(sample.pages[0], sample.truth[0], random.Random(1), "copy")
    # Then the back is a blank page, and the front is read
    assert _analyse(back, 300, engine).result.blank
    page = _analyse(front, 300, engine)
    assert not page.result.blank and page.reasons == ()


def _framed_transcript() -> Image.Image:
    """A deposition-like page: numbered lines inside a frame whose rules run the page long."""
    page = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(fonts()[6], 46)
    draw.rectangle((330, 250, 2200, 3150), outline=0, width=6)
    draw.line((390, 250, 390, 3150), fill=0, width=4)
    words = [
        "the",
        "witness",
        "said",
        "that",
        "the",
        "basement",
        "was",
        "used",
        "for",
        "processing",
        "and",
        "storage",
    ]
    for row in range(25):
        y = 380 + 105 * row
        draw.text((230, y), str(row + 1), font=font, fill=0)
        line = " ".join(words[(row + i) % len(words)] for i in range(row % 3 + 5))
        draw.text((470, y), ("Q.  " if row % 2 else "A.  ") + line, font=font, fill=0)
    return page


def test_a_framed_transcript_is_read_upright_not_turned_by_its_rules(engine: OcrEngine) -> None:
    # Given an upright page whose frame's long vertical rules outweigh its short text lines
    page = _analyse(_framed_transcript(), 300, engine)
    # Then it is read the way it stands, and read well
    assert page.result.rotation == 0
    assert "basement" in page.result.ocr.text
    assert page.reasons == ()


@pytest.mark.parametrize(
    ("mine", "other", "flip", "expected"),
    [
        # A coarse real letter: neither reading sure, upright clearly better, the shape wrong.
        (0.52, 0.30, True, False),
        (0.30, 0.52, False, True),
        # Close readings, neither sure: the lines' shape decides.
        (0.40, 0.40 - OCR_MARGIN / 2, True, True),
        (0.40, 0.40 + OCR_MARGIN / 2, False, False),
        # A sure reading decides even by a hair.
        (OCR_DECIDES, OCR_DECIDES - 0.01, True, False),
        (OCR_DECIDES - 0.01, OCR_DECIDES, False, True),
    ],
)
def test_reading_decides_the_way_up_when_sure_or_clearly_better(
    mine: float, other: float, flip: bool, expected: bool
) -> None:
    assert turned_over(mine, other, flip=flip) is expected
