"""Make one page right before OCR, read it, and judge it: the per-page sequence of stages."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image, ImageOps

from config.settings import ProcessConfig
from pipeline.engines.base import OcrEngine, page_ocr
from pipeline.model import PageImage, PageOcr, PageResult, Reason
from pipeline.stages.blank import is_blank
from pipeline.stages.borders import crop_borders
from pipeline.stages.declutter import declutter
from pipeline.stages.deskew import deskew, rotate_level
from pipeline.stages.flatten import flattened
from pipeline.stages.grain import fit_grainy, is_grainy, reads_upside_down
from pipeline.stages.legibility import Measures, judge, measure
from pipeline.stages.ocr import ocr_page, script_of, tidy_word
from pipeline.stages.orient import line_direction, orient, turn_upright
from pipeline.stages.paper import evened
from pipeline.stages.pixels import (
    Gray,
    Ink,
    assumed_dpi,
    gray_of,
    ink_of,
    negative,
    reduced,
)

NO_TEXT = PageOcr(text="", words=(), confidence=None, languages="")
# Below this OCR confidence an undecided orientation is tried the other way up too.
RETRY_UPSIDE_DOWN_BELOW = 0.75
# A grainy page (see ``grain.is_grainy``) is read once, within this limit.
NOISY_TIME_LIMIT = 5.0
NOISY_MIN_WORD_CONFIDENCE = 0.6
# Text read this badly after OSD's turn may be upside down after all (OSD on a blurred page).
DOUBT_OSD_BELOW = 0.5
MIN_SKEW = 0.05  # pages skewed less than this are left as they are
# A blurred or coarse page that reads with this confidence one way up is that way up.
OCR_DECIDES = 0.6
OCR_MARGIN = 0.12  # ... or that reads this much better than the other way


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


@dataclass(frozen=True)
class Placed:
    """A page turned upright and levelled, with its measures and how it had lain."""

    page: PageImage
    small: Gray
    measures: Measures
    rotation: int
    skew_degrees: float
    script: str | None
    osd_sure: bool
    lines_across: bool  # the text lines clearly run across the upright page


def _place_grainy(
    page: PageImage, small: Gray, *, dpi: int, factor: int, timings: dict[str, float]
) -> Placed:
    """Grain hides the letters from OSD and the components; the smoothed lines still show."""
    with timed(timings, "orient"):
        fit = fit_grainy(small)
        page, small = turn_upright(page, fit.rotation), _upright_gray(small, fit.rotation)
    with timed(timings, "deskew"):
        if abs(fit.skew_degrees) >= MIN_SKEW:
            page = rotate_level(page, fit.skew_degrees)
        ink = ink_of(small, dpi=dpi)
        measures = measure(gray_of(page.image), small, ink, factor=factor)
    return Placed(
        page,
        small,
        measures,
        fit.rotation,
        fit.skew_degrees,
        None,
        osd_sure=True,
        lines_across=True,
    )


def _place(
    page: PageImage,
    small: Gray,
    ink: Ink,
    *,
    dpi: int,
    factor: int,
    engine: OcrEngine,
    timings: dict[str, float],
) -> Placed:
    """Turn by OSD (or the line direction), then level by the baselines."""
    with timed(timings, "orient"):
        oriented = orient(small, dpi=dpi, engine=engine)
        rotation = oriented.rotation
        if rotation is None:
            rotation = 0
        page, small = turn_upright(page, rotation), _upright_gray(small, rotation)
    with timed(timings, "deskew"):
        if rotation:
            ink = ink_of(small, dpi=dpi)
        measures = measure(gray_of(page.image), small, ink, factor=factor)
        direction = line_direction(small)
        overruled = direction == "vertical"
        if overruled:
            # OSD unsure, or wrong by a quarter turn (it misreads blurred and coarse pages
            # most), where the lines' direction is plain to see.
            rotation = (rotation + 90) % 360
            page, small = turn_upright(page, 90), _upright_gray(small, 90)
            ink = ink_of(small, dpi=dpi)
            measures = measure(gray_of(page.image), small, ink, factor=factor)
        page, skew = deskew(page, ink, min_angle=MIN_SKEW)
    sure = oriented.rotation is not None and not overruled
    across = overruled or direction == "horizontal"
    return Placed(
        page, small, measures, rotation, skew, oriented.script, osd_sure=sure, lines_across=across
    )


def _declutter(page: PageImage, measures: Measures, *, noisy: bool) -> PageImage:
    """The copy OCR reads, with what is not text taken out."""
    if noisy:
        # Grain makes Tesseract's layout analysis crawl (tens of seconds a page, beyond any
        # time limit); a median filter takes most of it away first.
        clean = Image.fromarray(cv2.medianBlur(gray_of(page.image), 5))
    else:
        even = Image.fromarray(evened(gray_of(page.image), page.dpi))
        clean = declutter(even, dpi=page.dpi, char_height_px=measures.char_height_px)
    return PageImage(number=page.number, image=clean, dpi=page.dpi)


def _retry_turns(
    page: PageImage,
    reading: PageImage,
    rotation: int,
    text: PageOcr,
    *,
    turns: tuple[int, ...],
    until: float,
    engine: OcrEngine,
    script: str | None,
    config: ProcessConfig,
) -> tuple[PageImage, PageOcr, int]:
    """Read the page turned each of ``turns`` until one reads with ``until`` confidence.

    The turn that reads best wins: (page, text, rotation) as turned.
    """
    best_page, best_text, best_rotation = page, text, rotation
    for turn in turns:
        other = _read(turn_upright(reading, turn), engine=engine, script=script, config=config)
        if (other.confidence or 0.0) > (best_text.confidence or 0.0):
            best_page, best_text = turn_upright(page, turn), other
            best_rotation = (rotation + turn) % 360
        if (best_text.confidence or 0.0) >= until:
            break
    return best_page, best_text, best_rotation


def _settle_upside_down(
    page: PageImage,
    reading: PageImage,
    rotation: int,
    text: PageOcr,
    *,
    flip: bool,
    engine: OcrEngine,
    script: str | None,
    config: ProcessConfig,
) -> tuple[PageImage, PageOcr, int]:
    """The way up that reads best; where neither reading is sure, the lines' shape's vote.

    OCR that reads one way with ``OCR_DECIDES`` confidence or more, or by ``OCR_MARGIN``
    better than the other way, decides; else the page is turned over when ``flip`` (the
    shape says it lies upside down).  Real letters at 77 dpi read at 0.45-0.58 upright
    and 0.17-0.35 turned over, while their shape voted for upside down on 7 pages in 40.
    """
    flipped = _read(turn_upright(reading, 180), engine=engine, script=script, config=config)
    over = (turn_upright(page, 180), flipped, (rotation + 180) % 360)
    mine, other = text.confidence or 0.0, flipped.confidence or 0.0
    return over if turned_over(mine, other, flip=flip) else (page, text, rotation)


def turned_over(mine: float, other: float, *, flip: bool) -> bool:
    """Whether a page read at confidence ``mine``, ``other`` turned over, is the wrong way up.

    OCR decides when either reading is sure or one reads clearly better; else the lines'
    shape (``flip``) does.
    """
    if max(mine, other) >= OCR_DECIDES or abs(mine - other) >= OCR_MARGIN:
        return other > mine
    return flip


def _read_pale(
    page: PageImage,
    rotation: int,
    *,
    engine: OcrEngine,
    script: str | None,
    config: ProcessConfig,
    timings: dict[str, float],
) -> tuple[PageImage, PageOcr, int]:
    """Read a faded page from its flattened copy, both ways up; the better reading wins.

    Faded print on mottled paper shows OSD and the lines' shape too little, but once the
    paper is levelled (see ``flatten``) OCR reads the right way up far better than the
    wrong way.  (The lines' shape on the flattened copy measured worse: 55 of 60 tuning
    pages right against 60 of 60.)
    """
    with timed(timings, "declutter"):
        reading = PageImage(page.number, flattened(page.image, page.dpi), page.dpi)
    with timed(timings, "ocr"):
        text = _read(reading, engine=engine, script=script, config=config)
        return _retry_turns(
            page,
            reading,
            rotation,
            text,
            turns=(180,),
            until=float("inf"),  # always compare both ways
            engine=engine,
            script=script,
            config=config,
        )


def analyse_page(
    page: PageImage, *, engine: OcrEngine, config: ProcessConfig, timings: dict[str, float]
) -> AnalysedPage:
    """Crop borders, test for blank, orient, deskew, measure legibility, OCR, judge.

    The measuring is done on an analysis copy near 150 dpi; only the image that is OCR'd and
    archived is turned and levelled at full resolution.  A page whose file records no
    resolution is given one from its size (``assumed_dpi``).
    """
    if page.dpi is None:
        page = replace(page, dpi=assumed_dpi(page.image.size))
    with timed(timings, "clean"):
        small, factor = reduced(gray_of(page.image), page.dpi)
        if negative(small):  # light print on a dark ground: read it as dark on light
            page = replace(page, image=ImageOps.invert(page.image.convert("L")))
            small = np.asarray(255 - small, dtype=np.uint8)
        page, (left, top, right, bottom) = crop_borders(page, small, factor)
        small = small[top:bottom, left:right]
        dpi = (page.dpi or assumed_dpi(page.image.size)) // factor
        blank = is_blank(small, dpi=dpi)
    width, height = page.image.size
    if blank:
        result = PageResult(page.number, width, height, page.dpi, NO_TEXT, blank=True)
        return AnalysedPage(result=result, image=page, reasons=())

    ink = ink_of(small, dpi=dpi)
    noisy = is_grainy(ink, shape=small.shape, dpi=dpi)
    if noisy:
        placed = _place_grainy(page, small, dpi=dpi, factor=factor, timings=timings)
    else:
        placed = _place(page, small, ink, dpi=dpi, factor=factor, engine=engine, timings=timings)
    page, measures, rotation, skew, script = (
        placed.page,
        placed.measures,
        placed.rotation,
        placed.skew_degrees,
        placed.script,
    )
    limits = config.legibility
    pale = measures.contrast < limits.min_contrast
    blurred = measures.sharpness < limits.min_sharpness
    coarse = measures.char_height_px < limits.min_char_height_px
    if pale:
        page, text, rotation = _read_pale(
            page, rotation, engine=engine, script=script, config=config, timings=timings
        )
    else:
        contested = not noisy and (blurred or coarse)
        flip = False
        if contested:
            # Too blurred or coarse for OCR's confidence to tell up from down, mostly; the
            # shape of the lines and margins can.  Both ways are read all the same: real
            # forms at 100 dpi fooled the shape, and read well the right way up.
            with timed(timings, "orient"):
                flip = bool(reads_upside_down(placed.small, skew, dpi=dpi))
        with timed(timings, "declutter"):
            reading = _declutter(page, measures, noisy=noisy)
        with timed(timings, "ocr"):
            text = _read(reading, engine=engine, script=script, config=config, noisy=noisy)
            if contested:
                page, text, rotation = _settle_upside_down(
                    page,
                    reading,
                    rotation,
                    text,
                    flip=flip,
                    engine=engine,
                    script=script,
                    config=config,
                )
            doubtful = DOUBT_OSD_BELOW if placed.osd_sure else RETRY_UPSIDE_DOWN_BELOW
            if not noisy and not blurred and not coarse and (text.confidence or 0.0) < doubtful:
                page, text, rotation = _retry_turns(
                    page,
                    reading,
                    rotation,
                    text,
                    turns=(180,) if placed.lines_across else (180, 90, 270),
                    until=doubtful,
                    engine=engine,
                    script=script,
                    config=config,
                )
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
