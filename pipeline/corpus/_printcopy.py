"""Pages printed, photocopied and scanned, from augraphy's simulator of those machines.

The measurements that matter most were made on real paper: the same documents printed on a
laser printer and scanned on an office scanner (`mild`), printed, photocopied and scanned
(`copy`), and a copy of a copy (`copy2`). `print_copy_page` makes such a page from a clean
render, following the paper's path:

1. the printer: toner dropouts (thin white lines through the strokes);
2. the paper: grey-ish (`mild`) or grey recycled (`copy`) with a texture;
3. each pass through the photocopier (`copy`: one, `copy2`: two): its grain and edge noise,
   dirty-drum and roller lines, toner streaks, strokes thickened and softened a little, a
   fold in the sheet;
4. the scanner: the sheet's skew on the bed, a lighting gradient, sensor grain, JPEG.

Every family is legible to a person: the parameters were chosen by looking at 300 dpi pages
of 10-12 pt text at page-width zoom. So the page's truth stays legible with no review reason:
a correct pipeline reads these pages and does not send them to review as illegible.

`copy_heldout` is a copy of the same strength made with other effects and other settings (a
lid left open, mottled toner, worn lines, a different grain). It is never used for tuning:
no threshold or parameter of the pipeline may be chosen by looking at its figures, so that it
keeps telling how the pipeline does on copies it was not tuned for (`HELD_OUT`).

Augraphy draws from Python's and numpy's global random state (and OpenCV's); every page is
made inside `_seeded`, which seeds them from the page's own stream and puts them back after,
so the same seed gives the same bytes and nothing else's randomness changes. The effects'
sizes are in pixels at 300 dpi, the resolution the benchmark renders at.
"""

from __future__ import annotations

import contextlib
import functools
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any, cast

import cv2
import numpy as np
from PIL import Image

from pipeline.corpus import _degrade
from pipeline.corpus._blank import blank_page
from pipeline.corpus._scan import page_dpi
from pipeline.corpus._truth import PageTruth, Sample

FAMILIES: tuple[str, ...] = ("mild", "copy", "copy2", "copy_heldout")
HELD_OUT = frozenset({"copy_heldout"})
"""Families whose figures no tuning may look at."""
DEGRADATION = "print_copy"
"""The label in `PageTruth.degradations`: "print_copy:<family>"."""
MAX_SKEW = 1.5
"""The largest skew of the sheet on the scanner's bed, in degrees either way."""

Step = Callable[[_degrade.Pixels], _degrade.Pixels]


def _augraphy() -> Any:
    """Import augraphy (the bench's extra), saying how to get it when it is missing."""
    try:
        import augraphy
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError("print-copy-scan pages need augraphy: `make setup` installs it") from exc
    return augraphy


@functools.cache
def _numba_seeder() -> Callable[[int], None]:
    """A function that seeds numba's random states, which augraphy's compiled effects use.

    Compiled code draws from numba's own generators (Python's and numpy's, per thread), which
    seeding from Python does not reach: only a compiled call does.
    """
    from numba import njit

    @njit(cache=False)
    def seed(value: int) -> None:
        random.seed(value)
        np.random.seed(value)

    return cast("Callable[[int], None]", seed)


@contextlib.contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """Seed the global random states augraphy draws from, and restore them afterwards.

    Numba's generators are seeded but not restored: nothing else in intake draws from them.
    """
    python_state = random.getstate()
    numpy_state = np.random.get_state()
    random.seed(seed)
    np.random.seed(seed % 2**32)
    cv2.setRNGSeed(seed % 2**31)
    _numba_seeder()(seed % 2**32)
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)


def _grey(pixels: Any) -> _degrade.Pixels:
    """Return augraphy's result (greyscale, BGR or a list with the image) as greyscale."""
    if isinstance(pixels, list | tuple):
        pixels = pixels[0]
    array = np.asarray(pixels)
    if array.ndim == 3:
        array = cv2.cvtColor(array, cv2.COLOR_BGR2GRAY)
    return _degrade.u8(array)


def _apply(augmentation: Any) -> Step:
    """An augraphy effect as a step on a greyscale page (always applied)."""

    def step(pixels: _degrade.Pixels) -> _degrade.Pixels:
        return _grey(augmentation(pixels, force=True))

    return step


def _paper(low: int, high: int) -> Step:
    """Print on paper whose white is between `low` and `high`: everything darkens with it."""

    def step(pixels: _degrade.Pixels) -> _degrade.Pixels:
        level = random.uniform(low, high)
        return _degrade.u8(np.rint(pixels.astype(np.float32) * (level / 255.0)))

    return step


def _soften(sigma: float, darken: float) -> Step:
    """A copier's optics and toner: strokes a little softer and a little heavier."""

    def step(pixels: _degrade.Pixels) -> _degrade.Pixels:
        blurred = cv2.GaussianBlur(pixels, (0, 0), sigma).astype(np.float32)
        paper = float(np.percentile(pixels, 90))
        # Pull every grey below the paper towards black: the copy's toner is heavier.
        ink = paper - (paper - blurred) * darken
        return _degrade.u8(np.clip(np.rint(ink), 0, 255))

    return step


def _print_steps(a: Any) -> list[Step]:
    """A laser printer: light toner dropouts."""
    return [_apply(a.LowInkRandomLines(count_range=(3, 8), use_consistent_lines=False))]


def _copier_steps(a: Any, paper: tuple[int, int], *, rollers: bool) -> list[Step]:
    """One pass through an office photocopier onto grey recycled paper.

    With `rollers` its feed rollers are dirty too: faint lines all along the sheet.
    """
    steps = [
        _soften(0.7, 1.25),
        _apply(
            a.LowInkPeriodicLines(
                count_range=(1, 3), period_range=(60, 120), use_consistent_lines=False
            )
        ),
        _paper(*paper),
        _apply(a.NoiseTexturize(sigma_range=(2, 4), turbulence_range=(2, 4))),
        _apply(
            a.BadPhotoCopy(
                noise_type=-1,
                noise_iteration=(1, 2),
                noise_size=(1, 2),
                noise_value=(150, 210),
                noise_sparsity=(0.4, 0.6),
                noise_concentration=(0.1, 0.25),
                blur_noise=0,
                wave_pattern=0,
                edge_effect=1,
            )
        ),
        _apply(
            a.DirtyDrum(
                line_width_range=(1, 3),
                line_concentration=0.015,
                direction=1,
                noise_intensity=0.25,
                noise_value=(60, 120),
                ksize=(3, 3),
            )
        ),
        _apply(
            a.Folding(
                fold_count=1,
                fold_noise=0.0,
                gradient_width=(0.1, 0.15),
                gradient_height=(0.002, 0.004),
                backdrop_color=(200, 200, 200),
            )
        ),
    ]
    if rollers:
        steps.append(_apply(a.DirtyRollers(line_width_range=(6, 10), scanline_type=0)))
    return steps


def _heldout_steps(a: Any) -> list[Step]:
    """A copy of the same strength from other effects: never looked at when tuning."""
    return [
        _apply(a.InkMottling(ink_mottling_alpha_range=(0.2, 0.3))),
        _apply(
            a.LinesDegradation(
                line_roi=(0.0, 0.0, 1.0, 1.0),
                line_gradient_range=(32, 255),
                line_gradient_direction=(0, 2),
                line_split_probability=(0.2, 0.4),
                line_replacement_value=(230, 255),
                line_min_length=(30, 40),
                line_long_to_short_ratio=(5, 7),
                line_replacement_probability=(0.2, 0.3),
                line_replacement_thickness=(1, 2),
            )
        ),
        _soften(0.8, 1.2),
        _paper(200, 220),
        _apply(a.BrightnessTexturize(texturize_range=(0.9, 0.97), deviation=0.04)),
        _apply(
            a.BadPhotoCopy(
                noise_type=2,
                noise_iteration=(1, 1),
                noise_size=(1, 3),
                noise_value=(120, 190),
                noise_sparsity=(0.5, 0.7),
                noise_concentration=(0.05, 0.15),
                blur_noise=1,
                wave_pattern=0,
                edge_effect=0,
            )
        ),
        _apply(
            a.DirtyDrum(
                line_width_range=(2, 5),
                line_concentration=0.01,
                direction=0,
                noise_intensity=0.3,
                noise_value=(40, 110),
                ksize=(5, 5),
            )
        ),
        _apply(
            a.ShadowCast(
                shadow_side="random",
                shadow_vertices_range=(2, 3),
                shadow_width_range=(0.5, 0.8),
                shadow_height_range=(0.2, 0.4),
                shadow_opacity_range=(0.2, 0.35),
                shadow_iterations_range=(1, 1),
                shadow_blur_kernel_range=(201, 301),
            )
        ),
        _apply(
            a.Folding(
                fold_count=2,
                fold_noise=0.005,
                fold_angle_range=(-3, 3),
                gradient_width=(0.05, 0.1),
                gradient_height=(0.002, 0.003),
                backdrop_color=(200, 200, 200),
            )
        ),
    ]


def _scanner_steps(a: Any, *, light: tuple[float, float], grain: int, quality: Any) -> list[Step]:
    """An office scanner: its lamp's gradient, its sensor's grain, its JPEG."""
    return [
        _apply(
            a.LightingGradient(
                max_brightness=255,
                min_brightness=120,
                mode="gaussian",
                transparency=random.uniform(*light),
            )
        ),
        _apply(a.SubtleNoise(subtle_range=grain)),
        _apply(a.Jpeg(quality_range=quality)),
    ]


def _paths(family: str) -> tuple[list[Step], list[Step]]:
    """The steps before the sheet lies on the scanner's bed, and the scanner's own."""
    a = _augraphy()
    if family == "mild":
        before = [*_print_steps(a), _paper(232, 244), _apply(a.NoiseTexturize((1, 2), (2, 3)))]
        return before, _scanner_steps(a, light=(0.92, 0.97), grain=6, quality=(70, 90))
    if family == "copy":
        before = [*_print_steps(a), *_copier_steps(a, (208, 222), rollers=False)]
        return before, _scanner_steps(a, light=(0.82, 0.9), grain=12, quality=(55, 80))
    if family == "copy2":
        first, second = (
            _copier_steps(a, (212, 226), rollers=False),
            _copier_steps(a, (232, 242), rollers=True),
        )
        before = [*_print_steps(a), *first, *second]
        return before, _scanner_steps(a, light=(0.8, 0.88), grain=14, quality=(50, 75))
    if family == "copy_heldout":
        before = [*_print_steps(a), *_heldout_steps(a)]
        return before, _scanner_steps(a, light=(0.8, 0.9), grain=16, quality=(40, 65))
    raise ValueError(f"family must be one of {FAMILIES}, not {family!r}")


def print_copy_page(
    image: Image.Image, truth: PageTruth, rng: random.Random, family: str
) -> tuple[Image.Image, PageTruth]:
    """Print, copy and scan a clean page as `family` says; return it and its truth.

    The page keeps its size and resolution and stays upright; the sheet lies on the
    scanner's bed with a skew of at most `MAX_SKEW` degrees, in the truth. The truth records
    the family (`PageTruth.family`, and "print_copy:<family>" in its degradations) and stays
    legible, without new review reasons: every family is readable by a person.

    Args:
        image: The page as drawn (greyscale), or as scanned before.
        truth: Its truth.
        rng: The source of randomness: one draw, whatever the family; the same state gives
            the same bytes.
        family: One of `FAMILIES`.

    Returns:
        The page ("L") and its truth.

    Raises:
        ValueError: On an unknown family.
    """
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}, not {family!r}")
    seed = rng.getrandbits(64)
    dpi = page_dpi(image)
    pixels: _degrade.Pixels = np.array(image.convert("L"))
    height, width = pixels.shape
    _augraphy()  # imported before seeding: importing it draws from the random states
    with _seeded(seed):
        before, scanner = _paths(family)
        for step in before:
            pixels = step(pixels)
        skew = round(random.uniform(-MAX_SKEW, MAX_SKEW), 3)
        paper = int(np.percentile(pixels, 90))
        mask = _degrade.ink_mask(pixels)
        pixels, _, _ = _degrade.skew(pixels, mask, skew, paper, dpi)
        for step in scanner:
            pixels = step(pixels)
    # The frame widens for ink at the very edge of a skewed sheet: the glass is the page's size.
    top = (pixels.shape[0] - height) // 2
    left = (pixels.shape[1] - width) // 2
    pixels = np.ascontiguousarray(pixels[top : top + height, left : left + width])
    result = Image.fromarray(pixels)
    result.info["dpi"] = (dpi, dpi)
    return result, replace(
        truth,
        skew_degrees=truth.skew_degrees + skew,
        degradations=(*truth.degradations, f"{DEGRADATION}:{family}"),
        family=family,
    )


def print_copied(
    sample: Sample, rng: random.Random, family: str, *, blank_backs: Sequence[str] = ()
) -> Sample:
    """Print, copy and scan every page of a sample, perhaps duplex with blank backs.

    It draws from `rng` as `scanned` does (one draw a page, and a back's own), so a corpus
    that uses it in place of `scanned` keeps the same content in the documents that follow.

    Args:
        sample: The rendered document.
        rng: The source of randomness; the same state gives the same bytes.
        family: One of `FAMILIES`.
        blank_backs: Empty for a simplex scan; otherwise one `blank_page` kind per page: each
            page is followed by its blank back, copied and scanned alike.

    Returns:
        A new sample with the pages and their truth; the rest as in `sample`.

    Raises:
        ValueError: On an unknown family, or when blank_backs (if given) do not have one
            entry per page.
    """
    if blank_backs and len(blank_backs) != len(sample.pages):
        raise ValueError(
            f"give one blank back per page: {len(sample.pages)}, not {len(blank_backs)}"
        )
    pages: list[Image.Image] = []
    truth: list[PageTruth] = []
    for index, (page, page_truth) in enumerate(zip(sample.pages, sample.truth, strict=True)):
        image, copied_truth = print_copy_page(page, page_truth, rng, family)
        pages.append(image)
        truth.append(copied_truth)
        if blank_backs:
            back, back_truth = blank_page(rng, dpi=page_dpi(image), kind=blank_backs[index])
            back, back_truth = print_copy_page(back, back_truth, rng, family)
            pages.append(back)
            truth.append(replace(back_truth, language=page_truth.language))
    return replace(sample, pages=tuple(pages), truth=tuple(truth))
