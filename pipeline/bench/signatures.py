"""Signature presence per signature style: how often ``UNSIGNED`` is raised, for each.

The corpus signs a document's signature line in one of four pen styles and records which
(``SIGNATURE_STYLES``: loops, a flat scribble, initials, a stroke through the line), alone
on the page (``draw_signature``) or among the form's overlays (``draw_overlays``: a stamp
pressed beside it, often, tables and a photo).  A row is one style and one of those two;
the unsigned documents are a row of their own.  On a signed row every ``UNSIGNED`` is a
false alarm; on the unsigned row each one is a hit.  The last row is the whole corpus, with
``UNSIGNED`` precision and recall.  Every document counts, as in the table's ``UNSIGNED,
document`` rows (on an illegible one ``UNSIGNED`` is not expected: its legibility reason is).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.bench.corpus import BenchDocument
from pipeline.bench.metrics import UNSIGNED, Confusion, DocumentPrediction


def signature_style(document: BenchDocument) -> str:
    """The style the document is signed in, and whether among overlays; or "unsigned"."""
    if not document.truth.signed:
        return "unsigned"
    pen = "among stamps" if document.overlays else "alone"
    return f"{document.signature_style or 'loops'}, {pen}"


@dataclass(frozen=True)
class StyleRow:
    """``UNSIGNED`` for the documents of one signature style."""

    style: str
    documents: int
    unsigned: int
    flagged: int
    confusion: Confusion


def signature_rows(
    documents: Sequence[BenchDocument], predictions: Sequence[DocumentPrediction]
) -> list[StyleRow]:
    """One row per style in the corpus, in name order, then one for all documents."""
    groups: dict[str, list[int]] = {}
    for i, document in enumerate(documents):
        groups.setdefault(signature_style(document), []).append(i)
    groups = dict(sorted(groups.items()))
    groups["all documents"] = list(range(len(documents)))
    rows = []
    for style, members in groups.items():
        truths = [UNSIGNED in documents[i].truth.reasons for i in members]
        raised = [UNSIGNED in predictions[i].codes for i in members]
        rows.append(
            StyleRow(style, len(members), sum(truths), sum(raised), Confusion.of(raised, truths))
        )
    return rows


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


def signature_text(rows: Sequence[StyleRow]) -> str:
    """The rows as a text table."""
    header = ("signature style", "docs", "unsigned", "UNSIGNED raised", "precision", "recall")
    lines = [
        (
            r.style,
            str(r.documents),
            str(r.unsigned),
            str(r.flagged),
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
            "unsigned_raised": r.flagged,
            "unsigned_precision": r.confusion.precision,
            "unsigned_recall": r.confusion.recall,
        }
        for r in rows
    ]
