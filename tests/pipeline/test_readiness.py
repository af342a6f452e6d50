"""The judge: a file is taken when it parses, waits while it is cut short, and is refused
when it is a link, a special file or too big; one that never parses is taken after the
maximum wait."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.model import ReasonCode
from pipeline.readiness import Readiness, Verdict, judge, readiness
from tests.fixtures.files import image_bytes, pdf_of_size

MAX_WAIT = 60.0
MAX_BYTES = 1 << 20


def verdict_on(path: Path, *, waited: float = 0.0) -> Verdict:
    return judge(path, waited=waited, max_bytes=MAX_BYTES, max_wait=MAX_WAIT)


@pytest.mark.parametrize("fmt", ["PDF", "JPEG", "PNG", "TIFF"])
def test_a_whole_file_is_taken_and_the_same_file_cut_short_waits(fmt: str, tmp_path: Path) -> None:
    # Given a real file of each format, and the same file with its last quarter missing
    data = image_bytes(fmt)
    whole = tmp_path / f"whole.{fmt.lower()}"
    whole.write_bytes(data)
    cut = tmp_path / f"cut.{fmt.lower()}"
    cut.write_bytes(data[: len(data) * 3 // 4])

    # When each has held still for its settle time
    # Then the whole one is taken, and the one cut short is waited for
    assert verdict_on(whole) == Verdict("take")
    assert verdict_on(cut) == Verdict("wait")
    assert readiness(cut, cut.stat().st_size) is Readiness.INCOMPLETE


def test_a_multi_page_tiff_whose_last_strips_are_missing_waits(tmp_path: Path) -> None:
    # Given a three-page TIFF, and a copy cut short a few bytes before its end
    data = image_bytes("TIFF", pages=3)
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[:-8])
    whole = tmp_path / "whole.tif"
    whole.write_bytes(data)

    # Then only the whole one parses
    assert verdict_on(whole) == Verdict("take")
    assert verdict_on(cut) == Verdict("wait")


def test_an_empty_file_waits_and_a_file_of_no_known_format_is_left_to_the_worker(
    tmp_path: Path,
) -> None:
    # Given an empty file (a scanner has created it, not yet written it) and a text file
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    text = tmp_path / "notes.txt"
    text.write_text("not a scan")

    # Then the empty one waits, and the other is taken (the worker says it is unsupported)
    assert verdict_on(empty) == Verdict("wait")
    assert verdict_on(text) == Verdict("take")


def test_a_file_that_never_parses_is_taken_after_the_maximum_wait(tmp_path: Path) -> None:
    # Given a PDF that stops halfway and never gets its end
    half = tmp_path / "half.pdf"
    half.write_bytes(image_bytes("PDF")[:200])

    # When it has waited just short of the maximum, and then the maximum
    # Then it waits, and then it is taken, marked as not parsed (the worker sends it to review)
    assert verdict_on(half, waited=MAX_WAIT - 0.1) == Verdict("wait")
    assert verdict_on(half, waited=MAX_WAIT) == Verdict("take", parsed=False)


def test_a_symlink_is_refused_without_being_followed(tmp_path: Path) -> None:
    # Given a link to a file outside the drop folder, and a link that points nowhere
    target = tmp_path / "secret.pdf"
    target.write_bytes(image_bytes("PDF"))
    link = tmp_path / "link.pdf"
    link.symlink_to(target)
    dangling = tmp_path / "dangling.pdf"
    dangling.symlink_to(tmp_path / "nowhere.pdf")

    # Then both are refused as links
    assert verdict_on(link) == Verdict("refuse", ReasonCode.SYMLINK)
    assert verdict_on(dangling) == Verdict("refuse", ReasonCode.SYMLINK)


def test_a_fifo_is_refused_and_never_opened(tmp_path: Path) -> None:
    # Given a named pipe (opening it for reading would block the watcher)
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)

    # Then it is refused as no regular file
    assert verdict_on(fifo) == Verdict("refuse", ReasonCode.NOT_A_REGULAR_FILE)


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    # Given a file one byte over the limit, and one at the limit
    over = tmp_path / "over.pdf"
    over.write_bytes(pdf_of_size(MAX_BYTES + 1))
    at = tmp_path / "at.pdf"
    at.write_bytes(pdf_of_size(MAX_BYTES))

    # Then only the one over the limit is refused
    assert over.stat().st_size == MAX_BYTES + 1
    assert verdict_on(over) == Verdict("refuse", ReasonCode.FILE_TOO_LARGE)
    assert verdict_on(at) == Verdict("take")


def test_a_vanished_file_or_a_directory_is_forgotten(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    assert verdict_on(tmp_path / "gone.pdf") == Verdict("forget")
    assert verdict_on(tmp_path / "sub") == Verdict("forget")
