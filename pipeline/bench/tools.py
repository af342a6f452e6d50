"""The tools compared: each reads the whole corpus with the same cores, timed by the wall clock.

- ``intake``: the per-capture pipeline on the scanner's files, in a pool of processes with
  the worker of ``intake process --jobs`` (one OCR engine per process).
- ``tesseract``: the ``tesseract`` command on each page PNG, ``OMP_THREAD_LIMIT=1``, as many
  at once as there are jobs.
- ``ocrmypdf``: ``ocrmypdf --deskew --rotate-pages --force-ocr`` on each document's PDF, one
  document after another, its own ``--jobs`` using the cores.
- ``bare``: in-process Tesseract (tesserocr) on each page PNG as it is, one engine per
  process: the floor intake's throughput is held against.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

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
TOOLS = ("intake", "tesseract", "ocrmypdf", "bare")
OCRMYPDF_TIMEOUT_S = 900


@dataclass(frozen=True)
class ToolRun:
    """One tool's reading of the corpus: a prediction per page, in corpus order.

    ``documents`` has one prediction per document, in corpus order, from a tool that
    classifies and verifies documents (intake); ``None`` from the others.
    """

    tool: str
    predictions: tuple[Prediction, ...]
    seconds: float
    failed_documents: int
    reported: frozenset[str]
    documents: tuple[DocumentPrediction, ...] | None = None


Reading = tuple[list[Prediction], list[DocumentPrediction] | None]
"""A runner's result: the page predictions and, from intake, the document predictions."""


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
        "tesseract": _pages_only(_run_tesseract),
        "ocrmypdf": _pages_only(_run_ocrmypdf),
        "bare": _pages_only(_run_bare),
    }
    if tool == "intake":
        _prepare_intake(config)
    start = time.perf_counter()
    predictions, documents = runners[tool](corpus, jobs, config)
    seconds = time.perf_counter() - start
    reported = ALL_MEASURES if tool == "intake" else frozenset({CER})
    failed_documents, index = 0, 0
    for document in corpus.documents:
        pages = predictions[index : index + len(document.pages)]
        failed_documents += any(p.failed for p in pages)
        index += len(document.pages)
    return ToolRun(
        tool,
        tuple(predictions),
        seconds,
        failed_documents,
        reported,
        None if documents is None else tuple(documents),
    )


def _pages_only(
    runner: Callable[[Corpus, int, ProcessConfig], list[Prediction]],
) -> Callable[[Corpus, int, ProcessConfig], Reading]:
    """A runner of a tool that reads pages and knows nothing of documents."""

    def run(corpus: Corpus, jobs: int, config: ProcessConfig) -> Reading:
        return runner(corpus, jobs, config), None

    return run


def _warn(message: str) -> None:
    """A line on stderr, below the progress bar; the files are synthetic, names say nothing."""
    print(f"\n{message}", file=sys.stderr, flush=True)


# --- intake ---------------------------------------------------------------------------------


def _prepare_intake(config: ProcessConfig) -> None:
    """Train the type model (once per machine) before the clock runs: setup, not reading."""
    from pipeline.typemodels import cached_model

    cached_model(config.model_cache, config.types)


def _run_intake(corpus: Corpus, jobs: int, config: ProcessConfig) -> Reading:
    # The worker of `intake process --jobs`: one engine per process, opened by its initialiser.
    # Futures rather than `pool.map`, so that a document the pipeline crashes on is counted
    # as a failure and the other documents are still measured.
    from pipeline.cli import _init_engine, _process_one

    documents = corpus.documents
    predictions: list[Prediction] = []
    verdicts: list[DocumentPrediction] = []
    with (
        progress("intake", len(corpus.pages)) as advance,
        ProcessPoolExecutor(
            min(jobs, len(documents)), initializer=_init_engine, initargs=(config,)
        ) as pool,
    ):
        futures = [pool.submit(_process_one, (d.file, config)) for d in documents]
        for document, future in zip(documents, futures, strict=True):
            try:
                body, error = future.result()
            except Exception as exc:
                body, error = None, f"{type(exc).__name__}: {exc}"
            if error is not None or body is None:
                _warn(f"intake failed on document {document.index}: {error}")
                predictions += [Prediction("", failed=True)] * len(document.pages)
                verdicts.append(DocumentPrediction(failed=True))
            else:
                predictions += intake_predictions(body, len(document.pages))
                verdicts.append(intake_document(body))
            advance(len(document.pages))
    return predictions, verdicts


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


def _tesseract_page(job: tuple[Path, int]) -> str | None:
    png, dpi = job
    done = subprocess.run(
        ["tesseract", str(png), "stdout", "-l", LANGUAGES, "--dpi", str(dpi)],
        capture_output=True,
        text=True,
        env=_tesseract_env(),
        check=False,
    )
    return done.stdout if done.returncode == 0 else None


def _run_tesseract(corpus: Corpus, jobs: int, config: ProcessConfig) -> list[Prediction]:
    pages = [(p.png, p.dpi) for p in corpus.pages]
    predictions: list[Prediction] = []
    with progress("tesseract", len(pages)) as advance, ThreadPoolExecutor(jobs) as pool:
        for text in pool.map(_tesseract_page, pages):
            predictions.append(Prediction(text=text or "", failed=text is None))
            advance(1)
    return predictions


# --- ocrmypdf -------------------------------------------------------------------------------


def _ocrmypdf_document(document: BenchDocument, jobs: int, folder: Path) -> list[str] | None:
    """The text of each page, or ``None`` when OCRmyPDF failed on the document."""
    sidecar = folder / f"{document.pdf.stem}.txt"
    output = folder / f"{document.pdf.stem}-ocr.pdf"
    command = [
        sys.executable,
        "-m",
        "ocrmypdf",
        "--deskew",
        "--rotate-pages",
        "--force-ocr",
        "-l",
        LANGUAGES,
        "--output-type",
        "pdf",
        "--jobs",
        str(jobs),
        "--quiet",
        "--sidecar",
        str(sidecar),
        str(document.pdf),
        str(output),
    ]
    try:
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
    return split_sidecar(sidecar.read_text(encoding="utf-8"), len(document.pages))


def split_sidecar(text: str, pages: int) -> list[str]:
    """The sidecar's pages (separated by form feeds), padded or cut to ``pages``."""
    parts = text.split("\f")
    while len(parts) > pages and not parts[-1].strip():
        parts.pop()
    return (parts + [""] * pages)[:pages]


def _run_ocrmypdf(corpus: Corpus, jobs: int, config: ProcessConfig) -> list[Prediction]:
    predictions: list[Prediction] = []
    with (
        progress("ocrmypdf", len(corpus.pages)) as advance,
        tempfile.TemporaryDirectory(prefix="intake-bench-ocrmypdf-") as tmp,
    ):
        for document in corpus.documents:
            texts = _ocrmypdf_document(document, jobs, Path(tmp))
            if texts is None:
                predictions += [Prediction("", failed=True)] * len(document.pages)
            else:
                predictions += [Prediction(text=t) for t in texts]
            advance(len(document.pages))
    return predictions


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


def _run_bare(corpus: Corpus, jobs: int, config: ProcessConfig) -> list[Prediction]:
    pages = [(p.png, p.dpi) for p in corpus.pages]
    predictions: list[Prediction] = []
    with (
        progress("bare", len(pages)) as advance,
        ProcessPoolExecutor(max_workers=min(jobs, len(pages)), initializer=_bare_init) as pool,
    ):
        for text in pool.map(_bare_page, pages):
            predictions.append(Prediction(text=text))
            advance(1)
    return predictions
