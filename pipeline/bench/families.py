"""Figures per family of the corpus (``intake bench --family mild,copy``).

The table of the run is over every page; these are the same few figures over each family's
pages and documents alone, so that one run compares the families on the same documents.
A held-out family (``copy_heldout``) is marked as such: its figures are for measuring only,
never for choosing a threshold or a parameter.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pipeline.bench.corpus import FAMILIES, REPO, Corpus
from pipeline.bench.metrics import ToolMetrics
from pipeline.bench.tools import ToolRun
from pipeline.corpus import HELD_OUT

NO_TEXT = "NO_TEXT"


def parse_families(text: str) -> tuple[str, ...]:
    """The families of ``--family``, a comma list; ``ValueError`` on bad usage."""
    families = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in families if f not in FAMILIES]
    if unknown or not families or len(set(families)) != len(families):
        raise ValueError(f"--family takes some of {','.join(FAMILIES)}, each once, not {text!r}")
    return families


def family_figures(
    corpus: Corpus, runs: Sequence[ToolRun], metrics: Mapping[str, ToolMetrics]
) -> dict[str, Any]:
    """Per family: its pages and documents, and each tool's CER and what it flagged there."""
    families = list(dict.fromkeys(d.family for d in corpus.documents))
    pages = corpus.pages
    figures: dict[str, Any] = {}
    for family in families:
        page_index = [
            i for i, p in enumerate(pages) if corpus.documents[p.document].family == family
        ]
        text_pages = [i for i in page_index if not pages[i].truth.blank]
        document_index = [i for i, d in enumerate(corpus.documents) if d.family == family]
        tools: dict[str, Any] = {}
        for run in runs:
            cers = [c for i in text_pages if (c := metrics[run.tool].page_cers[i]) is not None]
            figure: dict[str, Any] = {
                "cer_mean": statistics.fmean(cers) if cers else None,
                "cer_median": statistics.median(cers) if cers else None,
                "pages_without_text": sum(not run.predictions[i].text.strip() for i in text_pages),
                "page_reasons": _counts(r for i in text_pages for r in run.predictions[i].reasons),
            }
            if run.documents is not None:
                guesses = [run.documents[i] for i in document_index]
                figure["documents_to_review"] = sum(g.review for g in guesses)
                figure["documents_no_text"] = sum(
                    any(code == NO_TEXT for code, _ in g.reasons) for g in guesses
                )
                figure["document_reasons"] = _counts(code for g in guesses for code, _ in g.reasons)
            tools[run.tool] = figure
        figures[family] = {
            "held_out": family in HELD_OUT,
            "documents": len(document_index),
            "pages": len(text_pages),
            "legible_pages": sum(pages[i].truth.legible for i in text_pages),
            "documents_needing_review": sum(
                corpus.documents[i].truth.needs_review for i in document_index
            ),
            "tools": tools,
        }
    return figures


def _counts(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def families_text(figures: Mapping[str, Any]) -> str:
    """The per-family figures as lines of text, for the terminal."""
    lines = ["per family (CER mean / median, pages without text, documents with NO_TEXT):"]
    for family, figure in figures.items():
        mark = "  (held out: never for tuning)" if figure["held_out"] else ""
        if family == REPO:
            mark = "  (the scanner model)"
        lines.append(
            f"  {family}: {figure['documents']} documents, {figure['pages']} pages, "
            f"{figure['documents_needing_review']} needing review{mark}"
        )
        for tool, t in figure["tools"].items():
            mean, median = t["cer_mean"], t["cer_median"]
            cer = "n/a" if mean is None else f"{mean:.3f} / {median:.3f}"
            extra = ""
            if "documents_no_text" in t:
                extra = (
                    f", NO_TEXT documents {t['documents_no_text']}, "
                    f"to review {t['documents_to_review']}, reasons {t['document_reasons']}"
                )
            lines.append(
                f"    {tool:<10} CER {cer}, pages without text {t['pages_without_text']}{extra}"
            )
    return "\n".join(lines)
