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

from config.settings import ProcessConfig, Settings
from pipeline.bench.calibration import calibration_text
from pipeline.bench.corpus import Corpus, build_corpus
from pipeline.bench.costs import StageCost, costs_json, costs_text, stage_costs
from pipeline.bench.families import families_text, family_figures, parse_families
from pipeline.bench.loto import (
    BenchText,
    LeaveOneTemplateOut,
    classify_as_pipeline,
    leave_one_template_out,
    loto_json,
    loto_text,
)
from pipeline.bench.machine import describe_machine
from pipeline.bench.metrics import (
    NO_PERSON_CODE,
    UNSIGNED,
    DocumentPrediction,
    ToolMetrics,
    evaluate,
)
from pipeline.bench.progress import progress
from pipeline.bench.report import (
    PERCENT,
    Row,
    build_rows,
    confusion_text,
    rows_json,
    table_text,
)
from pipeline.bench.signatures import StyleRow, signature_json, signature_rows, signature_text
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
    if getattr(args, "real", None) is not None or getattr(args, "fetch_real", None) is not None:
        from pipeline.bench.realcommand import cmd_real

        return cmd_real(settings, args)
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
    extras = breakdowns(corpus, runs, config)
    rows = build_rows(metrics) + loto_rows(extras.loto)
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
        "configurations": {r.tool: r.configuration for r in runs},
        "processes_at_once": {r.tool: r.processes for r in runs},
        "archived_documents": {r.tool: r.archived for r in runs},
        "load_average": {r.tool: r.load for r in runs},
        "measures": rows_json(rows),
        "stage_costs": {tool: costs_json(c) for tool, c in extras.costs.items()},
        "type_accuracy_leave_one_template_out": None
        if extras.loto is None
        else loto_json(extras.loto),
        "signature_by_style": signature_json(extras.signatures),
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
        report_html(
            rows,
            metrics,
            machine=machine,
            corpus=summary,
            sections=extras.texts(runs),
        ),
        encoding="utf-8",
    )
    print(f"wrote {options.json_path} and {options.html_path}", file=sys.stderr)
    print(table_text(rows, list(metrics)), flush=True)
    for text in extras.texts(runs):
        print(f"\n{text}", flush=True)
    print(f"\n{families_text(families)}", flush=True)
    for tool, m in metrics.items():
        if m.documents is not None:
            print(f"\n{tool} {confusion_text(m.documents.type_matrix)}", flush=True)
            if m.documents.calibration is not None:
                print(f"\n{tool} {calibration_text(m.documents.calibration)}", flush=True)
    return body


@dataclass(frozen=True)
class Breakdowns:
    """The figures beside the table: stage costs, types on unseen templates, signatures."""

    costs: Mapping[str, list[StageCost]]
    loto: LeaveOneTemplateOut | None
    signatures: list[StyleRow]

    def texts(self, runs: Sequence[ToolRun]) -> list[str]:
        """Each as text, the tools' configurations first."""
        lines = [f"  {r.tool}: {r.configuration}" for r in runs]
        loads = [
            f"  {r.tool}: {r.load[0]:.2f} -> {r.load[1]:.2f}" for r in runs if r.load is not None
        ]
        out = ["configurations (same cores for each):\n" + "\n".join(lines)]
        if loads:
            out.append(
                "load average (1 min) as each tool started and ended; above the cores, other "
                "work slowed that tool:\n" + "\n".join(loads)
            )
        out += [costs_text(c, tool) for tool, c in self.costs.items()]
        if self.loto is not None:
            out.append(loto_text(self.loto))
        if self.signatures:
            out.append(signature_text(self.signatures))
        return out


def breakdowns(corpus: Corpus, runs: Sequence[ToolRun], config: ProcessConfig) -> Breakdowns:
    """Stage costs of the intake runs; from intake's (archived) run, LOTO and signatures.

    Leave-one-template-out classifies intake's own OCR text of the run (its pages that it
    did not find blank), after the clock: it trains a model per template held out.
    """
    costs = {r.tool: stage_costs(r.stages_ms, len(corpus.pages)) for r in runs if r.stages_ms}
    intake = next((r for r in runs if r.tool == "intake" and r.documents is not None), None)
    if intake is None or intake.documents is None:
        return Breakdowns(costs, None, [])
    texts, index = [], 0
    for document in corpus.documents:
        pages = intake.predictions[index : index + len(document.pages)]
        index += len(document.pages)
        if document.truth.legible:
            texts.append(
                BenchText(
                    document.document_type,
                    "\n".join(t.text for t in document.truth.pages),
                    "\n".join(p.text for p in pages if not p.blank),
                )
            )
    from pipeline.typemodels import cached_model

    with progress("types, unseen templates", 1) as advance:
        loto = leave_one_template_out(
            texts,
            config.types,
            seen=cached_model(config.model_cache, config.types),
            classify=classify_as_pipeline,
            text="intake's OCR text of this run",
        )
        advance(1)
    return Breakdowns(costs, loto, signature_rows(corpus.documents, intake.documents))


def loto_rows(loto: LeaveOneTemplateOut | None) -> list[Row]:
    """The table's rows for types on unseen templates (intake's column only)."""
    if loto is None:
        return []
    return [
        Row(
            "type_accuracy_unseen_template",
            "type accuracy, unseen template (LOTO)",
            PERCENT,
            {"intake": loto.accuracy},
        ),
        Row(
            "type_accuracy_seen_template",
            "type accuracy, same docs, template seen",
            PERCENT,
            {"intake": loto.seen_accuracy},
        ),
    ]


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
