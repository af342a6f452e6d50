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

from pipeline.bench.calibration import Calibration, type_calibration

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
DOCUMENTS = "documents"
"""Document type, person codes and the review verdict: intake's alone."""
ALL_MEASURES = frozenset({CER, SKEW, ROTATION, BLANK, LEGIBILITY, DOCUMENTS})

# The document-level review reasons the corpus knows the truth of.
MISSING_PAGES, UNSIGNED, NO_PERSON_CODE = "MISSING_PAGES", "UNSIGNED", "NO_PERSON_CODE"
BLANK_DOCUMENT = "BLANK_DOCUMENT"
UNKNOWN = "unknown"
"""The type a classifier gives when it abstains; every generated document has a known type."""
FAILED = "(failed)"
"""The type column of a document the tool failed on."""


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
    signed: bool | None = None  # intake's signature stage on the page


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


# --- documents: type, person codes, review --------------------------------------------------


@dataclass(frozen=True)
class PersonCode:
    """A person code as a tool read it: its value, the person's role, the page it is on."""

    value: str
    role: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class DocumentTruth:
    """What is known about one scanned document (one file of the corpus).

    Attributes:
        document_type: The generated type; always one of the office's types.
        pages: The truth of each page of the file, page ``n`` at ``pages[n - 1]``.
        person_codes: The person codes on the pages left in the file, in order of appearance.
        person_roles: The role of each of ``person_codes``.
        signed: Whether the file shows a pen signature on the signature line.
        missing_pages: Whether a page of the rendered document is missing from the file.
        reasons: The review reasons a correct pipeline must raise (see
            :func:`document_reasons`); empty when the document can be accepted.
    """

    document_type: str
    pages: tuple[Truth, ...]
    person_codes: tuple[str, ...] = ()
    person_roles: tuple[str, ...] = ()
    signed: bool = False
    missing_pages: bool = False
    reasons: frozenset[str] = frozenset()

    @property
    def legible(self) -> bool:
        """Whether a person can read every page."""
        return all(p.legible for p in self.pages)

    @property
    def needs_review(self) -> bool:
        """Whether a correct pipeline sends the document to a person."""
        return bool(self.reasons)


@dataclass(frozen=True)
class DocumentPrediction:
    """What one tool reported for one document (one file).

    Attributes:
        document_type: The type it gave, ``UNKNOWN`` when it abstained.
        type_confidence: How sure it was, if it says.
        person_codes: The person codes it found.
        reasons: Every review reason it raised, as ``(code, page)``; page ``None`` when the
            reason names no page.
        review: Whether it sent the document to a person.
        documents: How many documents it split the file into (1 is right: one per file).
        failed: Whether it crashed or timed out on the file: no type, codes or verdict.
    """

    document_type: str = UNKNOWN
    type_confidence: float | None = None
    person_codes: tuple[PersonCode, ...] = ()
    reasons: frozenset[tuple[str, int | None]] = frozenset()
    review: bool = False
    documents: int = 1
    failed: bool = False

    @property
    def typed(self) -> bool:
        """Whether it gave a type: it neither abstained nor failed."""
        return not self.failed and self.document_type != UNKNOWN

    @property
    def codes(self) -> frozenset[str]:
        """The reason codes raised, whatever their page."""
        return frozenset(code for code, _ in self.reasons)

    @property
    def type_label(self) -> str:
        """The type column of the confusion matrix: the type, ``UNKNOWN`` or ``FAILED``."""
        return FAILED if self.failed else self.document_type


def document_reasons(
    pages: Sequence[Truth],
    *,
    person_codes: Sequence[str],
    signed: bool,
    dropped_page: bool,
    requires_person_code: bool,
    requires_signature: bool,
    expected_pages: int = 0,
) -> frozenset[str]:
    """The review reasons a correct pipeline must raise for a document.

    The pages' own reasons, ``GENERIC_REASON`` for an illegible page without a reason of its
    own, ``MISSING_PAGES`` when a page was dropped or the type expects more pages than the
    document has, ``UNSIGNED`` when the type needs a signature that is not there,
    ``NO_PERSON_CODE`` when the type needs a person code and none is written, and
    ``BLANK_DOCUMENT`` when every page is blank.

    Args:
        pages: The truth of every page of the file, blank backs included.
        person_codes: The person codes written on those pages ("" for an empty field).
        signed: Whether the file shows a signature.
        dropped_page: Whether a page of the rendered document is missing from the file.
        requires_person_code: Whether the type needs a person code.
        requires_signature: Whether the type needs a signature.
        expected_pages: The type's page count; 0 for any.
    """
    reasons = {code for page in pages for code in page.reasons}
    if any(not page.legible and not page.reasons for page in pages):
        reasons.add(GENERIC_REASON)
    content = sum(not page.blank for page in pages)
    if not content:
        reasons.add(BLANK_DOCUMENT)
    if dropped_page or (expected_pages and content < expected_pages):
        reasons.add(MISSING_PAGES)
    if requires_signature and not signed:
        reasons.add(UNSIGNED)
    if requires_person_code and not any(person_codes):
        reasons.add(NO_PERSON_CODE)
    return frozenset(reasons)


def type_matrix(
    truths: Sequence[DocumentTruth],
    predictions: Sequence[DocumentPrediction],
    *,
    legible_only: bool = True,
) -> dict[str, dict[str, int]]:
    """Counts of true type (rows) by reported type (columns, ``UNKNOWN`` and ``FAILED`` too).

    Only legible documents by default: an illegible one goes to a person whatever its type.
    """
    matrix: dict[str, dict[str, int]] = {}
    for truth, guess in zip(truths, predictions, strict=True):
        if legible_only and not truth.legible:
            continue
        row = matrix.setdefault(truth.document_type, {})
        row[guess.type_label] = row.get(guess.type_label, 0) + 1
    return {t: dict(sorted(row.items())) for t, row in sorted(matrix.items())}


def type_accuracy(matrix: Mapping[str, Mapping[str, int]]) -> float | None:
    """Share of the matrix's documents given their true type; abstaining is wrong."""
    total = sum(n for row in matrix.values() for n in row.values())
    right = sum(row.get(t, 0) for t, row in matrix.items())
    return right / total if total else None


def type_accuracy_by_type(matrix: Mapping[str, Mapping[str, int]]) -> dict[str, float | None]:
    """:func:`type_accuracy` of each true type's row."""
    return {t: type_accuracy({t: row}) for t, row in matrix.items()}


@dataclass(frozen=True)
class CodeCounts:
    """Person codes found against the codes on the documents, counted per document."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    roles_right: int = 0

    @property
    def precision(self) -> float | None:
        """Share of the codes reported that are on the document; ``None`` for none reported."""
        reported = self.tp + self.fp
        return self.tp / reported if reported else None

    @property
    def recall(self) -> float | None:
        """Share of the codes on the documents that were reported; ``None`` for none."""
        real = self.tp + self.fn
        return self.tp / real if real else None

    @property
    def role_accuracy(self) -> float | None:
        """Share of the rightly reported codes given the right role; ``None`` for none."""
        return self.roles_right / self.tp if self.tp else None


def person_code_counts(
    truths: Sequence[DocumentTruth], predictions: Sequence[DocumentPrediction]
) -> CodeCounts:
    """Count each document's distinct codes: reported and on it, reported only, missed.

    A code reported twice counts once, with the role it was first given.
    """
    tp = fp = fn = roles_right = 0
    for truth, guess in zip(truths, predictions, strict=True):
        roles: dict[str, set[str]] = {}
        for code, role in zip(truth.person_codes, truth.person_roles, strict=False):
            roles.setdefault(code, set()).add(role)
        real = {code for code in truth.person_codes if code}
        reported: dict[str, str | None] = {}
        for found in guess.person_codes:
            reported.setdefault(found.value, found.role)
        hits = real & reported.keys()
        tp += len(hits)
        fp += len(reported) - len(hits)
        fn += len(real) - len(hits)
        roles_right += sum(reported[code] in roles.get(code, ()) for code in hits)
    return CodeCounts(tp=tp, fp=fp, fn=fn, roles_right=roles_right)


def review_confusion(
    truths: Sequence[DocumentTruth], predictions: Sequence[DocumentPrediction]
) -> Confusion:
    """Documents sent to review against those that need it.

    Its recall is the review recall, its false positive rate the false-review rate. A
    document the tool failed on was not sent.
    """
    return Confusion.of((p.review for p in predictions), (t.needs_review for t in truths))


def expected_in_document(code: str, truth: DocumentTruth) -> bool:
    """Whether a correct pipeline raises ``code`` for the document.

    As for a page (:func:`expected`), low OCR confidence is right on any illegible document.
    """
    if code == GENERIC_REASON:
        return not truth.legible
    return code in truth.reasons


def document_reason_confusions(
    truths: Sequence[DocumentTruth], predictions: Sequence[DocumentPrediction]
) -> dict[str, Confusion]:
    """Per reason code, one decision per document: raised (any page) against expected."""
    codes = sorted(
        {c for t in truths for c in t.reasons} | {c for p in predictions for c in p.codes}
    )
    return {
        code: Confusion.of(
            (code in p.codes for p in predictions),
            (expected_in_document(code, t) for t in truths),
        )
        for code in codes
    }


def _on_right_page(code: str, page: int | None, truth: DocumentTruth) -> bool:
    return (
        page is not None and 1 <= page <= len(truth.pages) and expected(code, truth.pages[page - 1])
    )


def document_reason_confusions_on_page(
    truths: Sequence[DocumentTruth], predictions: Sequence[DocumentPrediction]
) -> dict[str, Confusion]:
    """Per legibility reason, one decision per document: right only on a page that has it.

    As :func:`document_reason_confusions`, but a document where the reason is raised on wrong
    pages only is a false positive, and also a miss when the document has it on another page.
    """
    codes = sorted(
        {c for t in truths for page in t.pages for c in page.reasons}
        | {c for t in truths for c in t.reasons if c in ILLEGIBLE_REASONS}
        | {c for p in predictions for c in p.codes if c in ILLEGIBLE_REASONS}
    )
    confusions = {}
    for code in codes:
        tp = fp = fn = tn = 0
        for truth, guess in zip(truths, predictions, strict=True):
            raised = code in guess.codes
            real = expected_in_document(code, truth)
            if any(c == code and _on_right_page(c, page, truth) for c, page in guess.reasons):
                tp += 1
                continue
            fp += raised
            fn += real
            tn += not raised and not real
        confusions[code] = Confusion(tp=tp, fp=fp, fn=fn, tn=tn)
    return confusions


@dataclass(frozen=True)
class DocumentMetrics:
    """Every document measure of one tool."""

    documents: int
    legible_documents: int
    type_matrix: Mapping[str, Mapping[str, int]]
    type_accuracy: float | None
    type_accuracy_by_type: Mapping[str, float | None]
    person_codes: CodeCounts
    person_codes_legible: CodeCounts
    review: Confusion
    reasons: Mapping[str, Confusion]
    reasons_on_page: Mapping[str, Confusion]
    calibration: Calibration | None = None


def evaluate_documents(
    truths: Sequence[DocumentTruth], predictions: Sequence[DocumentPrediction]
) -> DocumentMetrics:
    """Measure one tool's documents (one per file, in corpus order) against the truth."""
    if len(truths) != len(predictions):
        raise ValueError(f"{len(predictions)} predictions for {len(truths)} documents")
    matrix = type_matrix(truths, predictions)
    legible = [i for i, truth in enumerate(truths) if truth.legible]
    return DocumentMetrics(
        documents=len(truths),
        legible_documents=sum(t.legible for t in truths),
        type_matrix=matrix,
        type_accuracy=type_accuracy(matrix),
        type_accuracy_by_type=type_accuracy_by_type(matrix),
        person_codes=person_code_counts(truths, predictions),
        person_codes_legible=person_code_counts(
            [truths[i] for i in legible], [predictions[i] for i in legible]
        ),
        review=review_confusion(truths, predictions),
        reasons=document_reason_confusions(truths, predictions),
        reasons_on_page=document_reason_confusions_on_page(truths, predictions),
        calibration=type_calibration(truths, predictions),
    )


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
    documents: DocumentMetrics | None = None

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
    document_truths: Sequence[DocumentTruth] = (),
    document_predictions: Sequence[DocumentPrediction] | None = None,
) -> ToolMetrics:
    """Measure one tool's predictions (one per page, in corpus order) against the truth.

    The document measures need ``document_predictions`` (one per document, in corpus order,
    against ``document_truths``); without them they stay undefined.
    """
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
        documents=evaluate_documents(document_truths, document_predictions)
        if has(DOCUMENTS) and document_predictions is not None
        else None,
    )
