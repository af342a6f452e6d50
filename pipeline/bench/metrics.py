"""The benchmark's measures: pure functions of the known truth and what a tool reported.

A measure that cannot be computed (no page to average, no positive to recall) is ``None``; a
measure a tool does not report at all is left out by :func:`evaluate` and shown as "n/a".
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from rapidfuzz.distance import Levenshtein

# The review reasons that say "this page cannot be read"; a page carrying any is flagged.
ILLEGIBLE_REASONS = (
    "ILLEGIBLE_BLUR",
    "LOW_CONTRAST",
    "LOW_RESOLUTION",
    "CUT_OFF",
    "LOW_OCR_CONFIDENCE",
)
GENERIC_REASON = "LOW_OCR_CONFIDENCE"
"""The legibility reason with no degradation of its own: right on any illegible page."""
CLEAN = "clean"
"""The degradation label of a page the scanner did nothing bad to."""

_WHITESPACE = re.compile(r"\s+")

# Measure groups: a tool reports some of them; the others are "n/a" for it.
CER, SKEW, ROTATION, BLANK, LEGIBILITY = "cer", "skew", "rotation", "blank", "legibility"
ALL_MEASURES = frozenset({CER, SKEW, ROTATION, BLANK, LEGIBILITY})


class Truth(Protocol):
    """What is known about a page (``pipeline.corpus.PageTruth`` is one)."""

    @property
    def text(self) -> str:
        """The text drawn on the page."""
        ...

    @property
    def rotation(self) -> int:
        """Degrees clockwise the page was turned on the scanner."""
        ...

    @property
    def skew_degrees(self) -> float:
        """Skew of the text lines, counter-clockwise positive."""
        ...

    @property
    def blank(self) -> bool:
        """Whether the page carries no content."""
        ...

    @property
    def degradations(self) -> tuple[str, ...]:
        """What the scan did to the page, e.g. ``("blur:severe",)``."""
        ...

    @property
    def legible(self) -> bool:
        """Whether a person can read the page."""
        ...

    @property
    def reasons(self) -> tuple[str, ...]:
        """The review reasons a correct pipeline raises for the page."""
        ...


@dataclass(frozen=True)
class Prediction:
    """What one tool reported for one page; ``None`` where it reports nothing.

    A page the tool failed on (it crashed, timed out) is ``failed``, with empty text.
    """

    text: str
    rotation: int | None = None
    skew_degrees: float | None = None
    blank: bool | None = None
    reasons: frozenset[str] = frozenset()
    failed: bool = False


@dataclass(frozen=True)
class Confusion:
    """Counts of a yes/no decision against the truth."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @staticmethod
    def of(predicted: Iterable[bool], actual: Iterable[bool]) -> Confusion:
        """Count the pairs of ``predicted`` and ``actual``, which must be equally long."""
        tp = fp = fn = tn = 0
        for guess, real in zip(predicted, actual, strict=True):
            tp += guess and real
            fp += guess and not real
            fn += real and not guess
            tn += not guess and not real
        return Confusion(tp=tp, fp=fp, fn=fn, tn=tn)

    @property
    def precision(self) -> float | None:
        """Share of the flagged that are real; ``None`` when nothing was flagged."""
        flagged = self.tp + self.fp
        return self.tp / flagged if flagged else None

    @property
    def recall(self) -> float | None:
        """Share of the real that were flagged; ``None`` when nothing is real."""
        real = self.tp + self.fn
        return self.tp / real if real else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall; ``None`` with no positive on either side."""
        wrong_or_right = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / wrong_or_right if wrong_or_right else None

    @property
    def false_positive_rate(self) -> float | None:
        """Share of the negatives that were flagged; ``None`` when there is no negative."""
        negatives = self.fp + self.tn
        return self.fp / negatives if negatives else None


def normalise(text: str) -> str:
    """Fold every run of whitespace to one space and strip the ends."""
    return _WHITESPACE.sub(" ", text).strip()


def cer(predicted: str, truth: str) -> float | None:
    """Character error rate: edit distance over the truth's length, after :func:`normalise`.

    ``None`` when the truth has no text. Above 1 when the prediction adds much text.
    """
    reference = normalise(truth)
    if not reference:
        return None
    return Levenshtein.distance(normalise(predicted), reference) / len(reference)


def mean(values: Sequence[float]) -> float | None:
    """Arithmetic mean; ``None`` for no value."""
    return statistics.fmean(values) if values else None


def median(values: Sequence[float]) -> float | None:
    """Median; ``None`` for no value."""
    return statistics.median(values) if values else None


def p95(values: Sequence[float]) -> float | None:
    """95th percentile, interpolated linearly between the nearest ranks; ``None`` for none."""
    return float(np.percentile(np.asarray(values, dtype=float), 95)) if values else None


def skew_errors(
    truths: Sequence[Truth], predictions: Sequence[Prediction], *, legible_only: bool = False
) -> tuple[tuple[float, ...], int]:
    """Absolute skew errors of the non-blank (or legible) pages, and how many had no prediction.

    A missing prediction counts as a prediction of 0°: the page was left as skewed as it was.
    """
    errors: list[float] = []
    missing = 0
    for truth, guess in zip(truths, predictions, strict=True):
        if truth.blank or (legible_only and not truth.legible):
            continue
        if guess.skew_degrees is None:
            missing += 1
            errors.append(abs(truth.skew_degrees))
        else:
            errors.append(abs(guess.skew_degrees - truth.skew_degrees))
    return tuple(errors), missing


def rotation_accuracy(
    truths: Sequence[Truth], predictions: Sequence[Prediction], *, legible_only: bool = False
) -> float | None:
    """Share of non-blank (or legible) pages whose rotation was found; a missing one is wrong."""
    pairs = [
        (t, p)
        for t, p in zip(truths, predictions, strict=True)
        if not t.blank and (t.legible or not legible_only)
    ]
    if not pairs:
        return None
    return sum(p.rotation == t.rotation for t, p in pairs) / len(pairs)


def blank_confusion(truths: Sequence[Truth], predictions: Sequence[Prediction]) -> Confusion:
    """Blank-page detection over every page; a missing answer means "not blank"."""
    return Confusion.of((bool(p.blank) for p in predictions), (t.blank for t in truths))


def flagged(prediction: Prediction) -> bool:
    """Whether the tool said the page cannot be read."""
    return any(code in prediction.reasons for code in ILLEGIBLE_REASONS)


def legibility_confusion(truths: Sequence[Truth], predictions: Sequence[Prediction]) -> Confusion:
    """Illegible pages caught: positive = the truth says the page is not legible."""
    return Confusion.of((flagged(p) for p in predictions), (not t.legible for t in truths))


def expected(code: str, truth: Truth) -> bool:
    """Whether a correct pipeline raises ``code`` for the page.

    The truth names the specific reasons; severe noise, JPEG artefacts or show-through make
    a page illegible without a reason of their own, and low OCR confidence is right for any
    illegible page.
    """
    if code == GENERIC_REASON:
        return not truth.legible
    return code in truth.reasons


def reason_confusions(
    truths: Sequence[Truth], predictions: Sequence[Prediction]
) -> dict[str, Confusion]:
    """Per review reason: raised by the tool against expected by the truth."""
    codes = sorted(
        {c for t in truths for c in t.reasons}
        | {c for p in predictions for c in p.reasons if c in ILLEGIBLE_REASONS}
    )
    return {
        code: Confusion.of(
            (code in p.reasons for p in predictions), (expected(code, t) for t in truths)
        )
        for code in codes
    }


def page_cers(truths: Sequence[Truth], predictions: Sequence[Prediction]) -> list[float | None]:
    """CER of every page; ``None`` for blank pages and pages without text."""
    return [
        None if t.blank else cer(p.text, t.text) for t, p in zip(truths, predictions, strict=True)
    ]


def cer_by_degradation(truths: Sequence[Truth], cers: Sequence[float | None]) -> dict[str, float]:
    """Mean CER per degradation label (``CLEAN`` for none), legible or not."""
    groups: dict[str, list[float]] = {}
    for truth, value in zip(truths, cers, strict=True):
        if value is None:
            continue
        for label in truth.degradations or (CLEAN,):
            groups.setdefault(label, []).append(value)
    return {label: statistics.fmean(values) for label, values in sorted(groups.items())}


@dataclass(frozen=True)
class ToolMetrics:
    """Every measure of one tool over the corpus; groups it does not report stay empty."""

    tool: str
    reported: frozenset[str]
    pages: int
    seconds: float
    failed_documents: int
    failed_pages: int
    cer_mean: float | None = None
    cer_median: float | None = None
    cer_by_degradation: Mapping[str, float] = field(default_factory=dict)
    page_cers: tuple[float | None, ...] = ()
    skew_mae: float | None = None
    skew_p95: float | None = None
    skew_missing: int | None = None
    skew_errors: tuple[float, ...] = ()
    rotation_accuracy: float | None = None
    skew_mae_legible: float | None = None
    rotation_accuracy_legible: float | None = None
    blank: Confusion | None = None
    legibility: Confusion | None = None
    reasons: Mapping[str, Confusion] = field(default_factory=dict)

    @property
    def pages_per_minute(self) -> float | None:
        """Throughput over the tool's wall-clock time."""
        return self.pages * 60.0 / self.seconds if self.seconds > 0 else None


def evaluate(
    tool: str,
    truths: Sequence[Truth],
    predictions: Sequence[Prediction],
    *,
    reported: frozenset[str],
    seconds: float,
    failed_documents: int = 0,
) -> ToolMetrics:
    """Measure one tool's predictions (one per page, in corpus order) against the truth."""
    if len(truths) != len(predictions):
        raise ValueError(f"{len(predictions)} predictions for {len(truths)} pages")
    cers = page_cers(truths, predictions)
    legible = [c for t, c in zip(truths, cers, strict=True) if c is not None and t.legible]
    errors, missing = skew_errors(truths, predictions)
    has = reported.__contains__
    return ToolMetrics(
        tool=tool,
        reported=reported,
        pages=len(truths),
        seconds=seconds,
        failed_documents=failed_documents,
        failed_pages=sum(p.failed for p in predictions),
        cer_mean=mean(legible) if has(CER) else None,
        cer_median=median(legible) if has(CER) else None,
        cer_by_degradation=cer_by_degradation(truths, cers) if has(CER) else {},
        page_cers=tuple(cers) if has(CER) else (),
        skew_mae=mean(errors) if has(SKEW) else None,
        skew_p95=p95(errors) if has(SKEW) else None,
        skew_missing=missing if has(SKEW) else None,
        skew_errors=errors if has(SKEW) else (),
        rotation_accuracy=rotation_accuracy(truths, predictions) if has(ROTATION) else None,
        skew_mae_legible=mean(skew_errors(truths, predictions, legible_only=True)[0])
        if has(SKEW)
        else None,
        rotation_accuracy_legible=rotation_accuracy(truths, predictions, legible_only=True)
        if has(ROTATION)
        else None,
        blank=blank_confusion(truths, predictions) if has(BLANK) else None,
        legibility=legibility_confusion(truths, predictions) if has(LEGIBILITY) else None,
        reasons=reason_confusions(truths, predictions) if has(LEGIBILITY) else {},
    )
