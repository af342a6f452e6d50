# Russian text is meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""The sample-scan generator: valid person codes, exact truth, faithful files, readable pages."""

from __future__ import annotations

import io
import itertools
import os
import random
import re
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from stdnum.ee import ik

from pipeline.corpus import (
    DOCUMENT_TYPES,
    LANGUAGES,
    PageTruth,
    Sample,
    fonts,
    person_code,
    render_document,
    write_sample,
)
from pipeline.corpus._codes import iban, person_code_check_digit
from pipeline.corpus._compose import plan_document
from pipeline.corpus._layout import FontFamily, Typesetter, families

A4_300DPI = (2480, 3508)
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# A word in the Latin script with ä or õ: an Estonian name or place.
ESTONIAN_WORD = re.compile(r"[A-Za-zÄÕÖÜŠŽäõöüšž-]*[äõ][A-Za-zäõöüšž-]*")


def _render_est_two_pages(seed: int = 7) -> Sample:
    return render_document(random.Random(seed), pages=2, language="est", template=0)


# --- person codes ---------------------------------------------------------------------------


def test_person_codes_are_valid_and_vary() -> None:
    rng = random.Random(0)

    codes = [person_code(rng) for _ in range(300)]

    assert all(ik.is_valid(code) for code in codes), [c for c in codes if not ik.is_valid(c)]
    assert len(set(codes)) > 290
    assert {code[0] for code in codes} >= {"3", "4", "5", "6"}


@pytest.mark.parametrize(
    ("sex", "born", "first"),
    [("M", date(1899, 12, 31), "1"), ("F", date(1950, 2, 28), "4"), ("F", date(2004, 2, 29), "6")],
)
def test_person_code_encodes_sex_and_birth_date(sex: str, born: date, first: str) -> None:
    code = person_code(random.Random(1), sex=sex, born=born)

    assert ik.is_valid(code)
    assert code[0] == first
    assert ik.get_gender(code) == sex
    assert ik.get_birth_date(code) == born


def test_person_code_check_digit_takes_the_second_pass_when_the_first_gives_ten() -> None:
    rng = random.Random(2)
    heads = (f"{rng.randint(3, 6)}{rng.randint(0, 99):02d}0101{rng.randint(0, 999):03d}"
             for _ in range(5000))  # fmt: skip
    first_pass_ten = [
        h for h in heads if sum((i % 9 + 1) * int(d) for i, d in enumerate(h)) % 11 == 10
    ]

    assert first_pass_ten
    for head in first_pass_ten:
        assert person_code_check_digit(head) == ik.calc_check_digit(head + "0")


def test_person_code_refuses_an_unknown_sex() -> None:
    with pytest.raises(ValueError, match="sex"):
        person_code(random.Random(0), sex="X")


def test_ibans_pass_the_mod_97_check() -> None:
    from stdnum import iban as stdnum_iban

    rng = random.Random(3)

    numbers = [iban(rng, bank) for bank in ("22", "10", "77", "17", "42") for _ in range(20)]

    assert all(len(n) == 20 and n.startswith("EE") for n in numbers)
    assert all(stdnum_iban.is_valid(n) for n in numbers)


# --- content and truth ----------------------------------------------------------------------


def test_two_page_estonian_sample_has_pages_code_and_estonian_letters() -> None:
    sample = _render_est_two_pages()

    assert len(sample.pages) == len(sample.truth) == 2
    assert all(page.size == A4_300DPI and page.mode == "L" for page in sample.pages)
    assert sample.dpi == 300
    assert sample.document_type == "pension_application"
    (code,) = sample.person_codes
    assert ik.is_valid(code)
    assert f"Isikukood: {code}" in sample.truth[0].text.splitlines()
    assert code not in sample.truth[1].text
    text = "\n".join(t.text for t in sample.truth)
    assert set("õäöüšž") <= set(text)
    assert sample.truth[0].text.splitlines()[-1] == "Lk 1/2"
    assert sample.truth[1].text.splitlines()[-1] == "Lk 2/2"
    assert sample.truth[1].text.splitlines()[-2] == "Allkiri:"
    assert "_" not in text
    assert all(
        t == PageTruth(t.text, "est", rotation=0, skew_degrees=0.0, blank=False, marker=f"Lk {n}/2")
        for n, t in enumerate(sample.truth, start=1)
    )


def test_russian_sample_has_cyrillic_and_estonian_names() -> None:
    # Names and places are drawn at random (most, not all, have ä or õ); this seed has one.
    sample = render_document(random.Random(12), language="rus", template=0)

    text = sample.truth[0].text
    assert CYRILLIC.search(text)
    assert ESTONIAN_WORD.search(text), text
    assert f"Личный код: {sample.person_codes[0]}" in text.splitlines()
    assert "Подпись:" in text.splitlines()
    assert sample.truth[0].language == "rus"


def test_english_sample_labels_the_personal_code() -> None:
    sample = render_document(
        random.Random(12), language="eng", document_type="power_of_attorney", template=0
    )

    lines = sample.truth[0].text.splitlines()
    assert lines[1] == "POWER OF ATTORNEY"
    assert len(sample.person_codes) == 2
    assert all(f"Personal code: {code}" in lines for code in sample.person_codes)


def test_single_page_has_no_page_marker() -> None:
    sample = render_document(random.Random(13))

    assert not re.search(r"Lk \d+/\d+", sample.truth[0].text)


def test_given_person_codes_are_written_as_given_even_when_invalid() -> None:
    codes = ["49403136526", "12345678901", "61501010002"]

    sample = render_document(
        random.Random(4), document_type="family_benefit_application", person_codes=codes
    )

    assert sample.person_codes == tuple(codes)
    lines = sample.truth[0].text.splitlines()
    assert all(f"Isikukood: {code}" in lines for code in codes)
    assert sum(line.startswith("Isikukood:") for line in lines) == 3


def test_no_person_code_leaves_the_field_empty() -> None:
    sample = render_document(random.Random(5), person_codes=[])

    assert sample.person_codes == ()
    assert "Isikukood:" in sample.truth[0].text.splitlines()


def test_page_size_scales_with_dpi() -> None:
    sample = render_document(random.Random(6), dpi=150)

    assert sample.pages[0].size == (1240, 1754)
    assert sample.dpi == 150


def test_same_seed_gives_identical_pixels_and_another_seed_does_not() -> None:
    first = _render_est_two_pages(21)
    again = _render_est_two_pages(21)
    other = _render_est_two_pages(22)

    assert [p.tobytes() for p in first.pages] == [p.tobytes() for p in again.pages]
    assert first.truth == again.truth
    assert first.person_codes == again.person_codes
    assert first.pages[0].tobytes() != other.pages[0].tobytes()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"language": "fin"}, "language"),
        ({"document_type": "tax_return"}, "document type"),
        ({"pages": 0}, "page"),
        ({"dpi": 10}, "dpi"),
        ({"font": "ComicSans"}, "font"),
        ({"person_codes": ["49403136526"] * 12}, "overflow"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_document(random.Random(0), **kwargs)  # type: ignore[arg-type]


# --- layout ---------------------------------------------------------------------------------


def _boxes_overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("document_type", DOCUMENT_TYPES)
def test_lines_fit_in_the_margins_and_do_not_overlap(document_type: str) -> None:
    cases = itertools.product(LANGUAGES, families(), (1, 3), (100, 300))
    for seed, (language, family, pages, dpi) in enumerate(cases):
        plan = plan_document(
            random.Random(seed),
            pages=pages,
            language=language,
            document_type=document_type,
            dpi=dpi,
            font=str(family.regular),
            person_codes=None,
        )
        left, top, right, bottom = Typesetter(dpi, family, 12).box
        width, height = plan.pages[0].size
        assert min(left, top, width - right, height - bottom) >= round(20 * dpi / 25.4)
        for layout in plan.pages:
            runs = [run.box for line in layout.lines for run in line.runs]
            for box in runs + list(layout.rules):
                assert left <= box[0] and box[2] <= right, (language, box)
                assert top <= box[1] and box[3] <= bottom, (language, box)
            # Text overlaps neither text nor rules (the rules of a table's grid cross).
            pairs = [*itertools.combinations(runs, 2), *itertools.product(runs, layout.rules)]
            for a, b in pairs:
                assert not _boxes_overlap(a, b), (family.regular.name, language, a, b)
            line_bottoms = [max(r.box[3] for r in line.runs) for line in layout.lines]
            line_tops = [min(r.box[1] for r in line.runs) for line in layout.lines]
            assert all(b <= t for b, t in zip(line_bottoms, line_tops[1:], strict=False))


def test_ink_stays_within_the_margins() -> None:
    sample = render_document(random.Random(8), pages=2, document_type="medical_certificate")

    for page in sample.pages:
        ink = ImageOps.invert(page).getbbox()
        assert ink is not None
        assert ink[0] >= 236 and ink[1] >= 236
        assert ink[2] <= A4_300DPI[0] - 236 and ink[3] <= A4_300DPI[1] - 236


def test_rendering_is_fast() -> None:
    render_document(random.Random(0))  # load the fonts once
    started = time.perf_counter()

    render_document(random.Random(9), pages=4)

    assert (time.perf_counter() - started) / 4 < 0.3


# --- fonts ----------------------------------------------------------------------------------


def test_fonts_are_serif_and_sans_regular_and_bold() -> None:
    found = fonts()

    assert all(path.is_file() and path.suffix == ".ttf" for path in found)
    names = {path.stem for path in found}
    assert {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSerif", "DejaVuSerif-Bold"} <= names
    assert {"LiberationSerif-Regular", "LiberationSans-Bold"} <= names


@pytest.mark.parametrize("font", ["LiberationSerif", "FreeSans", "DejaVuSerif-Bold"])
def test_a_named_font_is_used(font: str) -> None:
    sample = render_document(random.Random(10), font=font)
    plain = render_document(random.Random(10), font="DejaVuSans")

    assert sample.truth[0].text.splitlines()[:2] == plain.truth[0].text.splitlines()[:2]
    assert sample.pages[0].tobytes() != plain.pages[0].tobytes()


def test_a_font_file_is_used() -> None:
    path = next(p for p in fonts() if p.stem == "LiberationSans-Regular")

    by_path = render_document(random.Random(10), font=str(path))
    by_name = render_document(random.Random(10), font="LiberationSans")

    assert by_path.pages[0].tobytes() == by_name.pages[0].tobytes()
    assert isinstance(families()[0], FontFamily)


# --- files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "pages"), [("pdf", 3), ("tiff", 3), ("jpeg", 1), ("png", 1)])
def test_write_sample_round_trips(tmp_path: Path, fmt: str, pages: int) -> None:
    sample = render_document(random.Random(30), pages=pages, dpi=200)

    written = write_sample(sample, tmp_path / "scan", fmt)

    assert written.exists()
    assert written.suffix == {"pdf": ".pdf", "tiff": ".tif", "jpeg": ".jpg", "png": ".png"}[fmt]
    if fmt == "pdf":
        info = subprocess.run(
            ["pdfinfo", str(written)], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"^Pages:\s+3$", info, re.M)
        assert "(A4)" in info
        images = subprocess.run(
            ["pdfimages", "-list", str(written)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert len(images) == 3
        assert all(row.split()[3:5] == ["1654", "2339"] for row in images)
        assert all(row.split()[12:14] == ["200", "200"] for row in images)
        return
    with Image.open(written) as image:
        assert getattr(image, "n_frames", 1) == pages
        assert tuple(round(v) for v in image.info["dpi"]) == (200, 200)
        for index in range(pages):
            image.seek(index)
            assert image.size == (1654, 2339)
            if fmt != "jpeg":  # lossless formats keep every pixel
                assert image.convert("L").tobytes() == sample.pages[index].tobytes()


def test_write_sample_keeps_a_given_suffix(tmp_path: Path) -> None:
    sample = render_document(random.Random(31), dpi=100)

    assert write_sample(sample, tmp_path / "a.tiff", "tiff") == tmp_path / "a.tiff"


@pytest.mark.parametrize("fmt", ["jpeg", "png"])
def test_single_page_formats_refuse_several_pages(tmp_path: Path, fmt: str) -> None:
    sample = render_document(random.Random(32), pages=2, dpi=100)

    with pytest.raises(ValueError, match="one page"):
        write_sample(sample, tmp_path / "scan", fmt)


def test_write_sample_refuses_an_unknown_format(tmp_path: Path) -> None:
    sample = render_document(random.Random(33), dpi=100)

    with pytest.raises(ValueError, match="format"):
        write_sample(sample, tmp_path / "scan", "bmp")


# --- OCR ------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_tesseract_reads_the_person_code_of_a_rendered_page() -> None:
    sample = render_document(random.Random(40), language="est")
    png = io.BytesIO()
    sample.pages[0].save(png, "PNG", dpi=(sample.dpi, sample.dpi))

    result = subprocess.run(
        ["tesseract", "-", "-", "-l", "est", "--dpi", str(sample.dpi)],
        input=png.getvalue(),
        capture_output=True,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        timeout=120,
    )

    text = result.stdout.decode()
    (code,) = sample.person_codes
    assert code in text
    assert "Isikukood" in text
