"""``intake bench``: render the corpus, run every tool on it, measure, print and write."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.settings import Settings
from pipeline.bench.calibration import calibration_text
from pipeline.bench.corpus import Corpus, build_corpus
from pipeline.bench.families import families_text, family_figures, parse_families
from pipeline.bench.machine import describe_machine
from pipeline.bench.metrics import (
    NO_PERSON_CODE,
    UNSIGNED,
    DocumentPrediction,
    ToolMetrics,
    evaluate,
)
from pipeline.bench.progress import progress
from pipeline.bench.report import build_rows, confusion_text, rows_json, table_text
from pipeline.bench.tools import TOOLS, ToolRun, missing_tools, run_tool

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
JSON_NAME, HTML_NAME = "bench-results.json", "bench-report.html"


@dataclass(frozen=True)
class BenchOptions:
    """What ``intake bench`` was asked to do."""

    docs: int
    seed: int
    jobs: int
    tools: tuple[str, ...]
    json_path: Path
    html_path: Path
    max_pages: int = 3
    families: tuple[str, ...] = ("repo",)


def options_from_args(args: argparse.Namespace) -> BenchOptions:
    """Options from the parsed command line; ``ValueError`` on bad usage."""
    tools = tuple(t.strip() for t in str(args.tools).split(",") if t.strip())
    unknown = [t for t in tools if t not in TOOLS]
    if unknown or not tools:
        raise ValueError(f"--tools takes some of {','.join(TOOLS)}, not {args.tools!r}")
    if args.docs < 1 or args.jobs < 1 or args.max_pages < 1:
        raise ValueError("--docs, --jobs and --max-pages must be at least 1")
    out = Path(args.out)
    families = parse_families(getattr(args, "family", "repo"))
    return BenchOptions(
        docs=args.docs,
        seed=args.seed,
        jobs=args.jobs,
        tools=tools,
        json_path=args.json_file or out / JSON_NAME,
        html_path=args.html or out / HTML_NAME,
        max_pages=args.max_pages,
        families=families,
    )


def cmd_bench(settings: Settings, args: argparse.Namespace) -> int:
    """The ``intake bench`` command: exit 0 when it ran (whatever the numbers), else 1 or 2."""
    try:
        options = options_from_args(args)
    except ValueError as exc:
        print(f"intake bench: {exc}", file=sys.stderr)
        return EXIT_USAGE
    problems = missing_tools(options.tools)
    if importlib.util.find_spec("matplotlib") is None:
        problems.append("matplotlib: not installed (pip install '.[bench]')")
    for problem in problems:
        print(f"intake bench: {problem}", file=sys.stderr)
    if problems:
        return EXIT_ERROR
    bench(settings, options)
    return EXIT_OK


def bench(settings: Settings, options: BenchOptions) -> dict[str, Any]:
    """Run the benchmark, print its table, write its JSON and HTML; return the JSON body."""
    from pipeline.bench.html import report_html

    machine = describe_machine(jobs=options.jobs)
    config = settings.process()
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as tmp:
        documents = options.docs * len(options.families)
        with progress("corpus", documents, unit="doc") as advance:
            corpus = build_corpus(
                Path(tmp),
                docs=options.docs,
                seed=options.seed,
                max_pages=options.max_pages,
                on_document=lambda _pages: advance(1),
                types=config.types,
                families=options.families,
            )
        runs = [run_tool(t, corpus, jobs=options.jobs, config=config) for t in options.tools]
    truths = corpus.truths
    metrics = {
        r.tool: evaluate(
            r.tool,
            truths,
            r.predictions,
            reported=r.reported,
            seconds=r.seconds,
            failed_documents=r.failed_documents,
            document_truths=corpus.document_truths,
            document_predictions=r.documents,
        )
        for r in runs
    }
    rows = build_rows(metrics)
    summary = corpus_summary(corpus)
    families = family_figures(corpus, runs, metrics)
    body = {
        "machine": machine,
        "options": {
            "docs": options.docs,
            "seed": options.seed,
            "jobs": options.jobs,
            "tools": list(options.tools),
            "max_pages": options.max_pages,
            "families": list(options.families),
        },
        "corpus": summary,
        "measures": rows_json(rows),
        "pages": page_records(corpus, runs, metrics),
        "documents": document_records(corpus, runs),
        "families": families,
        "type_confusion": {
            tool: {"legible_only": True, "matrix": m.documents.type_matrix}
            for tool, m in metrics.items()
            if m.documents is not None
        },
    }
    for path in (options.json_path, options.html_path):
        path.parent.mkdir(parents=True, exist_ok=True)
    options.json_path.write_text(
        json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    options.html_path.write_text(
        report_html(rows, metrics, machine=machine, corpus=summary), encoding="utf-8"
    )
    print(f"wrote {options.json_path} and {options.html_path}", file=sys.stderr)
    print(table_text(rows, list(metrics)), flush=True)
    print(f"\n{families_text(families)}", flush=True)
    for tool, m in metrics.items():
        if m.documents is not None:
            print(f"\n{tool} {confusion_text(m.documents.type_matrix)}", flush=True)
            if m.documents.calibration is not None:
                print(f"\n{tool} {calibration_text(m.documents.calibration)}", flush=True)
    return body


def _counts(values: Sequence[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def corpus_summary(corpus: Corpus) -> dict[str, Any]:
    """How many documents and pages of each kind the corpus holds."""
    pages = corpus.pages
    return {
        "seed": corpus.seed,
        "documents": len(corpus.documents),
        "pages": len(pages),
        "blank_pages": sum(p.truth.blank for p in pages),
        "illegible_pages": sum(not p.truth.legible for p in pages),
        "duplex_documents": sum(d.duplex for d in corpus.documents),
        "overlay_documents": sum(d.overlays for d in corpus.documents),
        "formats": _counts([d.fmt for d in corpus.documents]),
        "languages": _counts([d.language for d in corpus.documents]),
        "document_types": _counts([d.document_type for d in corpus.documents]),
        "illegible_documents": sum(not d.truth.legible for d in corpus.documents),
        "unsigned_documents": sum(UNSIGNED in d.truth.reasons for d in corpus.documents),
        "missing_page_documents": sum(d.truth.missing_pages for d in corpus.documents),
        "no_person_code_documents": sum(
            NO_PERSON_CODE in d.truth.reasons for d in corpus.documents
        ),
        "documents_needing_review": sum(d.truth.needs_review for d in corpus.documents),
        "fonts": _counts([d.font for d in corpus.documents]),
        "families": _counts([d.family for d in corpus.documents]),
        "degradations": _counts([g for p in pages for g in p.truth.degradations]),
        "rotations": _counts([str(p.truth.rotation) for p in pages if not p.truth.blank]),
    }


def page_records(
    corpus: Corpus, runs: Sequence[ToolRun], metrics: Mapping[str, ToolMetrics]
) -> list[dict[str, Any]]:
    """Per page: its truth (without the text) and what each tool made of it."""
    records = []
    for i, page in enumerate(corpus.pages):
        truth = page.truth
        record: dict[str, Any] = {
            "document": page.document,
            "page": page.number,
            "family": corpus.documents[page.document].family,
            "format": corpus.documents[page.document].fmt,
            "dpi": page.dpi,
            "blank": truth.blank,
            "legible": truth.legible,
            "rotation": truth.rotation,
            "skew_degrees": truth.skew_degrees,
            "degradations": list(truth.degradations),
            "reasons": list(truth.reasons),
            "cer": {r.tool: metrics[r.tool].page_cers[i] for r in runs},
        }
        for run in runs:
            if run.tool == "intake":
                guess = run.predictions[i]
                record["intake"] = {
                    "rotation": guess.rotation,
                    "skew_degrees": guess.skew_degrees,
                    "blank": guess.blank,
                    "reasons": sorted(guess.reasons),
                }
        records.append(record)
    return records


def _document_prediction_json(guess: DocumentPrediction) -> dict[str, Any]:
    return {
        "failed": guess.failed,
        "document_type": guess.document_type,
        "type_confidence": guess.type_confidence,
        "documents": guess.documents,
        "person_codes": [
            {"value": c.value, "role": c.role, "page": c.page} for c in guess.person_codes
        ],
        "reasons": [
            {"code": code, "page": page}
            for code, page in sorted(guess.reasons, key=lambda r: (r[0], r[1] or 0))
        ],
        "review": guess.review,
    }


def document_records(corpus: Corpus, runs: Sequence[ToolRun]) -> list[dict[str, Any]]:
    """Per document: its truth and what each tool that reads documents made of it."""
    records = []
    for i, document in enumerate(corpus.documents):
        truth = document.truth
        record: dict[str, Any] = {
            "document": document.index,
            "family": document.family,
            "format": document.fmt,
            "language": document.language,
            "pages": len(document.pages),
            "rendered_pages": document.rendered_pages,
            "dropped_page": document.dropped_page,
            "document_type": truth.document_type,
            "person_codes": [
                {"value": code, "role": role}
                for code, role in zip(truth.person_codes, truth.person_roles, strict=True)
            ],
            "signed": truth.signed,
            "missing_pages": truth.missing_pages,
            "legible": truth.legible,
            "reasons": sorted(truth.reasons),
            "needs_review": truth.needs_review,
        }
        for run in runs:
            if run.documents is not None:
                record[run.tool] = _document_prediction_json(run.documents[i])
        records.append(record)
    return records
