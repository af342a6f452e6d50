"""The tools compared: each reads the whole corpus with the same cores, timed by the wall clock.

Each peer runs in its best configuration for those cores, stated in :func:`configuration`:

- ``intake``: the per-capture pipeline on the scanner's files, in a pool of processes with
  the worker of ``intake process --jobs`` (one OCR engine per process), and then what the
  worker archives: the searchable PDF/A and the OCR JSON, each with its SHA-256, written to
  a temporary folder (the object store and the database are left out: they are not what is
  measured, and OCRmyPDF has neither).
- ``intake-verdict``: the same pipeline without the PDF/A and the OCR JSON: the verdict only.
- ``tesseract``: the ``tesseract`` command on each page PNG, ``OMP_THREAD_LIMIT=1``, as many
  processes at once as there are jobs.
- ``ocrmypdf``: ``ocrmypdf --deskew --rotate-pages --force-ocr --output-type pdfa --jobs 1``
  on each document's PDF, as many documents at once as there are jobs: its batch setup
  (one file per process, ``--jobs 1``), which on a few cores beats one file after another
  with ``--jobs N`` on 1-3-page documents.
- ``bare``: in-process Tesseract (tesserocr) on each page PNG as it is, one engine per
  process: the floor intake's throughput is held against.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from classifiers.model import TypeModel
from config.settings import ProcessConfig
from pipeline.bench.corpus import BenchDocument, Corpus
from pipeline.bench.metrics import (
    ALL_MEASURES,
    CER,
    UNKNOWN,
    DocumentPrediction,
    PersonCode,
    Prediction,
)
from pipeline.bench.progress import progress
from pipeline.engines.base import OcrEngine

LANGUAGES = "est+eng+rus"
TOOLS = ("intake", "intake-verdict", "tesseract", "ocrmypdf", "bare")
OCRMYPDF_TIMEOUT_S = 900
OCRMYPDF_FLAGS = ("--deskew", "--rotate-pages", "--force-ocr", "--output-type", "pdfa")
"""OCRmyPDF's flags besides the languages, ``--jobs 1`` and the files: the most comparable
configuration to intake's archive (levelled, turned upright, read again, PDF/A-2b out)."""


def configuration(tool: str, jobs: int) -> str:
    """How ``tool`` is run with ``jobs`` cores, in words for the report."""
    engine = "one in-process Tesseract engine per process, OMP_THREAD_LIMIT=1"
    return {
        "intake": (
            f"intake's worker pipeline, {jobs} processes, {engine}; per file the verdict, "
            "then the searchable PDF/A-2b and the OCR JSON with their SHA-256, written to a "
            "temporary folder as the worker archives them (no object store, no database)"
        ),
        "intake-verdict": (
            f"intake's worker pipeline, {jobs} processes, {engine}; "
            "the verdict only: no PDF/A, no OCR JSON"
        ),
        "tesseract": (
            f"tesseract PAGE.png stdout -l {LANGUAGES} --dpi D, one page per process, "
            f"{jobs} processes at once, OMP_THREAD_LIMIT=1"
        ),
        "ocrmypdf": (
            f"ocrmypdf {' '.join(OCRMYPDF_FLAGS)} -l {LANGUAGES} --jobs 1 --sidecar, "
            f"one document per process, {jobs} documents at once, OMP_THREAD_LIMIT=1 "
            "(a fresh interpreter per document, as its batch use starts it)"
        ),
        "bare": (
            f"tesserocr with Tesseract's defaults, -l {LANGUAGES}, each page PNG as it is, "
            f"{jobs} processes, one engine each, OMP_THREAD_LIMIT=1"
        ),
    }[tool]


@dataclass(frozen=True)
class ToolRun:
    """One tool's reading of the corpus: a prediction per page, in corpus order.

    ``documents`` has one prediction per document, in corpus order, from a tool that
    classifies and verifies documents (intake); ``None`` from the others.  ``stages_ms``
    is intake's time per stage (ms, summed over the documents and its processes);
    ``archived`` the documents for which a searchable PDF/A was written (and, by intake,
    the OCR JSON); ``processes`` the most of the tool's processes that ran at once.
    """

    tool: str
    predictions: tuple[Prediction, ...]
    seconds: float
    failed_documents: int
    reported: frozenset[str]
    documents: tuple[DocumentPrediction, ...] | None = None
    configuration: str = ""
    stages_ms: Mapping[str, float] = field(default_factory=dict)
    archived: int = 0
    processes: int = 0
    load: tuple[float, float] | None = None
    """The machine's 1-minute load average as the run started and as it ended: other
    work on the machine slows whichever tool runs beside it."""


@dataclass
class Reading:
    """A runner's result: the page predictions and what else it knows of its run."""

    predictions: list[Prediction]
    documents: list[DocumentPrediction] | None = None
    stages_ms: dict[str, float] = field(default_factory=dict)
    archived: int = 0
    processes: int = 0


class Launches:
    """Counts the tool's processes running at once, and the most there were."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.running = 0
        self.most = 0

    @contextmanager
    def one(self) -> Iterator[None]:
        """Around one process's run."""
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            yield
        finally:
            with self._lock:
                self.running -= 1


def missing_tools(tools: tuple[str, ...]) -> list[str]:
    """What of ``tools`` cannot run here, each with what to install."""
    problems = []
    if "tesseract" in tools and shutil.which("tesseract") is None:
        problems.append("tesseract: the tesseract command is not installed")
    if "ocrmypdf" in tools and importlib.util.find_spec("ocrmypdf") is None:
        problems.append("ocrmypdf: not installed (pip install '.[bench]')")
    if "bare" in tools and importlib.util.find_spec("tesserocr") is None:
        problems.append("bare: tesserocr is not importable")
    return problems


def run_tool(tool: str, corpus: Corpus, *, jobs: int, config: ProcessConfig) -> ToolRun:
    """Run ``tool`` over ``corpus`` with ``jobs`` processes and time it."""
    runners: dict[str, Callable[[Corpus, int, ProcessConfig], Reading]] = {
        "intake": _run_intake,
        "intake-verdict": _run_intake_verdict,
        "tesseract": _run_tesseract,
        "ocrmypdf": _run_ocrmypdf,
        "bare": _run_bare,
    }
    if tool.startswith("intake"):
        _prepare_intake(config)
    load_before = _load()
    start = time.perf_counter()
    reading = runners[tool](corpus, jobs, config)
    seconds = time.perf_counter() - start
    load = None if load_before is None else (load_before, _load() or 0.0)
    predictions = reading.predictions
    reported = ALL_MEASURES if tool == "intake" else frozenset({CER})
    failed_documents, index = 0, 0
    for document in corpus.documents:
        pages = predictions[index : index + len(document.pages)]
        failed_documents += any(p.failed for p in pages)
        index += len(document.pages)
    documents = reading.documents if tool == "intake" else None
    return ToolRun(
        tool,
        tuple(predictions),
        seconds,
        failed_documents,
        reported,
        None if documents is None else tuple(documents),
        configuration=configuration(tool, jobs),
        stages_ms=dict(reading.stages_ms),
        archived=reading.archived,
        processes=reading.processes,
        load=load,
    )


def _load() -> float | None:
    """The 1-minute load average, where the system tells it."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _warn(message: str) -> None:
    """A line on stderr, below the progress bar; the files are synthetic, names say nothing."""
    print(f"\n{message}", file=sys.stderr, flush=True)


# --- intake ---------------------------------------------------------------------------------


def _prepare_intake(config: ProcessConfig) -> None:
    """Train the type model (once per machine) before the clock runs: setup, not reading."""
    from pipeline.typemodels import cached_model

    cached_model(config.model_cache, config.types)


@dataclass(frozen=True)
class Archived:
    """What the archiving part of intake's timed path wrote for one file."""

    pdf: Path | None
    pdf_sha256: str | None
    ocr_json: Path | None
    ocr_sha256: str | None


def archive_file(
    path: Path,
    *,
    engine: OcrEngine,
    config: ProcessConfig,
    model: TypeModel | None,
    folder: Path,
    archive: bool = True,
) -> tuple[dict[str, Any], Archived]:
    """The worker's work for one file, without the object store and the database.

    ``process_capture``, then (with ``archive``) the searchable PDF/A and the OCR JSON as
    ``archive_capture`` makes them, each hashed as the store is given it; both are written
    into ``folder``.  The ``intake process --json`` object comes back with ``timings_ms``
    holding "pdfa" and "ocr_json" too.
    """
    from pipeline.report import capture_json, ocr_json
    from pipeline.run import process_capture
    from pipeline.stages.analyse import timed
    from pipeline.stages.searchable import write_searchable_pdf

    processed = process_capture(path.read_bytes(), engine=engine, config=config, model=model)
    timings = dict(processed.result.timings_ms)
    pages = processed.result.pages
    archived = Archived(None, None, None, None)
    if archive and pages:
        pdf = folder / f"{path.stem}-searchable.pdf"
        with timed(timings, "pdfa"):
            write_searchable_pdf(processed.images, [p.ocr for p in pages], pdf)
            pdf_sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
        ocr = folder / f"{path.stem}-ocr.json"
        with timed(timings, "ocr_json"):
            body = ocr_json(processed.result, engine=engine.name)
            ocr_sha = hashlib.sha256(body).hexdigest()
            ocr.write_bytes(body)
        archived = Archived(pdf, pdf_sha, ocr, ocr_sha)
    result = capture_json(processed.result, file=str(path))
    result["timings_ms"] = timings
    return result, archived


def _archive_one(
    job: tuple[Path, ProcessConfig, Path, bool],
) -> tuple[dict[str, Any] | None, bool, str | None]:
    """One file in a pool process: ``(json, archived, None)`` or ``(None, False, error)``."""
    from pipeline import cli

    path, config, folder, archive = job
    try:
        body, archived = archive_file(
            path,
            engine=cli._ENGINE,
            config=config,
            model=cli._MODEL,
            folder=folder,
            archive=archive,
        )
    except Exception as exc:  # a defect must not end the run for the other files
        return None, False, f"{type(exc).__name__}: {exc}"
    return body, archived.pdf is not None and archived.ocr_json is not None, None


def _run_intake(corpus: Corpus, jobs: int, config: ProcessConfig) -> Reading:
    return _intake(corpus, jobs, config, archive=True)


def _run_intake_verdict(corpus: Corpus, jobs: int, config: ProcessConfig) -> Reading:
    return _intake(corpus, jobs, config, archive=False)


def _intake(corpus: Corpus, jobs: int, config: ProcessConfig, *, archive: bool) -> Reading:
    # The worker of `intake process --jobs`: one engine per process, opened by its initialiser.
    # Futures rather than `pool.map`, so that a document the pipeline crashes on is counted
    # as a failure and the other documents are still measured.
    from pipeline.cli import _init_engine

    documents = corpus.documents
    reading = Reading([], [], processes=min(jobs, len(documents)))
    verdicts: list[DocumentPrediction] = []
    with (
        progress("intake" if archive else "intake-verdict", len(corpus.pages)) as advance,
        tempfile.TemporaryDirectory(prefix="intake-bench-archive-") as tmp,
        ProcessPoolExecutor(
            reading.processes, initializer=_init_engine, initargs=(config,)
        ) as pool,
    ):
        futures = [
            pool.submit(_archive_one, (d.file, config, Path(tmp), archive)) for d in documents
        ]
        for document, future in zip(documents, futures, strict=True):
            try:
                body, archived, error = future.result()
            except Exception as exc:
                body, archived, error = None, False, f"{type(exc).__name__}: {exc}"
            if error is not None or body is None:
                _warn(f"intake failed on document {document.index}: {error}")
                reading.predictions += [Prediction("", failed=True)] * len(document.pages)
                verdicts.append(DocumentPrediction(failed=True))
            else:
                reading.predictions += intake_predictions(body, len(document.pages))
                verdicts.append(intake_document(body))
                reading.archived += archived
                for stage, ms in (body.get("timings_ms") or {}).items():
                    reading.stages_ms[stage] = reading.stages_ms.get(stage, 0.0) + float(ms)
            advance(len(document.pages))
    reading.documents = verdicts
    return reading


def intake_predictions(body: dict[str, Any], pages: int) -> list[Prediction]:
    """One prediction per page of an ``intake process --json`` object.

    A page is flagged with every reason of the capture's or a document's verdict that names
    it; a page the object lacks is predicted empty.
    """
    verdicts = [body["verdict"], *(d["verdict"] for d in body.get("documents", []))]
    reasons: dict[int, set[str]] = {}
    for verdict in verdicts:
        for reason in verdict["reasons"]:
            if reason.get("page") is not None:
                reasons.setdefault(int(reason["page"]), set()).add(str(reason["code"]))
    by_number = {int(p["number"]): p for p in body["pages"]}
    predictions = []
    for number in range(1, pages + 1):
        page = by_number.get(number)
        if page is None:
            predictions.append(Prediction(text=""))
            continue
        predictions.append(
            Prediction(
                text=page.get("text") or "",
                rotation=page.get("rotation"),
                skew_degrees=page.get("skew_degrees"),
                blank=page.get("blank"),
                reasons=frozenset(reasons.get(number, ())),
                signed=page.get("signed"),
            )
        )
    return predictions


def intake_document(body: dict[str, Any]) -> DocumentPrediction:
    """What an ``intake process --json`` object says of its file as one document.

    The file is one document of the corpus: its type is that of the document with the most
    pages (``UNKNOWN`` when there is none), its codes and reasons those of every document and
    of the capture, and it went to review when the capture or any document did.
    """
    documents: list[dict[str, Any]] = list(body.get("documents") or [])
    verdicts = [body["verdict"], *(d["verdict"] for d in documents)]
    main = max(documents, key=lambda d: len(d.get("pages") or ()), default=None)
    codes = tuple(
        PersonCode(
            value=str(code["value"]),
            role=None if code.get("role") is None else str(code["role"]),
            page=None if code.get("page") is None else int(code["page"]),
        )
        for d in documents
        for code in (d.get("fields") or {}).get("person_codes", [])
    )
    return DocumentPrediction(
        document_type=UNKNOWN if main is None else str(main["document_type"]),
        type_confidence=None if main is None else float(main.get("type_confidence") or 0.0),
        person_codes=codes,
        reasons=frozenset(
            (str(r["code"]), None if r.get("page") is None else int(r["page"]))
            for v in verdicts
            for r in v["reasons"]
        ),
        review=any(v["status"] == "needs_review" for v in verdicts),
        documents=len(documents),
    )


# --- tesseract ------------------------------------------------------------------------------


def _tesseract_env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _tesseract_page(job: tuple[Path, int], launches: Launches) -> str | None:
    png, dpi = job
    with launches.one():
        done = subprocess.run(
            ["tesseract", str(png), "stdout", "-l", LANGUAGES, "--dpi", str(dpi)],
            capture_output=True,
            text=True,
            env=_tesseract_env(),
            check=False,
        )
    return done.stdout if done.returncode == 0 else None


def _run_tesseract(corpus: Corpus, jobs: int, config: ProcessConfig) -> Reading:
    pages = [(p.png, p.dpi) for p in corpus.pages]
    launches = Launches()
    reading = Reading([])
    with progress("tesseract", len(pages)) as advance, ThreadPoolExecutor(jobs) as pool:
        for text in pool.map(lambda page: _tesseract_page(page, launches), pages):
            reading.predictions.append(Prediction(text=text or "", failed=text is None))
            advance(1)
    reading.processes = launches.most
    return reading


# --- ocrmypdf -------------------------------------------------------------------------------


def ocrmypdf_command(document: BenchDocument, folder: Path) -> tuple[list[str], Path, Path]:
    """The command that reads one document, its sidecar text and its PDF/A output."""
    sidecar = folder / f"{document.pdf.stem}.txt"
    output = folder / f"{document.pdf.stem}-ocr.pdf"
    command = [
        sys.executable,
        "-m",
        "ocrmypdf",
        *OCRMYPDF_FLAGS,
        "-l",
        LANGUAGES,
        "--jobs",
        "1",
        "--quiet",
        "--sidecar",
        str(sidecar),
        str(document.pdf),
        str(output),
    ]
    return command, sidecar, output


def _ocrmypdf_document(
    document: BenchDocument, folder: Path, launches: Launches
) -> tuple[list[str], bool] | None:
    """The text of each page and whether the PDF/A was written; ``None`` when it failed."""
    command, sidecar, output = ocrmypdf_command(document, folder)
    try:
        with launches.one():
            done = subprocess.run(
                command,
                capture_output=True,
                env=_tesseract_env(),
                timeout=OCRMYPDF_TIMEOUT_S,
                check=False,
            )
    except subprocess.TimeoutExpired:
        _warn(f"ocrmypdf timed out on document {document.index}")
        return None
    if done.returncode != 0 or not sidecar.exists():
        last = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        _warn(f"ocrmypdf failed on document {document.index} (exit {done.returncode}): {last[0]}")
        return None
    text = sidecar.read_text(encoding="utf-8")
    return split_sidecar(text, len(document.pages)), output.exists()


def split_sidecar(text: str, pages: int) -> list[str]:
    """The sidecar's pages (separated by form feeds), padded or cut to ``pages``."""
    parts = text.split("\f")
    while len(parts) > pages and not parts[-1].strip():
        parts.pop()
    return (parts + [""] * pages)[:pages]


def _run_ocrmypdf(corpus: Corpus, jobs: int, config: ProcessConfig) -> Reading:
    launches = Launches()
    reading = Reading([])
    with (
        progress("ocrmypdf", len(corpus.pages)) as advance,
        tempfile.TemporaryDirectory(prefix="intake-bench-ocrmypdf-") as tmp,
        ThreadPoolExecutor(min(jobs, len(corpus.documents))) as pool,
    ):
        results = pool.map(
            lambda document: _ocrmypdf_document(document, Path(tmp), launches), corpus.documents
        )
        for document, result in zip(corpus.documents, results, strict=True):
            if result is None:
                reading.predictions += [Prediction("", failed=True)] * len(document.pages)
            else:
                texts, archived = result
                reading.predictions += [Prediction(text=t) for t in texts]
                reading.archived += archived
            advance(len(document.pages))
    reading.processes = launches.most
    return reading


# --- bare in-process Tesseract --------------------------------------------------------------

_BARE_ENGINE: OcrEngine | None = None


def _bare_init() -> None:
    global _BARE_ENGINE
    from pipeline.engines.tesser import TesserocrEngine

    _BARE_ENGINE = TesserocrEngine(tuned=False)  # Tesseract's own defaults


def _bare_page(job: tuple[Path, int]) -> str:
    png, dpi = job
    assert _BARE_ENGINE is not None, "the pool initialiser opens the engine"
    with Image.open(png) as image:
        image.load()
        return _BARE_ENGINE.recognise(image, languages=LANGUAGES, dpi=dpi).text


def _run_bare(corpus: Corpus, jobs: int, config: ProcessConfig) -> Reading:
    pages = [(p.png, p.dpi) for p in corpus.pages]
    reading = Reading([], processes=min(jobs, len(pages)))
    with (
        progress("bare", len(pages)) as advance,
        ProcessPoolExecutor(max_workers=reading.processes, initializer=_bare_init) as pool,
    ):
        for text in pool.map(_bare_page, pages):
            reading.predictions.append(Prediction(text=text))
            advance(1)
    return reading
