"""``intake process FILE --json``: one contract-shaped JSON line per file, and honest exit codes."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from pipeline.corpus import person_code
from tests.fixtures.processes import run_intake
from tests.fixtures.records import text_page

DPI = 300
PAGE_SIZE = (1200, 450)

TOP_KEYS = {"file", "sha256", "pages", "documents", "verdict", "timings_ms"}
# Not in the contract as briefed; printed by pipeline/report.py:capture_json all the same.
EXTRA_TOP_KEYS = {"media_type"}
PAGE_KEYS = {
    "number",
    "rotation",
    "skew_degrees",
    "blank",
    "text",
    "ocr_confidence",
    "width",
    "height",
    "dpi",
}
DOCUMENT_KEYS = {"document_type", "type_confidence", "pages", "fields", "verdict"}
VERDICT_KEYS = {"status", "reasons"}


CODE = person_code(random.Random("cli-1"), sex="F", born=date(1987, 3, 12))
OTHER_CODE = person_code(random.Random("cli-2"), sex="M", born=date(1966, 11, 9))


def render(lines: tuple[str, ...], *, signed_line: int | None = None) -> Image.Image:
    """A small white page with ``lines`` in black, large enough for Tesseract.

    With ``signed_line``, a pen stroke is drawn right of that line (a signature by its label).
    """
    page = text_page(lines, PAGE_SIZE, font_size=48, margin=60, line_height=100)
    if signed_line is not None:
        top = 60 + signed_line * 100
        stroke = [(330 + 14 * i, top + (5 if i % 4 < 2 else 45) + (i % 3) * 5) for i in range(30)]
        ImageDraw.Draw(page).line(stroke, fill=20, width=4)
    return page


def save(path: Path, images: list[Image.Image], fmt: str, **options: object) -> Path:
    first, *rest = images
    if rest:
        first.save(path, fmt, save_all=True, append_images=rest, **options)
    else:
        first.save(path, fmt, **options)
    return path


@dataclass(frozen=True)
class Run:
    """One finished ``intake process`` run."""

    code: int
    lines: list[dict[str, Any]]
    stderr: str


def intake_process(*args: str | Path, home: Path) -> Run:
    """``python -m pipeline.cli process ARGS`` with no service configured."""
    done = run_intake("process", *args, home=home)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return Run(code=done.returncode, lines=lines, stderr=done.stderr)


@dataclass(frozen=True)
class Samples:
    """The same form as PDF, JPEG, PNG and a 2-page TIFF."""

    pdf: Path
    jpeg: Path
    png: Path
    tiff: Path

    @property
    def all(self) -> list[Path]:
        return [self.pdf, self.jpeg, self.png, self.tiff]


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Samples]:
    folder = tmp_path_factory.mktemp("samples")
    # A signed family benefit application; the TIFF has an appendix page as well
    first = ("AVALDUS PERETOETUSTE MÄÄRAMISEKS", f"Isikukood: {CODE}", "Allkiri:")
    second = ("Lisa 1", f"Isikukood {CODE}")
    made = [render(first, signed_line=2) for _ in range(4)] + [render(second)]
    try:
        yield Samples(
            pdf=save(folder / "form.pdf", [made[0]], "PDF", resolution=DPI),
            jpeg=save(folder / "form.jpg", [made[1].convert("RGB")], "JPEG", dpi=(DPI, DPI)),
            png=save(folder / "form.png", [made[2]], "PNG", dpi=(DPI, DPI)),
            tiff=save(folder / "form.tif", [made[3], made[4]], "TIFF", dpi=(DPI, DPI)),
        )
    finally:
        for image in made:
            image.close()


@pytest.fixture(scope="module")
def four_formats(samples: Samples, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One run over all four sample files."""
    return intake_process(
        *samples.all, "--json", "--jobs", "1", home=tmp_path_factory.mktemp("home")
    )


def test_every_format_is_accepted_with_exit_zero(four_formats: Run, samples: Samples) -> None:
    # Then the run succeeds and prints one line per file, in input order
    assert four_formats.code == 0, four_formats.stderr
    assert [line["file"] for line in four_formats.lines] == [str(p) for p in samples.all]
    assert all(
        line["verdict"] == {"status": "accepted", "reasons": []} for line in four_formats.lines
    )


def test_each_line_has_exactly_the_contract_keys(four_formats: Run) -> None:
    for line in four_formats.lines:
        # Then the capture, its pages, documents and verdicts carry the contract's keys
        assert set(line) == TOP_KEYS | EXTRA_TOP_KEYS
        assert set(line["verdict"]) == VERDICT_KEYS
        assert isinstance(line["timings_ms"], dict)
        for page in line["pages"]:
            assert set(page) == PAGE_KEYS
        for document in line["documents"]:
            assert set(document) == DOCUMENT_KEYS
            assert set(document["verdict"]) == VERDICT_KEYS
            assert "person_codes" in document["fields"]
            assert all("value" in c for c in document["fields"]["person_codes"])


def test_sha256_is_the_hash_of_the_file_bytes(four_formats: Run, samples: Samples) -> None:
    # Then each line's sha256 is the hash of exactly the bytes on disk
    expected = [hashlib.sha256(p.read_bytes()).hexdigest() for p in samples.all]
    assert [line["sha256"] for line in four_formats.lines] == expected


def test_pages_report_size_dpi_text_and_page_measures(four_formats: Run) -> None:
    # Then the pages are numbered from 1, as large as rendered, and carry the OCR text
    page_counts = [len(line["pages"]) for line in four_formats.lines]
    assert page_counts == [1, 1, 1, 2]
    for line in four_formats.lines:
        for number, page in enumerate(line["pages"], 1):
            assert page["number"] == number
            assert (page["width"], page["height"]) == PAGE_SIZE
            assert page["dpi"] == DPI
            assert CODE in page["text"]
            assert 0.0 < page["ocr_confidence"] <= 1.0
            # The page was scanned upright and level, and is not blank
            assert page["rotation"] == 0
            assert abs(page["skew_degrees"]) < 0.1
            assert page["blank"] is False
    assert "PERETOETUSTE" in four_formats.lines[0]["pages"][0]["text"]
    assert "Lisa" in four_formats.lines[3]["pages"][1]["text"]


def test_one_typed_document_with_the_person_code_once(four_formats: Run) -> None:
    for line in four_formats.lines:
        # Then there is one document of every page, typed by its title, with the code once
        (document,) = line["documents"]
        assert document["document_type"] == "family_benefit_application"
        assert 0.55 <= document["type_confidence"] <= 1.0
        assert document["pages"] == [p["number"] for p in line["pages"]]
        codes = document["fields"]["person_codes"]
        assert [(c["value"], c["page"]) for c in codes] == [(CODE, 1)]
        assert document["verdict"] == {"status": "accepted", "reasons": []}


def test_an_empty_file_needs_review_with_exit_three(tmp_path: Path) -> None:
    # Given an empty file, as a scanner writes when it fails early
    empty = tmp_path / "empty.pdf"
    empty.touch()

    # When it is processed
    run = intake_process(empty, "--json", home=tmp_path)

    # Then its line says needs_review because of EMPTY_FILE, and the exit code is 3
    assert run.code == 3, run.stderr
    (line,) = run.lines
    assert line["sha256"] == hashlib.sha256(b"").hexdigest()
    assert line["verdict"]["status"] == "needs_review"
    assert [r["code"] for r in line["verdict"]["reasons"]] == ["EMPTY_FILE"]
    assert line["pages"] == []
    assert line["documents"] == []


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="no-file"),
        pytest.param(["--json"], id="only-a-flag"),
        pytest.param(["x.pdf", "--no-such-flag"], id="unknown-flag"),
        pytest.param(["x.pdf", "--jobs", "many"], id="jobs-not-a-number"),
    ],
)
def test_bad_usage_exits_two(args: list[str], tmp_path: Path) -> None:
    # When the command line is wrong
    run = intake_process(*args, home=tmp_path)

    # Then nothing is processed and the exit code is 2
    assert run.code == 2
    assert run.lines == []
    assert "usage" in run.stderr.lower()


def test_a_path_that_does_not_exist_exits_one(tmp_path: Path) -> None:
    # Given a path with nothing behind it
    missing = tmp_path / "no-such-scan.pdf"

    # When it is processed
    run = intake_process(missing, "--json", home=tmp_path)

    # Then no line is printed, the error names the file and the exit code is 1
    assert run.code == 1
    assert run.lines == []
    assert "no-such-scan.pdf" in run.stderr


def test_an_error_outranks_a_review_whatever_the_order(tmp_path: Path) -> None:
    # Given an empty file and a missing one, in this order
    empty = tmp_path / "empty.png"
    empty.touch()
    missing = tmp_path / "gone.png"

    # When both are processed
    run = intake_process(empty, missing, "--json", "--jobs", "1", home=tmp_path)

    # Then the empty one is reported, and the exit code is the error's
    assert run.code == 1
    assert [line["file"] for line in run.lines] == [str(empty)]


def test_parallel_jobs_print_lines_in_input_order(tmp_path: Path) -> None:
    # Given three different small files
    lines = [("Esimene", f"IK {CODE}"), ("Teine", f"IK {OTHER_CODE}"), ("Kolmas",)]
    files = []
    for i, text in enumerate(lines):
        image = render(text)
        files.append(save(tmp_path / f"{i}.png", [image], "PNG", dpi=(DPI, DPI)))
        image.close()

    # When they are processed by two workers
    run = intake_process(*files, "--json", "--jobs", "2", home=tmp_path)

    # Then three lines come, in the order of the arguments, each with its own content (none is
    # of a known type, so each needs review: exit code 3)
    assert run.code == 3, run.stderr
    assert [line["file"] for line in run.lines] == [str(f) for f in files]
    codes = [
        [c["value"] for c in line["documents"][0]["fields"]["person_codes"]] for line in run.lines
    ]
    assert codes == [[CODE], [OTHER_CODE], []]
