"""Pages "as scanned": rotation, skew, borders, degradations, blank backs and their truth."""

from __future__ import annotations

import hashlib
import itertools
import math
import random
import re
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from pipeline.corpus import (
    BLANK_KINDS,
    DEGRADATIONS,
    LANGUAGES,
    MILD_ONLY,
    REASONS,
    PageTruth,
    Sample,
    ScanSpec,
    blank_page,
    random_spec,
    render_document,
    scan_page,
    scanned,
    write_sample,
)
from pipeline.corpus._compose import plan_document
from pipeline.corpus._layout import draw_page
from pipeline.corpus._overlays import draw_overlays

Mask = np.ndarray[Any, np.dtype[np.bool_]]
A4_300DPI = (2480, 3508)
SEVERABLE = tuple(kind for kind in DEGRADATIONS if kind not in MILD_ONLY)


def _page(seed: int = 1, **kwargs: Any) -> tuple[Image.Image, PageTruth]:
    sample = render_document(random.Random(seed), **kwargs)
    return sample.pages[0], sample.truth[0]


def _ink(image: Image.Image, threshold: int = 128) -> Mask:
    result: Mask = np.asarray(image) < threshold
    return result


def _bands(ink: Mask, gap: int = 10) -> list[tuple[int, int]]:
    """Return the runs of rows that hold ink, (first row, row after the last), joining runs
    closer than `gap` (a letter and its diacritics)."""
    rows = np.concatenate(([False], ink.any(axis=1), [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(rows))
    bands: list[tuple[int, int]] = []
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        if bands and start - bands[-1][1] < gap:
            bands[-1] = (bands[-1][0], int(stop))
        else:
            bands.append((int(start), int(stop)))
    return bands


def _title_only(image: Image.Image) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """Return the page with everything but its title (the band after the header's rule)
    painted out, and the title's ink box."""
    ink = _ink(image)
    bands = _bands(ink, gap=4)
    rule = next(i for i, (top, bottom) in enumerate(bands) if bottom - top <= 4)
    title = _bands(ink[bands[rule][1] :])[0]
    title = (title[0] + bands[rule][1], title[1] + bands[rule][1])
    pixels = np.asarray(image).copy()
    pixels[: title[0]] = 255
    pixels[title[1] :] = 255
    columns = np.flatnonzero(ink[title[0] : title[1]].any(axis=0))
    return Image.fromarray(pixels), (int(columns[0]), title[0], int(columns[-1]) + 1, title[1])


def _baseline_degrees(image: Image.Image) -> float:
    """Fit a line through the lowest ink pixel of each column; return its angle, CCW positive."""
    ink = _ink(image)
    columns = np.flatnonzero(ink.any(axis=0))
    lowest = np.array([np.flatnonzero(ink[:, c])[-1] for c in columns], dtype=float)
    slope, intercept = np.polyfit(columns, lowest, 1)
    for _ in range(6):  # drop the columns whose lowest ink is above the baseline (A, M, V)
        keep = lowest >= slope * columns + intercept - 1.5
        slope, intercept = np.polyfit(columns[keep], lowest[keep], 1)
    return -math.degrees(math.atan(slope))  # rows grow downwards


def _digest(sample: Sample) -> str:
    digest = hashlib.sha256()
    for page in sample.pages:
        digest.update(page.tobytes())
    for truth in sample.truth:
        digest.update(truth.text.encode())
    return digest.hexdigest()


# --- clean renders stay as they were --------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "kwargs", "expected"),
    [
        (
            101,
            {"pages": 2, "language": "est", "template": 0},
            "c4c9a5fda08e70943941dd50b3273c01db1a904bb93563b28cdb9ae669821b18",
        ),
        (
            202,
            {"language": "rus", "document_type": "medical_certificate", "template": 0},
            "77b9579725d1ae132f49838be53fc7dce4bc1469855d4716866c57d50ddecc2c",
        ),
        (
            303,
            {"language": "eng", "document_type": "power_of_attorney", "dpi": 200, "template": 0},
            "582d911ef634bbae15703467e5cc6eec297f5072ea6b5f5a0a1e1dde751b120d",
        ),
    ],
)
def test_a_clean_render_is_the_same_as_before_scanning_existed(
    seed: int, kwargs: dict[str, Any], expected: str
) -> None:
    # Given the hashes of these renders taken before scan_page and overlays were added (of the
    # office's own wording, which draws as it did before the types had a second one)
    # When the same seeds are rendered now
    sample = render_document(random.Random(seed), **kwargs)

    # Then every pixel and every line of truth is the same
    assert _digest(sample) == expected
    assert all(t.degradations == () and t.legible and t.reasons == () for t in sample.truth)


# --- rotation and skew ----------------------------------------------------------------------


def test_rotation_90_turns_the_page_clockwise() -> None:
    page, truth = _page(2)
    title_page, (left, top, right, bottom) = _title_only(page)
    height = page.height

    image, scanned_truth = scan_page(title_page, truth, random.Random(0), ScanSpec(rotation=90))

    # The page's top is now on the right, its left edge at the top: the title reads downwards.
    assert image.size == (page.height, page.width)
    assert scanned_truth.rotation == 90
    ys, xs = np.nonzero(_ink(image))
    assert abs(xs.min() - (height - bottom)) <= 1 and abs(xs.max() - (height - 1 - top)) <= 1
    assert abs(ys.min() - left) <= 1 and abs(ys.max() - (right - 1)) <= 1


@pytest.mark.parametrize("rotation", [180, 270])
def test_other_rotations_put_the_title_where_a_turned_page_has_it(rotation: int) -> None:
    page, truth = _page(3)
    title_page, (left, top, _, _) = _title_only(page)
    width, height = page.size

    image, _ = scan_page(title_page, truth, random.Random(0), ScanSpec(rotation=rotation))

    ys, xs = np.nonzero(_ink(image))
    if rotation == 180:  # upside down: the title is at the bottom, its start on the right
        assert abs(ys.max() - (height - 1 - top)) <= 1 and abs(xs.max() - (width - 1 - left)) <= 1
    else:  # 270 clockwise: the page's top is on the left, the title reads upwards
        assert abs(xs.min() - top) <= 1 and abs(ys.max() - (width - 1 - left)) <= 1


@pytest.mark.parametrize("degrees", [3.0, -3.0, 0.7])
def test_skew_is_counter_clockwise_by_the_given_angle(degrees: float) -> None:
    page, truth = _page(4)
    title_page, _ = _title_only(page)
    assert abs(_baseline_degrees(title_page)) < 0.01  # the drawn title is level

    image, scanned_truth = scan_page(
        title_page, truth, random.Random(0), ScanSpec(skew_degrees=degrees)
    )

    assert scanned_truth.skew_degrees == degrees
    assert image.size == page.size
    measured = _baseline_degrees(image)
    assert abs(measured - degrees) < 0.02, measured
    # Counter-clockwise positive: the right end of the line is higher in the image.
    ys, xs = np.nonzero(_ink(image))
    right_end_higher = ys[xs > np.percentile(xs, 95)].max() < ys[xs < np.percentile(xs, 5)].max()
    assert right_end_higher == (degrees > 0)


@pytest.mark.parametrize("degrees", [5.0, -5.0])
def test_skew_within_5_degrees_keeps_the_frame_and_every_piece_of_ink(degrees: float) -> None:
    page, truth = _page(5, document_type="family_benefit_application")

    image, _ = scan_page(page, truth, random.Random(0), ScanSpec(skew_degrees=degrees))

    assert image.size == page.size
    assert image.info["dpi"] == (300, 300)
    ys, xs = np.nonzero(_ink(image))
    margin = round(5 * 300 / 25.4)  # at least 5 mm from every edge
    assert xs.min() > margin and ys.min() > margin
    assert xs.max() < page.width - margin and ys.max() < page.height - margin
    assert abs(int(_ink(image).sum()) - int(_ink(page).sum())) < 0.05 * _ink(page).sum()


def test_a_steep_skew_widens_the_frame_rather_than_lose_ink() -> None:
    page, truth = _page(6)

    image, scanned_truth = scan_page(page, truth, random.Random(0), ScanSpec(skew_degrees=15))

    assert scanned_truth.skew_degrees == 15
    assert image.width > page.width and image.height >= page.height
    ys, xs = np.nonzero(_ink(image))
    assert min(xs.min(), ys.min(), image.width - 1 - xs.max(), image.height - 1 - ys.max()) > 20


# --- blank pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", BLANK_KINDS)
def test_blank_pages_are_white_but_for_their_marks(kind: str) -> None:
    image, truth = blank_page(random.Random(7), kind=kind)
    pixels = np.asarray(image)

    assert truth.blank and truth.text == "" and truth.legible and truth.reasons == ()
    assert image.size == A4_300DPI and image.mode == "L"
    assert image.info["dpi"] == (300, 300)
    assert (pixels < 200).mean() < 0.002
    assert (pixels >= 235).mean() > 0.995
    dark = pixels < 128
    if kind == "clean":
        assert pixels.min() == 255
    elif kind == "punch_holes":
        # Two holes 6 mm across, 12 mm from the left edge, 80 mm apart.
        ys, xs = np.nonzero(dark)
        assert xs.max() < round(16 * 300 / 25.4)
        upper, lower = ys[ys < ys.mean()], ys[ys >= ys.mean()]
        assert abs((lower.mean() - upper.mean()) - 80 * 300 / 25.4) < 3
        assert 60 <= upper.max() - upper.min() + 1 <= 80
    elif kind == "bleed_through":
        # Mirrored text from the back, so faint that a person calls the page blank.
        assert pixels.min() >= 230
        assert (pixels < 250).mean() > 0.001
    elif kind == "noise":
        assert pixels.std() > 1.5 and 0 < dark.sum() < 5000
    else:  # dust: a few specks and a hair
        assert 0 < dark.sum() < 5000


@pytest.mark.parametrize("kind", BLANK_KINDS)
def test_blank_pages_are_drawn_at_the_asked_resolution(kind: str) -> None:
    image, _ = blank_page(random.Random(8), dpi=150, kind=kind)

    assert image.size == (1240, 1754)
    assert image.info["dpi"] == (150, 150)


def test_a_degraded_blank_page_is_still_blank_and_has_nothing_to_flag() -> None:
    image, truth = blank_page(random.Random(9), kind="dust")
    spec = ScanSpec(180, 1.0, (("blur", "severe"), ("noise", "mild")))

    _, scanned_truth = scan_page(image, truth, random.Random(0), spec)

    assert scanned_truth.blank and scanned_truth.text == ""
    assert scanned_truth.legible and scanned_truth.reasons == ()
    assert scanned_truth.degradations == ("blur:severe", "noise:mild")


def test_an_unknown_blank_page_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        blank_page(random.Random(0), kind="coffee_stain")


# --- degradations ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", SEVERABLE)
def test_a_severe_degradation_makes_the_page_illegible_with_its_reason(kind: str) -> None:
    page, truth = _page(9)

    image, scanned_truth = scan_page(
        page, truth, random.Random(1), ScanSpec(degradations=((kind, "severe"),))
    )

    assert scanned_truth.degradations == (f"{kind}:severe",)
    assert not scanned_truth.legible
    assert scanned_truth.reasons == ((REASONS[kind],) if kind in REASONS else ())
    assert scanned_truth.text == truth.text
    assert np.asarray(image).tobytes() != page.tobytes()


@pytest.mark.parametrize("kind", DEGRADATIONS)
def test_a_mild_degradation_leaves_the_page_legible(kind: str) -> None:
    page, truth = _page(10)

    image, scanned_truth = scan_page(
        page, truth, random.Random(2), ScanSpec(degradations=((kind, "mild"),))
    )

    assert scanned_truth.degradations == (f"{kind}:mild",)
    assert scanned_truth.legible and scanned_truth.reasons == ()
    assert np.asarray(image).tobytes() != page.tobytes()


def test_the_reason_codes_are_in_the_closed_enumeration() -> None:
    from pipeline.model import ReasonCode

    assert set(REASONS.values()) <= {code.value for code in ReasonCode}
    assert REASONS == {
        "blur": "ILLEGIBLE_BLUR",
        "low_contrast": "LOW_CONTRAST",
        "low_resolution": "LOW_RESOLUTION",
        "cut_off": "CUT_OFF",
    }


def test_two_severe_degradations_give_both_reasons_in_the_given_order() -> None:
    page, truth = _page(11)
    spec = ScanSpec(90, -2.5, (("low_contrast", "severe"), ("jpeg", "mild"), ("blur", "severe")))

    _, scanned_truth = scan_page(page, truth, random.Random(3), spec)

    assert scanned_truth.degradations == ("low_contrast:severe", "jpeg:mild", "blur:severe")
    assert scanned_truth.reasons == ("LOW_CONTRAST", "ILLEGIBLE_BLUR")
    assert scanned_truth.rotation == 90 and scanned_truth.skew_degrees == -2.5
    assert not scanned_truth.legible


@pytest.mark.parametrize(("severity", "dpi"), [("mild", 150), ("severe", 40)])
def test_low_resolution_returns_fewer_pixels_and_records_the_real_dpi(
    severity: str, dpi: int
) -> None:
    page, truth = _page(12)

    image, _ = scan_page(
        page, truth, random.Random(0), ScanSpec(degradations=(("low_resolution", severity),))
    )

    assert image.info["dpi"] == (dpi, dpi)
    assert image.size == (round(2480 * dpi / 300), round(3508 * dpi / 300))


@pytest.mark.parametrize("seed", range(6))
def test_a_severe_cut_off_loses_ink_at_an_edge_and_a_mild_one_does_not(seed: int) -> None:
    page, truth = _page(13 + seed, pages=1)
    spec = ScanSpec(skew_degrees=(-2.0, 0.0, 3.0)[seed % 3])
    reference, _ = scan_page(page, truth, random.Random(seed), spec)

    severe, _ = scan_page(
        page,
        truth,
        random.Random(seed),
        ScanSpec(spec.rotation, spec.skew_degrees, (("cut_off", "severe"),)),
    )
    mild, _ = scan_page(
        page,
        truth,
        random.Random(seed),
        ScanSpec(spec.rotation, spec.skew_degrees, (("cut_off", "mild"),)),
    )

    def edge_ink(image: Image.Image) -> int:
        ink = _ink(image)
        return int(ink[:, :2].sum() + ink[:, -2:].sum() + ink[-2:, :].sum() + ink[:2, :].sum())

    assert edge_ink(reference) == 0
    assert edge_ink(severe) > 20
    assert _ink(severe).sum() < 0.99 * _ink(reference).sum()
    assert edge_ink(mild) == 0
    assert abs(int(_ink(mild).sum()) - int(_ink(reference).sum())) < 0.01 * _ink(reference).sum()
    ys, xs = np.nonzero(_ink(mild))
    gap = min(xs.min(), ys.min(), mild.width - 1 - xs.max(), mild.height - 1 - ys.max())
    assert gap < round(6 * 300 / 25.4)  # moved to within a few millimetres of an edge


def test_scanner_borders_are_dark_bands_along_the_edges_clear_of_the_text() -> None:
    page, truth = _page(20)

    image, _ = scan_page(
        page, truth, random.Random(4), ScanSpec(degradations=(("scanner_border", "mild"),))
    )

    pixels = np.asarray(image)
    edges = {
        "left": pixels[:, :20],
        "right": pixels[:, -20:],
        "top": pixels[:20, :],
        "bottom": pixels[-20:, :],
    }
    dark_sides = [side for side, strip in edges.items() if strip.mean() < 60]
    assert 1 <= len(dark_sides) <= 3
    changed = np.asarray(page) != pixels
    ys, xs = np.nonzero(changed)
    text_ys, text_xs = np.nonzero(_ink(page))
    inside = (
        (xs > text_xs.min()) & (xs < text_xs.max()) & (ys > text_ys.min()) & (ys < text_ys.max())
    )
    assert not inside.any()


@pytest.mark.parametrize(("kind", "severity"), [(k, "severe") for k in sorted(MILD_ONLY)])
def test_kinds_a_person_always_reads_through_have_no_severe_form(kind: str, severity: str) -> None:
    with pytest.raises(ValueError, match=kind):
        ScanSpec(degradations=((kind, severity),))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rotation": 45},
        {"skew_degrees": 15.5},
        {"skew_degrees": math.nan},
        {"degradations": (("smudge", "mild"),)},
        {"degradations": (("blur", "awful"),)},
        {"degradations": (("blur", "mild"), ("blur", "severe"))},
    ],
)
def test_impossible_specs_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        ScanSpec(**kwargs)


def test_scanning_is_fast() -> None:
    page, truth = _page(21)
    rng = random.Random(5)
    specs = [ScanSpec(90, 4.0, (("noise", "severe"), ("low_contrast", "severe")))]
    specs += [random_spec(rng) for _ in range(5)]
    scan_page(page, truth, random.Random(0), specs[0])  # the first call builds tables
    started = time.perf_counter()

    for spec in specs:
        scan_page(page, truth, rng, spec)

    assert (time.perf_counter() - started) / len(specs) < 0.3


# --- whole samples --------------------------------------------------------------------------


def test_scanned_applies_each_spec_to_its_page_and_duplex_adds_blank_backs() -> None:
    sample = render_document(random.Random(22), pages=2, language="rus")
    specs = [
        ScanSpec(rotation=90, skew_degrees=1.5),
        ScanSpec(degradations=(("low_resolution", "mild"),)),
    ]

    result = scanned(sample, random.Random(1), specs, blank_backs=["punch_holes", "noise"])

    assert len(result.pages) == len(result.truth) == 4
    front, back, front2, back2 = result.truth
    assert (front.rotation, front.skew_degrees, front.blank) == (90, 1.5, False)
    assert front.text == sample.truth[0].text and front2.text == sample.truth[1].text
    assert back.blank and back2.blank and back.text == back2.text == ""
    assert back.language == front.language == "rus"
    # A duplex back is scanned like its front: turned the same way, at the same resolution.
    assert result.pages[1].size == result.pages[0].size == (3508, 2480)
    assert result.pages[3].size == result.pages[2].size == (1240, 1754)
    assert result.pages[3].info["dpi"] == (150, 150)
    assert (result.person_codes, result.document_type, result.dpi) == (
        sample.person_codes,
        sample.document_type,
        sample.dpi,
    )
    assert sample.truth[0].rotation == 0  # the input is left as it was


def test_scanned_without_backs_keeps_the_page_count() -> None:
    sample = render_document(random.Random(23), pages=3)

    result = scanned(sample, random.Random(2), [ScanSpec()] * 3)

    assert len(result.pages) == 3
    assert [p.tobytes() for p in result.pages] == [p.tobytes() for p in sample.pages]


@pytest.mark.parametrize(
    ("specs", "backs"), [([ScanSpec()], ()), ([ScanSpec()] * 2, ["clean"]), ([], ())]
)
def test_scanned_wants_one_spec_and_one_back_per_page(
    specs: list[ScanSpec], backs: list[str]
) -> None:
    sample = render_document(random.Random(24), pages=2, dpi=100)

    with pytest.raises(ValueError, match="per page"):
        scanned(sample, random.Random(0), specs, blank_backs=backs)


def test_the_same_seed_gives_the_same_scan_and_another_seed_does_not() -> None:
    sample = render_document(random.Random(25), pages=2, overlays=True)
    specs = [
        ScanSpec(270, -1.25, (("noise", "mild"), ("cut_off", "severe"))),
        ScanSpec(0, 2.0, (("bleed_through", "mild"), ("jpeg", "mild"))),
    ]

    first = scanned(sample, random.Random(3), specs, blank_backs=["dust", "bleed_through"])
    again = scanned(sample, random.Random(3), specs, blank_backs=["dust", "bleed_through"])
    other = scanned(sample, random.Random(4), specs, blank_backs=["dust", "bleed_through"])

    assert [p.tobytes() for p in first.pages] == [p.tobytes() for p in again.pages]
    assert first.truth == again.truth
    assert first.pages[0].tobytes() != other.pages[0].tobytes()
    assert _digest(render_document(random.Random(25), pages=2, overlays=True)) == _digest(sample)


def test_write_sample_keeps_each_pages_own_resolution(tmp_path: Path) -> None:
    sample = render_document(random.Random(26), pages=2, dpi=200)
    specs = [ScanSpec(), ScanSpec(degradations=(("low_resolution", "mild"),))]
    result = scanned(sample, random.Random(0), specs)

    tiff = write_sample(result, tmp_path / "scan", "tiff")
    pdf = write_sample(result, tmp_path / "scan", "pdf")

    with Image.open(tiff) as image:
        assert getattr(image, "n_frames", 1) == 2
        sizes = []
        for index in range(2):
            image.seek(index)
            sizes.append((image.size, tuple(round(v) for v in image.info["dpi"])))
    assert sizes == [((1654, 2339), (200, 200)), ((1240, 1754), (150, 150))]
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "2", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Pages:\s+2$", info, re.M)
    assert len(re.findall(r"Page\s+\d size:.*\(A4\)", info)) == 2


# --- the benchmark's draw -------------------------------------------------------------------


def test_random_spec_draws_the_benchmarks_mix() -> None:
    rng = random.Random(27)

    specs = [random_spec(rng) for _ in range(4000)]

    rotations = Counter(spec.rotation for spec in specs)
    assert abs(rotations[0] / 4000 - 0.55) < 0.03
    assert all(abs(rotations[r] / 4000 - 0.15) < 0.025 for r in (90, 180, 270))
    skews = [spec.skew_degrees for spec in specs]
    assert all(-5 <= s <= 5 for s in skews)
    assert abs(skews.count(0.0) / 4000 - 0.1) < 0.02
    assert min(skews) < -4.8 and max(skews) > 4.8
    assert abs(float(np.mean(skews))) < 0.2
    counts = Counter(len(spec.degradations) for spec in specs)
    assert set(counts) == {0, 1, 2}
    assert abs(counts[0] / 4000 - 0.45) < 0.03
    assert abs(counts[2] / 4000 - 0.2) < 0.03
    drawn = [pair for spec in specs for pair in spec.degradations]
    assert {kind for kind, _ in drawn} == set(DEGRADATIONS)
    assert all(severity == "mild" for kind, severity in drawn if kind in MILD_ONLY)
    severities = [severity for kind, severity in drawn if kind not in MILD_ONLY]
    assert abs(severities.count("severe") / len(severities) - 0.15) < 0.03
    assert all(
        len({kind for kind, _ in spec.degradations}) == len(spec.degradations) for spec in specs
    )


def test_random_spec_honours_max_skew() -> None:
    rng = random.Random(28)

    skews = [random_spec(rng, max_skew=1.0).skew_degrees for _ in range(500)]

    assert all(abs(s) <= 1.0 for s in skews) and max(map(abs, skews)) > 0.9
    with pytest.raises(ValueError, match="max_skew"):
        random_spec(rng, max_skew=16)


# --- overlays -------------------------------------------------------------------------------


def test_overlays_add_tables_whose_text_is_in_the_truth_row_by_row() -> None:
    headers = {"Algus Lõpp Riik", "Kuu Summa (EUR) Makse liik", "Nr Dokument Lehti"}
    found = []
    for seed in range(12):
        sample = render_document(random.Random(seed), pages=2, overlays=True)
        for truth in sample.truth:
            lines = truth.text.splitlines()
            found += [lines[lines.index(h) : lines.index(h) + 3] for h in headers & set(lines)]

    assert len(found) >= 3
    for header, first_row, _ in found:
        if header.startswith("Algus"):
            assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d\.\d\d\.\d{4} \w+", first_row)
        elif header.startswith("Kuu"):
            assert re.fullmatch(r"\d\d\.\d{4} \d+,\d\d \w+", first_row)
        else:
            assert re.fullmatch(r"1 .+ [1-4]", first_row)


@pytest.mark.parametrize("language", LANGUAGES)
def test_overlays_are_drawn_only_in_their_boxes_and_never_over_text(language: str) -> None:
    kinds: Counter[str] = Counter()
    for seed in range(15):
        plan = plan_document(
            random.Random(seed),
            pages=2,
            language=language,
            document_type=("pension_application", "power_of_attorney")[seed % 2],
            dpi=300,
            font=None,
            person_codes=None,
            tables=random.Random(seed + 100),
        )
        for number, layout in enumerate(plan.pages, start=1):
            clean = draw_page(layout)
            clean.info["dpi"] = (300, 300)
            marked, overlays = draw_overlays(
                clean, layout, random.Random(seed), first=number == 1, last=number == 2
            )
            changed = np.asarray(marked) != np.asarray(clean)
            allowed = np.zeros_like(changed)
            for overlay in overlays:
                kinds[overlay.kind] += 1
                left, top, right, bottom = overlay.box
                allowed[top:bottom, left:right] = True
                for line in layout.lines:
                    for run in line.runs:
                        assert not _overlap(overlay.box, run.box), (overlay, line.text)
            assert not (changed & ~allowed).any()
    assert kinds["signature"] >= 8 and kinds["stamp"] >= 5 and kinds["photo"] >= 2


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_overlays_keep_the_rest_of_the_content() -> None:
    for seed, language in itertools.product(range(3), LANGUAGES):
        plain = render_document(random.Random(seed), pages=2, language=language)
        marked = render_document(random.Random(seed), pages=2, language=language, overlays=True)

        assert marked.person_codes == plain.person_codes
        assert marked.truth[0].text.splitlines()[:4] == plain.truth[0].text.splitlines()[:4]
