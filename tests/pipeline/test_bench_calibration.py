"""``intake bench``'s reliability of type confidence, on hand-made cases."""

from __future__ import annotations

import pytest

from pipeline.bench.calibration import calibration_text, type_calibration
from pipeline.bench.metrics import (
    ALL_MEASURES,
    UNKNOWN,
    DocumentPrediction,
    DocumentTruth,
    Prediction,
    evaluate,
)
from pipeline.bench.report import build_rows
from pipeline.corpus import PageTruth

PAGE = PageTruth("Nimi: Mari Mägi", "est", rotation=0, skew_degrees=0.0, blank=False)


def truth(document_type: str = "pension_application") -> DocumentTruth:
    return DocumentTruth(document_type=document_type, pages=(PAGE,))


def said(
    document_type: str, confidence: float | None, *, failed: bool = False
) -> DocumentPrediction:
    return DocumentPrediction(
        document_type=document_type, type_confidence=confidence, failed=failed
    )


def test_a_tool_as_right_as_it_is_sure_has_no_calibration_error() -> None:
    # Ten documents at 0.95, all right, and ten at 0.55, half right
    truths = [truth()] * 20
    guesses = [said("pension_application", 0.95)] * 10
    guesses += [said("pension_application", 0.55)] * 5 + [said("power_of_attorney", 0.55)] * 5
    found = type_calibration(truths, guesses)
    assert found is not None
    assert [(b.low, b.documents, b.accuracy) for b in found.bins] == [
        (0.5, 10, 0.5),
        (0.9, 10, 1.0),
    ]
    assert found.expected_error == pytest.approx((0.05 * 10 + 0.05 * 10) / 20)
    assert found.accuracy == pytest.approx(0.75)
    assert found.mean_confidence == pytest.approx(0.75)


def test_an_overconfident_tool_shows_its_gap() -> None:
    # Sure every time, right half the time
    truths = [truth()] * 4
    guesses = [said("pension_application", 1.0)] * 2 + [said("death_certificate", 0.99)] * 2
    found = type_calibration(truths, guesses)
    assert found is not None
    assert len(found.bins) == 1  # 1.0 falls in the top bin, not a bin of its own
    assert found.expected_error == pytest.approx(0.995 - 0.5)
    assert "expected calibration error: 49.5%" in calibration_text(found)


def test_abstentions_and_failures_are_counted_apart_not_binned() -> None:
    truths = [truth()] * 3
    guesses = [
        said("pension_application", 0.9),
        said(UNKNOWN, 0.3),
        said(UNKNOWN, None, failed=True),
    ]
    found = type_calibration(truths, guesses)
    assert found is not None
    assert (found.documents, found.abstained) == (1, 1)


def test_a_tool_without_confidences_has_no_calibration() -> None:
    assert type_calibration([truth()], [said("pension_application", None)]) is None
    assert type_calibration([], []) is None


def test_the_bench_table_reports_the_calibration_error() -> None:
    truths = [truth(), truth()]
    guesses = [said("pension_application", 0.9), said("other", 0.7)]
    m = evaluate(
        "intake",
        [PAGE, PAGE],
        [Prediction("Nimi: Mari Mägi")] * 2,
        reported=ALL_MEASURES,
        seconds=1.0,
        document_truths=truths,
        document_predictions=guesses,
    )
    rows = {r.key: r for r in build_rows({"intake": m})}
    assert rows["type_calibration_error"].cells["intake"] == pytest.approx((0.1 + 0.7) / 2)
    assert rows["type_accuracy_typed"].cells["intake"] == pytest.approx(0.5)
