"""Pages "as scanned": turned, skewed, bordered and degraded, with the truth of what was done.

`scan_page` follows the physics of a scan, in this order, whatever the order of the spec's
degradations:

1. the paper and its print: `low_contrast` (faded toner, greyish paper), `bleed_through` (the
   back's print showing through, mirrored);
2. how the sheet lies on the bed: its skew (a rotation about the centre; the frame keeps the
   page's size and resolution), then `cut_off` (the sheet shifted towards an edge);
3. `scanner_border`: dark bands where the scanner sees no paper;
4. the rotation: which way up the sheet went in;
5. the capture: `blur` (focus), `low_resolution` (sampling), `noise` (sensor), `jpeg` (file).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from pipeline.corpus import _degrade
from pipeline.corpus._blank import blank_page
from pipeline.corpus._truth import PageTruth, Sample

DEGRADATIONS: tuple[str, ...] = (
    "noise",
    "blur",
    "low_contrast",
    "jpeg",
    "low_resolution",
    "cut_off",
    "scanner_border",
    "bleed_through",
)
SEVERITIES = ("mild", "severe")
# The review reason a correct pipeline raises for a severe degradation. Severe noise makes a
# page illegible too, without a reason of its own: any legibility reason (most likely
# LOW_OCR_CONFIDENCE) is right for it.
REASONS = {
    "blur": "ILLEGIBLE_BLUR",
    "low_contrast": "LOW_CONTRAST",
    "low_resolution": "LOW_RESOLUTION",
    "cut_off": "CUT_OFF",
}
# Severe means a person cannot read the page. These never do that: a border never covers
# text (the crop stage removes it); people read 300 dpi text through JPEG artefacts of any
# quality, and through any show-through from the back (they tell mirrored letters apart).
MILD_ONLY = frozenset({"scanner_border", "jpeg", "bleed_through"})
_ROTATIONS = (0, 90, 180, 270)
_MAX_SKEW = 15.0
_DEFAULT_DPI = 300


@dataclass(frozen=True)
class ScanSpec:
    """How one page goes through the scanner.

    Attributes:
        rotation: Degrees clockwise the page was turned on the scanner: 0, 90, 180 or 270;
            the image shows the page turned clockwise by that much.
        skew_degrees: The page's skew, counter-clockwise positive, at most 15 either way.
        degradations: (kind, "mild" | "severe") pairs, each kind one of `DEGRADATIONS` at
            most once; the kinds in `MILD_ONLY` are only "mild". Mild leaves the page
            clearly readable; severe makes it illegible to a person at normal zoom.
    """

    rotation: int = 0
    skew_degrees: float = 0.0
    degradations: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        """Refuse a rotation, skew or degradation the scanner model does not have.

        Raises:
            ValueError: On any of them.
        """
        if self.rotation not in _ROTATIONS:
            raise ValueError(f"rotation must be one of {_ROTATIONS}, not {self.rotation!r}")
        if not abs(self.skew_degrees) <= _MAX_SKEW:
            raise ValueError(f"skew must be within ±{_MAX_SKEW}°, not {self.skew_degrees!r}")
        kinds = [kind for kind, _ in self.degradations]
        for kind, severity in self.degradations:
            if kind not in DEGRADATIONS:
                raise ValueError(f"degradation must be one of {DEGRADATIONS}, not {kind!r}")
            if severity not in SEVERITIES or (kind in MILD_ONLY and severity != "mild"):
                raise ValueError(f"{kind} cannot be {severity!r}")
            if kinds.count(kind) > 1:
                raise ValueError(f"{kind} is given more than once")


def page_dpi(image: Image.Image) -> int:
    """Return the resolution recorded in the image, 300 dpi when it records none."""
    dpi = image.info.get("dpi")
    return round(float(dpi[0])) if dpi else _DEFAULT_DPI


def scan_page(
    image: Image.Image, truth: PageTruth, rng: random.Random, spec: ScanSpec
) -> tuple[Image.Image, PageTruth]:
    """Scan a clean page as `spec` says; return the image and its updated truth.

    The image keeps its size (so its resolution stays meaningful) except that a low-
    resolution scan has fewer pixels, and a skew beyond about 8 degrees widens the frame
    rather than lose ink. The resolution is in `image.info["dpi"]` (300 dpi is assumed when
    the input records none). The truth's text stays the full intended text, also when a
    severe `cut_off` loses some of it; a page scanned again adds up its rotations, skews and
    degradations. A blank page records its degradations but stays legible: it has nothing
    to read.

    Args:
        image: The page as drawn (greyscale).
        truth: Its truth.
        rng: The source of randomness; the same state gives the same pixels.
        spec: What the scan does.

    Returns:
        The scanned page ("L") and its truth.
    """
    g = np.random.default_rng(rng.getrandbits(64))
    dpi = page_dpi(image)
    pixels: _degrade.Pixels = np.array(image.convert("L"))
    mask = _degrade.ink_mask(pixels)
    levels = dict(spec.degradations)
    lines = _degrade.text_lines(pixels) if levels.get("cut_off") == "severe" else []
    paper = 255
    if "low_contrast" in levels:
        pixels, paper = _degrade.low_contrast(pixels, levels["low_contrast"], g, dpi)
    if "bleed_through" in levels:
        pixels = _degrade.show_through(pixels, pixels, *_degrade.BLEED, g, dpi)
    pixels, mask, placed = _degrade.skew(pixels, mask, spec.skew_degrees, paper, dpi)
    if "cut_off" in levels:
        pixels, mask = _degrade.cut_off(
            pixels, mask, levels["cut_off"], paper, g, dpi, lines, placed
        )
    if "scanner_border" in levels:
        pixels = _degrade.scanner_border(pixels, mask, g, dpi)
    pixels = _degrade.rotate(pixels, spec.rotation)
    if "blur" in levels:
        pixels = _degrade.blur(pixels, levels["blur"], dpi)
    if "low_resolution" in levels:
        pixels, dpi = _degrade.low_resolution(pixels, levels["low_resolution"], dpi)
    if "noise" in levels:
        pixels = _degrade.noise(pixels, levels["noise"], g, dpi)
    if "jpeg" in levels:
        pixels = _degrade.jpeg(pixels, g)
    scanned_image = Image.fromarray(pixels)
    scanned_image.info["dpi"] = (dpi, dpi)
    return scanned_image, _scanned_truth(truth, spec)


def _scanned_truth(truth: PageTruth, spec: ScanSpec) -> PageTruth:
    """Return the truth of a page after `spec`: what was done and what must be flagged.

    A blank page has nothing to read: it stays legible, without reasons.
    """
    severe = [
        kind for kind, severity in spec.degradations if severity == "severe" and not truth.blank
    ]
    reasons = list(truth.reasons)
    for kind in severe:
        if kind in REASONS and REASONS[kind] not in reasons:
            reasons.append(REASONS[kind])
    return replace(
        truth,
        rotation=(truth.rotation + spec.rotation) % 360,
        skew_degrees=truth.skew_degrees + spec.skew_degrees,
        degradations=truth.degradations + tuple(f"{k}:{s}" for k, s in spec.degradations),
        legible=truth.legible and not severe,
        reasons=tuple(reasons),
    )


def scanned(
    sample: Sample,
    rng: random.Random,
    specs: Sequence[ScanSpec],
    *,
    blank_backs: Sequence[str] = (),
) -> Sample:
    """Scan every page of a sample, each by its own spec, perhaps duplex with blank backs.

    Args:
        sample: The rendered document.
        rng: The source of randomness; the same state gives the same pixels.
        specs: One spec per page.
        blank_backs: Empty for a simplex scan; otherwise one `blank_page` kind per page: each
            page is followed by its blank back, scanned at the page's resolution and turned
            like the page (the back's truth has the document's language), so the scan has
            twice the pages.

    Returns:
        A new sample with the scanned pages and their truth; the rest as in `sample`.

    Raises:
        ValueError: When specs or blank_backs (if given) do not have one entry per page, or
            on an unknown blank-page kind.
    """
    if len(specs) != len(sample.pages):
        raise ValueError(f"give one spec per page: {len(sample.pages)}, not {len(specs)}")
    if blank_backs and len(blank_backs) != len(sample.pages):
        raise ValueError(
            f"give one blank back per page: {len(sample.pages)}, not {len(blank_backs)}"
        )
    pages: list[Image.Image] = []
    truth: list[PageTruth] = []
    for index, (page, page_truth, spec) in enumerate(
        zip(sample.pages, sample.truth, specs, strict=True)
    ):
        image, scanned_truth = scan_page(page, page_truth, rng, spec)
        pages.append(image)
        truth.append(scanned_truth)
        if blank_backs:
            back, back_truth = blank_page(rng, dpi=page_dpi(image), kind=blank_backs[index])
            back, back_truth = scan_page(back, back_truth, rng, ScanSpec(rotation=spec.rotation))
            pages.append(back)
            truth.append(replace(back_truth, language=page_truth.language))
    return replace(sample, pages=tuple(pages), truth=tuple(truth))


def random_spec(rng: random.Random, *, max_skew: float = 5.0) -> ScanSpec:
    """Draw how a page is scanned, as the benchmark does.

    Rotation 0 for 55 % of pages and 90, 180, 270 for 15 % each; skew exactly 0 for 10 %,
    otherwise uniform within ±max_skew (to 0.001°); no degradation for 45 %, one for 35 %, two
    different ones for 20 %, each severe with a chance of 15 % (but those in `MILD_ONLY`).

    Args:
        rng: The source of randomness.
        max_skew: The largest skew either way, in degrees, at most 15.

    Returns:
        The spec.

    Raises:
        ValueError: When max_skew is negative or above 15.
    """
    if not 0 <= max_skew <= _MAX_SKEW:
        raise ValueError(f"max_skew must be within 0-{_MAX_SKEW}, not {max_skew!r}")
    rotation = rng.choices(_ROTATIONS, weights=(55, 15, 15, 15))[0]
    skew = 0.0 if rng.random() < 0.1 else round(rng.uniform(-max_skew, max_skew), 3)
    count = rng.choices((0, 1, 2), weights=(45, 35, 20))[0]
    degradations = tuple(
        (kind, "severe" if kind not in MILD_ONLY and rng.random() < 0.15 else "mild")
        for kind in rng.sample(DEGRADATIONS, count)
    )
    return ScanSpec(rotation, skew, degradations)
