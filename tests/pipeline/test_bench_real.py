"""The real-scan bench: the cache it copies and reads, turned pages, and its rows.

Every corpus here is generated in a temporary folder (a git repository shaped like the
public one), so nothing third-party is needed and nothing is fetched.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from PIL import Image

from pipeline.bench.metrics import Prediction
from pipeline.bench.real import (
    LICENSES,
    MANIFEST,
    RealPage,
    fetch_real,
    hocr_text,
    load_real,
    phone_scan_text,
    words_in_lines,
)
from pipeline.bench.realbench import (
    PageResult,
    Variant,
    bag_of_words_error,
    build_corpus,
    orientation_summary,
    page_results,
    refused,
    signature_summary,
    summary_rows,
    turned_variants,
    variant_image,
)
from pipeline.bench.tools import ToolRun


def _page(path: Path, size: tuple[int, int] = (60, 40)) -> Path:
    """A white page with a black block at its top left: its turns can be told apart."""
    image = Image.new("L", size, 255)
    image.paste(0, (0, 0, 10, 10))
    image.save(path)
    return path


def _mirror(root: Path) -> Path:
    """A bare mirror of a repository laid out as tesseract-ocr/test, under ``root``."""
    work = root / "work"
    (work / "testing").mkdir(parents=True)
    _page(work / "testing" / "phototest.tif")
    (work / "testing" / "phototest.txt").write_text("This is a lot of 12 point text\n")
    _page(work / "testing" / "phototest-rotated-R.png", (40, 60))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(work)]
    subprocess.run([*git[:-2], "init", "-q", str(work)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "pages"], check=True)
    mirrors = root / "mirrors"
    bare = mirrors / "tesseract-ocr+test" / "repo"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    return mirrors


def test_fetch_copies_pages_truth_and_licence_and_names_missing_mirrors(tmp_path: Path) -> None:
    # Given a mirror of one corpus only
    mirrors = _mirror(tmp_path)
    cache = tmp_path / "cache"

    # When the real scans are fetched and read back
    copied, missing = fetch_real(mirrors, cache)
    corpora, not_cached = load_real(cache)

    # Then that corpus is cached with its manifest and licence, the others are named missing
    assert copied == ["tesseract-test"]
    assert {m.split(":")[0] for m in missing} == {
        "scribe-benchmark",
        "funsd",
        "phone-scan",
        "signatures",
    }
    folder = cache / "tesseract-test"
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["repo"] == "tesseract-ocr/test" and len(manifest["commit"]) == 40
    assert "Apache-2.0" in (folder / LICENSES).read_text()
    (corpus,) = corpora
    assert [(p.name, p.rotation) for p in corpus.pages] == [
        ("phototest", 0),
        ("phototest-rotated-R", 90),
    ]
    assert all(p.truth.startswith("This is a lot") and p.png.is_file() for p in corpus.pages)
    assert len(not_cached) == 4


def test_an_absent_cache_names_every_corpus_missing(tmp_path: Path) -> None:
    corpora, missing = load_real(tmp_path / "nowhere")
    assert corpora == [] and len(missing) == 5
    assert all("--fetch-real" in m for m in missing)


def test_truth_formats_become_lines_of_text() -> None:
    hocr = (
        "<div class='ocr_page'><span class='ocr_line' title='x'>"
        "<span class='ocrx_word'>Hello</span> <span class='ocrx_word'>w&amp;rld</span></span>"
        "<span class='ocr_line'><span class='ocrx_word'><b>again</b></span></span></div>"
    )
    assert hocr_text(hocr) == "Hello w&rld\nagain"
    boxed = [("world", [50, 12, 90, 30]), ("date:", [0, 60, 40, 80]), ("Hello", [0, 10, 40, 30])]
    assert words_in_lines(boxed) == "Hello world\ndate:"
    rows = '"Жук";1;1;2;1;2;2;1;2;1;1;1; 0.9;\n"Ёж";1;1;2;1;2;2;1;2;1;1;2; 0.9;\n'
    assert phone_scan_text(rows) == "Жук\nЁж"


def test_turned_variants_carry_their_rotation_and_skew(tmp_path: Path) -> None:
    # Given an upright page and a page the corpus shows turned already
    upright = RealPage("p", _page(tmp_path / "p.png"), "text")
    turned = RealPage("q", _page(tmp_path / "q.png"), "text", rotation=90)

    # When the turned variants are made
    variants = turned_variants([upright, turned])

    # Then only the upright page is turned, each way and by each skew
    assert [(v.page.name, v.rotation, v.skew_degrees) for v in variants] == [
        ("p", 90, 0.0),
        ("p", 180, 0.0),
        ("p", 270, 0.0),
        ("p", 0, 3.0),
        ("p", 0, -2.0),
    ]
    # and turned clockwise by 90 the block at the top left is at the top right
    image = variant_image(variants[0])
    assert image.size == (40, 60)
    assert image.getpixel((35, 2)) == 0 and image.getpixel((2, 2)) == 255
    assert variant_image(Variant(turned, rotation=90)).size == (60, 40)


def test_each_variant_is_a_one_page_document_with_its_truth(tmp_path: Path) -> None:
    page = RealPage("p", _page(tmp_path / "p.png"), "Hello world", signed=False)
    corpus = build_corpus([Variant(page), Variant(page, rotation=270)], tmp_path / "bench")
    assert [d.truth.pages[0].rotation for d in corpus.documents] == [0, 270]
    assert all(d.file.is_file() and d.pdf.is_file() for d in corpus.documents)
    assert corpus.truths[0].text == "Hello world"
    assert corpus.documents[0].truth.reasons == frozenset({"UNSIGNED"})
    assert corpus.pages[0].dpi >= 70


def test_bag_of_words_ignores_order_and_refusals_are_counted() -> None:
    assert bag_of_words_error("world Hello", "Hello world") == 0.0
    assert bag_of_words_error("Hello", "Hello world") == 1 - 2 / 3
    assert bag_of_words_error("x", "") is None
    assert refused("ocrmypdf", Prediction(" \n")) and refused(
        "tesseract", Prediction("", failed=True)
    )
    assert refused("intake", Prediction("words", reasons=frozenset({"LOW_CONTRAST"})))
    assert not refused("ocrmypdf", Prediction("words", reasons=frozenset({"LOW_CONTRAST"})))


def test_report_rows_per_tool_orientation_and_signatures() -> None:
    rows = [
        PageResult(
            "c",
            "a",
            {"intake": 0.1, "ocrmypdf": 0.3},
            {"intake": 0.0, "ocrmypdf": 0.2},
            {"intake": False, "ocrmypdf": True},
        ),
        PageResult(
            "c",
            "b",
            {"intake": 0.3, "ocrmypdf": None},
            {"intake": 0.2, "ocrmypdf": None},
            {"intake": False, "ocrmypdf": False},
        ),
    ]
    (intake, ocrmypdf) = summary_rows("c", rows, {"intake": 2.0, "ocrmypdf": 3.0})
    assert intake["cer_mean"] == 0.2 and intake["refused"] == 0 and intake["pages"] == 2
    assert ocrmypdf["cer_median"] == 0.3 and ocrmypdf["refused"] == 1

    upright = [PageResult("c", "a", skew=(0.0, 0.5))]
    turned = [
        PageResult("c", "a@90", rotation=(90, 90)),
        PageResult("c", "a@180", rotation=(180, 0)),
        PageResult("c", "a~+3", skew=(3.0, 3.5)),
    ]
    orientation = orientation_summary(turned, upright)
    assert orientation["orientation_accuracy"] == 0.5
    assert orientation["skew_mae"] == 0.5 and orientation["skew_mae_vs_upright"] == 0.0

    signed = [
        PageResult("s", "x", signed=False, unsigned_flagged=True),
        PageResult("s", "y", signed=True, unsigned_flagged=True),
        PageResult("s", "z", signed=False, unsigned_flagged=False),
    ]
    assert signature_summary(signed) == {"pages": 3, "unsigned": 2, "precision": 0.5, "recall": 0.5}


def test_a_real_page_is_unsigned_for_the_bench_when_the_stage_found_no_signature(
    tmp_path: Path,
) -> None:
    # Given a signed and an unsigned real page, and intake's signature stage on each
    signed = RealPage("s", _page(tmp_path / "s.png"), "", signed=True)
    unsigned = RealPage("u", _page(tmp_path / "u.png"), "", signed=False)
    run = ToolRun(
        "intake",
        (Prediction("", signed=True), Prediction("", signed=None)),
        seconds=1.0,
        failed_documents=0,
        reported=frozenset(),
    )
    # When the rows are made
    rows = page_results("signatures", [Variant(signed), Variant(unsigned)], [run])
    # Then UNSIGNED counts as raised where no signature was found, whatever the type
    assert [r.unsigned_flagged for r in rows] == [False, True]
    summary = signature_summary(rows)
    assert summary is not None and summary["precision"] == 1.0 and summary["recall"] == 1.0
