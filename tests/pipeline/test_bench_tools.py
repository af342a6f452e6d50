"""``intake bench``'s runners: each peer in its best setup, intake doing the worker's work."""

from __future__ import annotations

import json
import os
from importlib.util import find_spec
from pathlib import Path

import pikepdf
import pytest

from config.settings import ProcessConfig
from pipeline.bench.corpus import Corpus, build_corpus
from pipeline.bench.tools import archive_file, configuration, ocrmypdf_command, run_tool
from pipeline.engines.base import OcrEngine

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """Two one-page documents."""
    folder = tmp_path_factory.mktemp("bench-corpus")
    return build_corpus(folder, docs=2, seed=13, max_pages=1)


def test_ocrmypdf_reads_each_file_with_one_job_into_pdfa(corpus: Corpus, tmp_path: Path) -> None:
    # When the command for a document is made
    command, sidecar, output = ocrmypdf_command(corpus.documents[0], tmp_path)
    # Then it is OCRmyPDF's batch setup: one job per file, PDF/A out, levelled and turned
    jobs = command.index("--jobs")
    assert command[jobs + 1] == "1"
    assert command[command.index("--output-type") + 1] == "pdfa"
    assert {"--deskew", "--rotate-pages", "--force-ocr"} <= set(command)
    assert command[-2:] == [str(corpus.documents[0].pdf), str(output)]
    assert str(sidecar) in command
    # And the report states it, with how many files run at once
    stated = configuration("ocrmypdf", 2)
    assert "--jobs 1" in stated
    assert "--output-type pdfa" in stated
    assert "2 documents at once" in stated


@pytest.mark.slow
def test_ocrmypdf_runs_as_many_files_at_once_as_jobs(corpus: Corpus, config: ProcessConfig) -> None:
    if find_spec("ocrmypdf") is None and os.environ.get("CI") != "true":
        pytest.skip("ocrmypdf is not installed (pip install '.[bench]')")
    # When OCRmyPDF reads two documents with two jobs
    run = run_tool("ocrmypdf", corpus, jobs=2, config=config)
    # Then two of its processes ran at once, and each wrote its PDF/A
    assert run.failed_documents == 0
    assert run.processes == 2
    assert run.archived == 2


@pytest.mark.slow
def test_tesseract_cli_runs_as_many_pages_at_once_as_jobs(
    corpus: Corpus, config: ProcessConfig
) -> None:
    run = run_tool("tesseract", corpus, jobs=2, config=config)
    assert run.failed_documents == 0
    assert run.processes == 2
    assert "2 processes at once" in run.configuration


@pytest.mark.slow
def test_intake_timed_path_writes_the_pdfa_and_the_ocr_json(
    corpus: Corpus, engine: OcrEngine, config: ProcessConfig, tmp_path: Path
) -> None:
    # When intake's timed path reads one file
    document = corpus.documents[0]
    body, archived = archive_file(
        document.file, engine=engine, config=config, model=None, folder=tmp_path
    )
    # Then it wrote the searchable PDF/A-2b and the OCR JSON the worker archives
    assert archived.pdf is not None and archived.ocr_json is not None
    with pikepdf.open(archived.pdf) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
        assert len(pdf.pages) == len(body["pages"])
    ocr = json.loads(archived.ocr_json.read_text(encoding="utf-8"))
    assert [p["number"] for p in ocr["pages"]] == [p["number"] for p in body["pages"]]
    assert archived.pdf_sha256 is not None and len(archived.pdf_sha256) == 64
    # And both are timed beside the pipeline's own stages
    assert {"ocr", "pdfa", "ocr_json", "total"} <= set(body["timings_ms"])


def test_the_report_states_what_each_intake_path_does() -> None:
    assert "no PDF/A" in configuration("intake-verdict", 2)
    assert "PDF/A-2b and the OCR JSON" in configuration("intake", 2)


@pytest.mark.slow
def test_intake_run_archives_every_document_and_sums_its_stages(
    corpus: Corpus, config: ProcessConfig
) -> None:
    # When intake reads the corpus as the bench times it
    run = run_tool("intake", corpus, jobs=1, config=config)
    # Then every document was archived (PDF/A and JSON) and the stages were summed
    assert run.failed_documents == 0
    assert run.archived == len(corpus.documents)
    assert {"rasterise", "ocr", "classify", "pdfa", "ocr_json", "total"} <= set(run.stages_ms)
    # And the verdict-only run archives none
    verdict = run_tool("intake-verdict", corpus, jobs=1, config=config)
    assert verdict.archived == 0
    assert "pdfa" not in verdict.stages_ms
