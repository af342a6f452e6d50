"""``intake process FILE --json``: one contract-shaped JSON line per file, and honest exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from pipeline.corpus import blank_page, person_code, render_document
from tests.fixtures.processes import REPO, run_intake
from tests.fixtures.records import text_page

DPI = 300
PAGE_SIZE = (1200, 450)

TOP_KEYS = {"file", "sha256", "pages", "documents", "verdict", "timings_ms"}
# Not in the contract as briefed; printed by pipeline/report.py:capture_json all the same.
EXTRA_TOP_KEYS = {"media_type"}
EXTRA_PAGE_KEYS = {"signed"}  # what the signature stage found on the page
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
            assert set(page) == PAGE_KEYS | EXTRA_PAGE_KEYS
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


# --- memory ---------------------------------------------------------------------------------

# Issue 6: a worker's resident memory stays within this, whatever the capture's page count.
MAX_RSS_MB = 600


@dataclass(frozen=True)
class Measured:
    """One finished ``intake process`` run and the peak resident memory of its process."""

    run: Run
    peak_rss_mb: float


# Runs ARGV[2:] and writes the peak RSS (KB) of it and its children into ARGV[1].  The kernel
# counts it exactly, at exit (no sampling to miss the peak); a small parent of its own keeps
# the count clean: a child's count starts from the memory of the process it was spawned
# from, which for pytest itself may be large.
_PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:], check=False).returncode\n"
    "with open(sys.argv[1], 'w') as out:\n"
    "    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)


def measured_intake_process(*args: str | Path, home: Path, timeout: float = 300) -> Measured:
    """``intake process ARGS`` as ``intake_process`` runs it, with its peak RSS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
    env.update({"OMP_THREAD_LIMIT": "1", "INTAKE_HOME": str(home)})
    peak = home / "peak-rss-kb"
    command = [sys.executable, "-m", "pipeline.cli", "process", *map(str, args)]
    proc = subprocess.Popen(
        [sys.executable, "-c", _PEAK_RSS, str(peak), *command],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so that both processes can be stopped together
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"intake process did not finish within {timeout:.0f} s")
    lines = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    run = Run(code=proc.returncode, lines=lines, stderr=stderr)
    return Measured(run=run, peak_rss_mb=int(peak.read_text()) / 1024)


def long_scan(path: Path, *, pages: int, text_pages: int = 3) -> Path:
    """A 300 dpi A4 scanner's PDF of ``pages`` pages: a short form, then blank sheets.

    Blank sheets are decoded, cropped and measured like any page but not OCR'd, so the
    file is long without taking long.
    """
    rng = random.Random(f"long-scan-{pages}")
    form = render_document(rng, pages=text_pages, document_type="pension_application", dpi=DPI)
    blanks = [blank_page(rng, dpi=DPI)[0] for _ in range(pages - text_pages)]
    first, *rest = [*form.pages, *blanks]
    try:
        first.save(path, "PDF", save_all=True, append_images=rest, resolution=float(DPI))
    finally:
        for image in (first, *rest):
            image.close()
    return path


def test_a_long_capture_stays_within_a_workers_memory(tmp_path: Path) -> None:
    # Given a 40-page 300 dpi scan (about 9 MB a page decoded: some 350 MB all together), and
    # the type model already cached by a first run, so that training is not measured
    scan = long_scan(tmp_path / "long.pdf", pages=40)
    empty = tmp_path / "empty.pdf"
    empty.touch()
    intake_process(empty, "--json", home=tmp_path)

    # When it is processed by `intake process FILE --json`
    measured = measured_intake_process(scan, "--json", home=tmp_path)

    # Then every page is in the JSON, and the process never held more than a worker may
    assert measured.run.code in (0, 3), measured.run.stderr
    (line,) = measured.run.lines
    assert [page["number"] for page in line["pages"]] == list(range(1, 41))
    assert sum(page["blank"] for page in line["pages"]) == 37
    assert measured.peak_rss_mb <= MAX_RSS_MB, f"peak RSS {measured.peak_rss_mb:.0f} MB"
