"""Make one page right before OCR, read it, and judge it: the per-page sequence of stages."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image

from config.settings import ProcessConfig
from pipeline.engines.base import OcrEngine, page_ocr
from pipeline.model import PageImage, PageOcr, PageResult, Reason
from pipeline.stages.blank import is_blank
from pipeline.stages.borders import crop_borders
from pipeline.stages.declutter import declutter
from pipeline.stages.deskew import deskew
from pipeline.stages.legibility import judge, measure
from pipeline.stages.ocr import ocr_page, script_of, tidy_word
from pipeline.stages.orient import line_direction, lines_run_vertically, orient, turn_upright
from pipeline.stages.pixels import Gray, gray_of, ink_of, reduced

NO_TEXT = PageOcr(text="", words=(), confidence=None, languages="")
# Below this OCR confidence an undecided orientation is tried the other way up too.
RETRY_UPSIDE_DOWN_BELOW = 0.75
# A page with this many character-sized marks per megapixel of the ~150 dpi analysis copy
# is grain, not print (a page of print has some 500); it is read once, within the limit.
NOISY_PER_MEGAPIXEL = 2000
NOISY_TIME_LIMIT = 5.0
NOISY_MIN_WORD_CONFIDENCE = 0.6
# Text read this badly after OSD's turn may be upside down after all (OSD on a blurred page).
DOUBT_OSD_BELOW = 0.5


@dataclass(frozen=True)
class AnalysedPage:
    """A page after every stage: the result, the normalised image, and its review reasons."""

    result: PageResult
    image: PageImage
    reasons: tuple[Reason, ...]


@contextmanager
def timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """Add the block's wall time to ``timings[stage]`` in milliseconds."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(timings.get(stage, 0.0) + (time.perf_counter() - start) * 1000, 1)


def _upright_gray(gray: Gray, rotation: int) -> Gray:
    """The grey array turned like :func:`turn_upright` turns the image."""
    return np.ascontiguousarray(np.rot90(gray, (rotation // 90) % 4))


def _languages(script: str | None, config: ProcessConfig) -> str:
    if script == "Cyrillic":
        return config.cyrillic_languages
    if script == "Latin":
        return config.latin_languages
    return config.languages


def _tidy(found: PageOcr) -> PageOcr:
    """The OCR result with look-alike letters and lone bars mended (see ``tidy_word``)."""
    script = script_of(found.text)
    words = [replace(w, text=tidy_word(w.text, page_script=script)) for w in found.words]
    return page_ocr(words, languages=found.languages)


def _read(
    page: PageImage,
    *,
    engine: OcrEngine,
    script: str | None,
    config: ProcessConfig,
    noisy: bool = False,
) -> PageOcr:
    """OCR with the script's languages; read again when the text shows the other script.

    A page dominated by noise is read once, within a time limit: Tesseract can spend
    minutes finding letters in grain, and the page goes to review either way.
    """
    languages = _languages(script, config)
    limit = NOISY_TIME_LIMIT if noisy else 0.0
    found = ocr_page(page, engine=engine, languages=languages, time_limit=limit)
    if noisy:
        # What Tesseract finds in grain is mostly junk; keep only the words it is sure of.
        sure = [w for w in found.words if w.confidence >= NOISY_MIN_WORD_CONFIDENCE]
        found = page_ocr(sure, languages=found.languages)
    seen = script_of(found.text)
    if not noisy and script is not None and seen is not None and seen != script:
        again = ocr_page(page, engine=engine, languages=_languages(seen, config))
        if (again.confidence or 0.0) >= (found.confidence or 0.0):
            found = again
    return _tidy(found)


def analyse_page(
    page: PageImage, *, engine: OcrEngine, config: ProcessConfig, timings: dict[str, float]
) -> AnalysedPage:
    """Crop borders, test for blank, orient, deskew, measure legibility, OCR, judge.

    The measuring is done on an analysis copy near 150 dpi; only the image that is OCR'd and
    archived is turned and levelled at full resolution.
    """
    with timed(timings, "clean"):
        small, factor = reduced(gray_of(page.image), page.dpi)
        page, (left, top, right, bottom) = crop_borders(page, small, factor)
        small = small[top:bottom, left:right]
        dpi = (page.dpi or 300) // factor
        blank = is_blank(small, dpi=dpi)
    width, height = page.image.size
    if blank:
        result = PageResult(page.number, width, height, page.dpi, NO_TEXT, blank=True)
        return AnalysedPage(result=result, image=page, reasons=())

    with timed(timings, "orient"):
        oriented = orient(small, dpi=dpi, engine=engine)
        rotation = oriented.rotation
        if rotation is None:
            rotation = 90 if lines_run_vertically(small, dpi=dpi) else 0
        page, small = turn_upright(page, rotation), _upright_gray(small, rotation)
    with timed(timings, "deskew"):
        ink = ink_of(small, dpi=dpi)
        measures = measure(gray_of(page.image), small, ink, factor=factor)
        limits = config.legibility
        degraded = (
            measures.sharpness < limits.min_sharpness
            or measures.char_height_px < limits.min_char_height_px
        )
        if degraded and line_direction(small) == "vertical":
            # OSD misreads blurred or coarse pages, whose line direction is plain to see.
            rotation = (rotation + 90) % 360
            page, small = turn_upright(page, 90), _upright_gray(small, 90)
            ink = ink_of(small, dpi=dpi)
            measures = measure(gray_of(page.image), small, ink, factor=factor)
        page, skew = deskew(page, ink)
    # Grain, not print: very many marks, and too small to be letters (dense small print has
    # as many marks per area, but they are over a millimetre tall).
    marks_mm = measures.char_height_px * 25.4 / (page.dpi or 300)
    noisy = ink.characters.count > NOISY_PER_MEGAPIXEL * small.size / 1e6 and marks_mm < 1.2
    with timed(timings, "declutter"):
        if noisy:
            # Grain makes Tesseract's layout analysis crawl (tens of seconds a page, beyond
            # any time limit); a median filter takes most of it away first.
            clean = Image.fromarray(cv2.medianBlur(gray_of(page.image), 5))
        else:
            clean = declutter(page.image, dpi=page.dpi, char_height_px=measures.char_height_px)
        reading = PageImage(number=page.number, image=clean, dpi=page.dpi)
    with timed(timings, "ocr"):
        text = _read(reading, engine=engine, script=oriented.script, config=config, noisy=noisy)
        doubtful = RETRY_UPSIDE_DOWN_BELOW if oriented.rotation is None else DOUBT_OSD_BELOW
        if not noisy and (text.confidence or 0.0) < doubtful:
            # OSD was unsure, or the text reads badly: if the lines clearly run across,
            # only upside down is left to try; otherwise every turn.  Confidence decides.
            direction = line_direction(small)
            turns = (180,) if direction == "horizontal" else (180, 90, 270)
            base, base_reading, base_rotation = page, reading, rotation
            best = text.confidence or 0.0
            for turn in turns:
                other_reading = turn_upright(base_reading, turn)
                other = _read(other_reading, engine=engine, script=oriented.script, config=config)
                if (other.confidence or 0.0) > best:
                    best = other.confidence or 0.0
                    page, text = turn_upright(base, turn), other
                    rotation = (base_rotation + turn) % 360
                if best >= doubtful:
                    break
    reasons = judge(measures, ocr=text, page=page.number, limits=config.legibility)
    width, height = page.image.size
    result = PageResult(
        number=page.number,
        width=width,
        height=height,
        dpi=page.dpi,
        ocr=text,
        rotation=rotation,
        skew_degrees=skew,
        blank=False,
    )
    return AnalysedPage(result=result, image=page, reasons=reasons)
