"""Hostile and broken files end in review with a precise reason; nothing dies, nothing is lost.

Each file of ``pipeline.corpus.hostile_files`` is run through ``intake process --json`` and
dropped on a real watcher and worker; the per-page limits (render and OCR time, pixels) are
shown with limits that no page can meet.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import subprocess
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from config.errors import Rejected
from config.settings import load_settings
from pipeline.corpus import (
    HostileFile,
    hostile_files,
    person_code,
    render_document,
    white_g4_tiff,
    white_png,
    write_sample,
)
from pipeline.engines import make_engine
from pipeline.model import ReasonCode
from pipeline.run import process_capture
from pipeline.stages.rasterise import sniff
from storage.captures import FINAL, Capture, capture_by_sha
from storage.db import Database
from storage.objects import ObjectStore
from tests.fixtures.processes import Processes, run_intake, wait_for, watcher_and_worker
from tests.fixtures.services import ServiceUrls

NAMES = (
    "empty",
    "truncated_pdf",
    "truncated_jpeg",
    "truncated_tiff",
    "encrypted_pdf",
    "javascript_pdf",
    "launch_pdf",
    "attachment_pdf",
    "bomb_png",
    "bomb_tiff",
    "bomb_in_pdf",
    "many_pages_pdf",
    "huge_page_pdf",
    "huge_image_png",
    "png_named_pdf",
    "pdf_named_jpg",
    "random_bytes",
    "html_named_pdf",
)
WRONG_NAMES = ("png_named_pdf", "pdf_named_jpg")
# Reasons about the file as a whole; a good scan under a wrong name must raise none of them.
FILE_REASONS = {
    ReasonCode.EMPTY_FILE,
    ReasonCode.UNREADABLE_FILE,
    ReasonCode.UNSUPPORTED_FORMAT,
    ReasonCode.ENCRYPTED,
    ReasonCode.FILE_TOO_LARGE,
    ReasonCode.TOO_MANY_PAGES,
    ReasonCode.IMAGE_TOO_LARGE,
    ReasonCode.ACTIVE_CONTENT,
    ReasonCode.EMBEDDED_FILES,
    ReasonCode.PAGE_TOO_SLOW,
    ReasonCode.PROCESSING_FAILED,
}
MAX_WORKER_RSS_KB = 600 * 1024
EXIT_REVIEW = 3


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _scan_page(seed: str) -> tuple[Image.Image, str]:
    """A rendered one-page Estonian application, signed, and its text."""
    rng = random.Random(seed)
    sample = render_document(
        rng, pages=1, language="est", person_codes=[person_code(rng)], signed=True
    )
    return sample.pages[0], sample.truth[0].text


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w{5,}", text.lower())}


def _read_correctly(ocr_text: str, truth: str) -> bool:
    """Whether OCR found most of the page's longer words (it is the page, read by content)."""
    expected = _words(truth)
    return len(expected & _words(ocr_text)) >= 0.8 * len(expected)


@pytest.fixture(scope="module")
def scan() -> tuple[Image.Image, str]:
    return _scan_page("hostile-scan")


@pytest.fixture(scope="module")
def hostile(
    scan: tuple[Image.Image, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, HostileFile]:
    return hostile_files(tmp_path_factory.mktemp("hostile"), scan=scan[0], salt="cli")


# --- the maker -----------------------------------------------------------------------------


def test_the_maker_writes_every_kind_small_and_as_announced(
    hostile: dict[str, HostileFile],
) -> None:
    # Then every kind is there, under a name of a format intake reads
    assert tuple(hostile) == NAMES
    for name, made in hostile.items():
        data = made.path.read_bytes()
        # small on disk (the bombs too), and its bytes are what it says they are
        assert len(data) < 600_000, name
        assert sniff(data) == made.media_type, name
        assert made.path.suffix in (".pdf", ".jpg", ".tif", ".png"), name
    # and the wrong-extension files lie about their format
    assert hostile["png_named_pdf"].path.suffix == ".pdf"
    assert hostile["png_named_pdf"].media_type == "image/png"
    assert hostile["pdf_named_jpg"].path.suffix == ".jpg"
    assert hostile["pdf_named_jpg"].media_type == "application/pdf"


def test_a_salt_makes_different_bytes_of_every_file_but_the_empty_one(
    scan: tuple[Image.Image, str], tmp_path: Path
) -> None:
    # Given two sets made with different salts
    one = hostile_files(tmp_path / "one", scan=scan[0], salt="one")
    two = hostile_files(tmp_path / "two", scan=scan[0], salt="two")

    # Then no file but the empty one has the same bytes in both
    same = {name for name in NAMES if _sha(one[name].path) == _sha(two[name].path)}
    assert same == {"empty"}


def test_without_a_scan_the_maker_renders_a_page_of_its_own(tmp_path: Path) -> None:
    # When the set is made without a scan given
    files = hostile_files(tmp_path, salt="own")

    # Then the readable files hold a rendered A4 page with text on it
    with Image.open(files["png_named_pdf"].path) as image:
        assert image.size == (2480, 3508)
        darkest, _ = image.convert("L").getextrema()
        assert isinstance(darkest, int) and darkest < 100


@pytest.mark.parametrize("maker", [white_png, white_g4_tiff], ids=["png", "g4-tiff"])
def test_the_bomb_makers_write_real_white_images(maker: Any, tmp_path: Path) -> None:
    # Given a small image made the way the bombs are made
    path = tmp_path / "small"
    path.write_bytes(maker(67, 41))

    # When Pillow decodes it
    with Image.open(path) as image:
        image.load()
        size, extrema = image.size, image.convert("L").getextrema()

    # Then it is every pixel of a white page: the bombs are real, not just a header
    assert size == (67, 41)
    assert extrema == (255, 255)


# --- intake process --json -----------------------------------------------------------------


@pytest.fixture(scope="module")
def processed(
    hostile: dict[str, HostileFile], tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], dict[str, dict[str, Any]]]:
    """``intake process --json`` on every hostile file at once: the run, and each file's line.

    One run for all (one interpreter start, one model load) rather than one each: the lines
    are the files' own, in input order, whatever the others hold.
    """
    paths = [hostile[name].path for name in NAMES]
    done = run_intake(
        "process", *paths, "--json", "--jobs", "1", home=tmp_path_factory.mktemp("home")
    )
    lines = [json.loads(text) for text in done.stdout.splitlines() if text.strip()]
    return done, {name: line for name, line in zip(NAMES, lines, strict=True)}


@pytest.mark.slow
def test_intake_process_reads_every_hostile_file_and_exits_three(
    processed: tuple[subprocess.CompletedProcess[str], dict[str, dict[str, Any]]],
) -> None:
    # When every hostile file is processed by the command, without any service
    done, lines = processed
    # Then no traceback, one line per file in order, and the worst outcome is a review
    assert "Traceback" not in done.stderr, done.stderr
    assert list(lines) == list(NAMES)
    assert done.returncode == EXIT_REVIEW, done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_intake_process_reports_the_reason_of_each(
    name: str,
    hostile: dict[str, HostileFile],
    scan: tuple[Image.Image, str],
    processed: tuple[subprocess.CompletedProcess[str], dict[str, dict[str, Any]]],
) -> None:
    made = hostile[name]
    line = processed[1][name]

    # Then its line names it, with its bytes' hash, its real format and its pages
    assert line["file"] == str(made.path)
    assert line["sha256"] == _sha(made.path)
    assert line["media_type"] == made.media_type
    assert len(line["pages"]) == made.pages
    codes = [r["code"] for r in line["verdict"]["reasons"]]
    if made.reason is None:
        # a good scan under a wrong name is read by its content, judged on its merits
        assert not FILE_REASONS & set(codes)
        assert _read_correctly(line["pages"][0]["text"], scan[1])
        return
    assert line["verdict"]["status"] == "needs_review"
    if made.pages:
        # read (poppler runs no script, opens no attachment), but never accepted alone
        assert made.reason in codes
        assert _read_correctly(line["pages"][0]["text"], scan[1])
    else:
        assert codes == [made.reason]


# --- per-page limits -----------------------------------------------------------------------


@pytest.mark.parametrize("prefer", ["tesserocr", "pytesseract"])
def test_a_page_beyond_the_ocr_time_limit_is_refused_not_waited_for(
    prefer: str, scan: tuple[Image.Image, str]
) -> None:
    # Given an engine (in-process, or the tesseract command) whose per-page limit no page of
    # text can meet
    engine = make_engine(prefer, page_time_limit=0.001)
    assert engine.name == prefer
    try:
        # When a page of text is read without a limit of the caller's own
        with pytest.raises(Rejected) as refused:
            engine.recognise(scan[0], languages="est+eng", dpi=300)

        # Then it is refused as too slow
        assert refused.value.reason == ReasonCode.PAGE_TOO_SLOW

        # and with a limit of the caller's own, what was read in time is returned instead
        partial = engine.recognise(scan[0], languages="est+eng", dpi=300, time_limit=0.001)
        assert len(partial.text) < len(scan[1])
    finally:
        engine.close()


def test_a_page_too_slow_to_read_stays_in_the_capture_with_its_reason(tmp_path: Path) -> None:
    # Given a 2-page scan and an engine whose per-page limit no page of text can meet
    rng = random.Random("hostile-slow")
    sample = render_document(rng, pages=2, language="est", person_codes=[person_code(rng)])
    data = write_sample(sample, tmp_path / "scan.pdf", "pdf").read_bytes()
    engine = make_engine(page_time_limit=0.001)
    try:
        # When the capture is processed
        processed = process_capture(
            data, engine=engine, config=load_settings().process(), model=None
        )
    finally:
        engine.close()

    # Then both pages are kept, unread, each with PAGE_TOO_SLOW, and the capture is reviewed
    result = processed.result
    assert [p.number for p in result.pages] == [1, 2]
    assert [p.number for p in processed.images] == [1, 2]  # for the searchable PDF
    slow = [(r.code, r.page) for r in result.verdict.reasons if r.code == "PAGE_TOO_SLOW"]
    assert slow == [(ReasonCode.PAGE_TOO_SLOW, 1), (ReasonCode.PAGE_TOO_SLOW, 2)]
    assert result.verdict.status == "needs_review"


# --- a real watcher and worker -------------------------------------------------------------


def _final(database: Database, sha: str) -> Capture | None:
    capture = capture_by_sha(database, sha)
    return capture if capture is not None and capture.status in FINAL else None


def _all_final(
    database: Database, shas: dict[str, str], processes: Processes
) -> dict[str, Capture]:
    """Every capture of ``shas`` once all are final; the test fails naming those that are not."""
    latest: dict[str, Capture | None] = {}

    def probe() -> bool:
        latest.update({name: _final(database, sha) for name, sha in shas.items()})
        return all(latest.values())

    try:
        wait_for(probe, timeout=240)
    except pytest.fail.Exception:
        missing = sorted(name for name, capture in latest.items() if capture is None)
        pytest.fail(f"not final: {missing}\n{processes.log_text('watcher')[-3000:]}")
    return {name: capture for name, capture in latest.items() if capture is not None}


def _status_kb(pid: int, field: str) -> int:
    """``VmHWM`` or ``VmRSS`` of a process in kB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _program(pid: int) -> str | None:
    """The executable a process runs; ``None`` when it is gone."""
    try:
        return str(Path(f"/proc/{pid}/exe").readlink())
    except OSError:
        return None


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid):
            found.append(int(stat.parent.name))
    return found


class ChildPeak:
    """The largest peak RSS seen in any child of ``pid`` (poppler), sampled while running.

    A child caught between fork and exec still shows the parent's pages (shared, not
    extra memory): only children running another program are counted.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.kb = 0
        self.seen = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        seen: set[int] = set()
        parent = _program(self.pid)
        while not self._stop.wait(0.05):
            for child in _children(self.pid):
                if _program(child) in (parent, None):
                    continue
                seen.add(child)
                self.kb = max(self.kb, _status_kb(child, "VmHWM"))
        self.seen = len(seen)

    def __enter__(self) -> ChildPeak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


@pytest.fixture
def dropped(tmp_path: Path, unique: str) -> tuple[dict[str, HostileFile], Path]:
    """A fresh hostile set (salted with the test's id), and a good 3-page scan, not dropped."""
    page, _ = _scan_page(f"hostile-{unique}")
    files = hostile_files(tmp_path / "made", scan=page, salt=unique)
    # The same signed application every run (its content decides its verdict), its bytes
    # made this run's own by a TIFF description.
    rng = random.Random("hostile-good")
    sample = render_document(
        rng, pages=3, language="est", person_codes=[person_code(rng)], signed=True
    )
    good = tmp_path / "made" / "good.tiff"
    first, *rest = sample.pages
    first.save(
        good,
        "TIFF",
        save_all=True,
        append_images=rest,
        dpi=(sample.dpi, sample.dpi),
        compression="tiff_lzw",
        description=unique,
    )
    return files, good


@pytest.mark.services
@pytest.mark.slow
def test_every_hostile_file_is_reviewed_with_its_reason_and_the_worker_lives_on(
    service_urls: ServiceUrls,
    database: Database,
    store: ObjectStore,
    processes: Processes,
    dropped: tuple[dict[str, HostileFile], Path],
    account_tmp: Path,
) -> None:
    # Given: a watcher and a worker on real services, and every hostile file
    files, good = dropped
    # (a file that never parses, empty or cut short, is taken after the maximum wait)
    drop, _env, worker = watcher_and_worker(
        processes, service_urls, account_tmp, INTAKE_MAX_WAIT_SECONDS="1"
    )
    shas = {name: _sha(made.path) for name, made in files.items()}
    expected_originals = {name: made.path.read_bytes() for name, made in files.items()}

    dropped_names = [f"{uuid.uuid4().hex[:8]}-{made.path.name}" for made in files.values()]

    with ChildPeak(worker.pid) as children:
        # When: they all land in the drop folder at once (renamed in, as copy tools do)
        for made, dropped_name in zip(files.values(), dropped_names, strict=True):
            made.path.replace(drop / dropped_name)

        # Then: each becomes one final capture
        captures = _all_final(database, shas, processes)
    hostile_hwm = _status_kb(worker.pid, "VmHWM")

    # and the worker that read them all is still running
    assert worker.poll() is None, processes.log_text("worker")
    for name, made in files.items():
        capture: Capture = captures[name]
        # its original is in the object store, the very bytes dropped
        assert capture.sha256 == shas[name]
        stored = store.get(capture.original_key)
        assert hashlib.sha256(stored).hexdigest() == shas[name], name
        assert stored == expected_originals[name], name
        if made.reason is None:
            # a good scan under a wrong name: read by its content, no file-level reason
            assert capture.status in ("archived", "needs_review"), name
            assert not FILE_REASONS & set(capture.reasons), (name, capture.reasons)
            assert capture.media_type == made.media_type, name
        elif made.pages:
            # read, and in review for what else it holds
            assert capture.status == "needs_review", name
            assert made.reason in capture.reasons, (name, capture.reasons)
        else:
            # refused unread, for exactly its reason
            assert capture.status == "needs_review", name
            assert capture.reasons == [made.reason], (name, capture.reasons)
        with database.transaction() as conn:
            pages = conn.execute(
                "SELECT count(*) FROM pages WHERE capture_id = %s", (capture.id,)
            ).fetchone()
        assert pages == (made.pages,), name

    # When: a good 3-page scan is dropped after them
    good_sha = _sha(good)
    good.replace(drop / "good.tiff")

    # Then: the same worker archives it
    archived = wait_for(lambda: _final(database, good_sha), timeout=240)
    assert archived.status == "archived", archived.reasons
    assert worker.poll() is None, processes.log_text("worker")

    # and its memory stayed within bounds throughout (peak RSS, kernel's high-water mark)
    worker_hwm = _status_kb(worker.pid, "VmHWM")
    print(
        f"\nworker VmHWM: {hostile_hwm / 1024:.0f} MB after the hostile set, "
        f"{worker_hwm / 1024:.0f} MB after the good scan; "
        f"children seen {children.seen}, their largest VmHWM {children.kb / 1024:.0f} MB"
    )
    assert 0 < worker_hwm <= MAX_WORKER_RSS_KB
    assert children.kb <= MAX_WORKER_RSS_KB
    # no dropped file's name reached the logs, and nothing crashed in the worker
    log = processes.log_text("worker") + processes.log_text("watcher")
    for dropped_name in dropped_names:
        assert dropped_name not in log
    assert "Traceback" not in processes.log_text("worker")
