"""Whether a tool's type confidence means what it says: the reliability of its probabilities.

A calibrated classifier that says 0.9 is right nine times in ten.  Each document the tool gave
a type (not an abstention, not a failure) is put in a bin by its confidence; the expected
calibration error (ECE) is the gap between each bin's mean confidence and its accuracy,
weighted by the bin's share of the documents.  Illegible documents count too: a low confidence
there is what calibration asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # metrics holds the documents' measures, this one among them
    from pipeline.bench.metrics import DocumentPrediction, DocumentTruth

BIN_WIDTH = 0.1


@dataclass(frozen=True)
class ConfidenceBin:
    """The documents whose confidence lies in ``[low, high)``: how sure, and how often right."""

    low: float
    high: float
    documents: int
    mean_confidence: float
    accuracy: float


@dataclass(frozen=True)
class Calibration:
    """The reliability of one tool's type confidences, over the documents it gave a type."""

    documents: int
    abstained: int
    bins: tuple[ConfidenceBin, ...]

    @property
    def mean_confidence(self) -> float | None:
        """The mean confidence over the typed documents; ``None`` for none."""
        return self._weighted(lambda b: b.mean_confidence)

    @property
    def accuracy(self) -> float | None:
        """The share of the typed documents given their true type; ``None`` for none."""
        return self._weighted(lambda b: b.accuracy)

    @property
    def expected_error(self) -> float | None:
        """ECE: each bin's |accuracy - mean confidence|, weighted by its documents."""
        return self._weighted(lambda b: abs(b.accuracy - b.mean_confidence))

    def _weighted(self, value: Callable[[ConfidenceBin], float]) -> float | None:
        if not self.documents:
            return None
        return sum(value(b) * b.documents for b in self.bins) / self.documents


def type_calibration(
    truths: Sequence[DocumentTruth], predictions: Sequence[DocumentPrediction]
) -> Calibration | None:
    """Bin the typed documents by confidence; ``None`` when the tool reports no confidence."""
    typed = [
        (guess.type_confidence, guess.document_type == truth.document_type)
        for truth, guess in zip(truths, predictions, strict=True)
        if guess.typed and guess.type_confidence is not None
    ]
    abstained = sum(not g.failed and not g.typed for g in predictions)
    if not typed and not any(g.type_confidence is not None for g in predictions):
        return None
    count = round(1 / BIN_WIDTH)
    binned: dict[int, list[tuple[float, bool]]] = {}
    for confidence, right in typed:
        binned.setdefault(min(int(confidence / BIN_WIDTH), count - 1), []).append(
            (confidence, right)
        )
    bins = tuple(
        ConfidenceBin(
            low=round(k * BIN_WIDTH, 2),
            high=round((k + 1) * BIN_WIDTH, 2),
            documents=len(inside),
            mean_confidence=sum(c for c, _ in inside) / len(inside),
            accuracy=sum(right for _, right in inside) / len(inside),
        )
        for k, inside in sorted(binned.items())
    )
    return Calibration(documents=len(typed), abstained=abstained, bins=bins)


def calibration_text(calibration: Calibration) -> str:
    """The reliability table: per confidence bin, documents, mean confidence and accuracy."""
    lines = [
        f"type confidence, {calibration.documents} typed documents "
        f"({calibration.abstained} abstained)",
        f"{'confidence':>12} {'docs':>5} {'mean':>6} {'right':>6}",
    ]
    for b in calibration.bins:
        lines.append(
            f"{b.low:>5.1f}-{b.high:<5.1f} {b.documents:>6} "
            f"{b.mean_confidence:>6.1%} {b.accuracy:>6.1%}"
        )
    error = calibration.expected_error
    lines.append("expected calibration error: " + ("-" if error is None else f"{error:.1%}"))
    return "\n".join(lines)
