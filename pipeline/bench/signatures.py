"""Signature presence per signature style: ``UNSIGNED`` precision and recall for each.

The corpus signs a document in one of two ways, and records which: a pen signature alone
on the signature line (``draw_signature``, documents without overlays), or the pen among the
form's overlays (``draw_overlays``: a stamp pressed beside the signature, often, tables and a
photo).  The label beside the line is the document's language's ("Allkiri", "Подпись",
"Signature").  A style here is the pair; the pen's own strokes (2-3 Bézier strokes, ink
and width drawn at random) are one kind throughout and not recorded, so they cannot be
told apart.  Every document counts, as in the table's ``UNSIGNED, document`` rows (on an
illegible one ``UNSIGNED`` is not expected: its legibility reason is).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.bench.corpus import BenchDocument
from pipeline.bench.metrics import UNSIGNED, Confusion, DocumentPrediction

LABELS = {"est": "Allkiri", "rus": "Подпись", "eng": "Signature"}


def signature_style(document: BenchDocument) -> str:
    """The style the document is (or would have been) signed in."""
    pen = "pen among stamps" if document.overlays else "pen alone"
    return f"{pen}, {LABELS.get(document.language, document.language)}"


@dataclass(frozen=True)
class StyleRow:
    """``UNSIGNED`` for the documents of one signature style."""

    style: str
    documents: int
    unsigned: int
    confusion: Confusion


def signature_rows(
    documents: Sequence[BenchDocument], predictions: Sequence[DocumentPrediction]
) -> list[StyleRow]:
    """One row per style in the corpus, in name order."""
    groups: dict[str, list[int]] = {}
    for i, document in enumerate(documents):
        groups.setdefault(signature_style(document), []).append(i)
    rows = []
    for style, members in sorted(groups.items()):
        truths = [UNSIGNED in documents[i].truth.reasons for i in members]
        raised = [UNSIGNED in predictions[i].codes for i in members]
        rows.append(StyleRow(style, len(members), sum(truths), Confusion.of(raised, truths)))
    return rows


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


def signature_text(rows: Sequence[StyleRow]) -> str:
    """The rows as a text table."""
    header = ("signature style", "docs", "unsigned", "UNSIGNED precision", "recall")
    lines = [
        (
            r.style,
            str(r.documents),
            str(r.unsigned),
            _percent(r.confusion.precision),
            _percent(r.confusion.recall),
        )
        for r in rows
    ]
    widths = [max(len(c) for c in column) for column in zip(header, *lines, strict=True)]
    out = [
        "  ".join(
            [cells[0].ljust(widths[0])]
            + [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        )
        for cells in (header, *lines)
    ]
    return "signature presence per style (UNSIGNED, one decision per document):\n" + "\n".join(out)


def signature_json(rows: Sequence[StyleRow]) -> list[dict[str, object]]:
    """The rows for the JSON file."""
    return [
        {
            "style": r.style,
            "documents": r.documents,
            "unsigned": r.unsigned,
            "unsigned_precision": r.confusion.precision,
            "unsigned_recall": r.confusion.recall,
        }
        for r in rows
    ]
