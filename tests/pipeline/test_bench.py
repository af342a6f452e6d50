"""``intake bench``: its measures on hand-made cases, and one small run end to end."""

from __future__ import annotations

import json
import os
import subprocess
from importlib.util import find_spec
from pathlib import Path

import pytest

from pipeline.bench.metrics import (
    ALL_MEASURES,
    CER,
    CLEAN,
    Confusion,
    Prediction,
    cer,
    evaluate,
    mean,
    median,
    normalise,
    p95,
    skew_errors,
)
from pipeline.bench.report import build_rows, format_cell, table_text
from pipeline.bench.tools import intake_predictions, split_sidecar
from pipeline.corpus import PageTruth
from tests.fixtures.processes import run_intake


def truth(
    text: str = "Nimi: Mari Mägi",
    *,
    rotation: int = 0,
    skew: float = 0.0,
    blank: bool = False,
    degradations: tuple[str, ...] = (),
    legible: bool = True,
    reasons: tuple[str, ...] = (),
) -> PageTruth:
    return PageTruth(
        text=text,
        language="est",
        rotation=rotation,
        skew_degrees=skew,
        blank=blank,
        degradations=degradations,
        legible=legible,
        reasons=reasons,
    )


# --- character error rate -------------------------------------------------------------------


def test_cer_of_identical_text_is_zero() -> None:
    assert cer("Lääne-Viru maakond", "Lääne-Viru maakond") == 0.0


def test_cer_is_edit_distance_over_truth_length() -> None:
    # Given a ten-letter truth, one substitution and one deletion
    # Then two edits over ten characters
    assert cer("abcdxfghi", "abcdefghij") == pytest.approx(0.2)


def test_cer_folds_whitespace_runs_and_strips() -> None:
    assert normalise("  Nimi:\n\n Mari \t Mägi \n") == "Nimi: Mari Mägi"
    assert cer("Nimi:\nMari   Mägi\n\n", " Nimi: Mari\tMägi") == 0.0


def test_cer_counts_an_empty_reading_as_all_wrong_and_has_none_without_truth() -> None:
    assert cer("", "abc") == 1.0
    assert cer("anything", " \n ") is None


def test_cer_grows_past_one_when_text_is_invented() -> None:
    assert cer("abcabcabc", "abc") == pytest.approx(2.0)


# --- counts, F1, precision and recall -------------------------------------------------------


def test_confusion_counts_and_f1() -> None:
    # Given 2 hits, 1 false alarm, 1 miss, 1 correct rejection
    c = Confusion.of([True, True, True, False, False], [True, True, False, True, False])
    assert (c.tp, c.fp, c.fn, c.tn) == (2, 1, 1, 1)
    assert c.precision == pytest.approx(2 / 3)
    assert c.recall == pytest.approx(2 / 3)
    assert c.f1 == pytest.approx(2 / 3)
    assert c.false_positive_rate == pytest.approx(0.5)


def test_perfect_detection_has_f1_one() -> None:
    assert Confusion.of([True, False], [True, False]).f1 == 1.0


def test_precision_and_recall_with_empty_sets_are_undefined_not_zero() -> None:
    # Nothing flagged and nothing real: nothing to measure
    nothing = Confusion.of([False, False], [False, False])
    assert nothing.precision is None
    assert nothing.recall is None
    assert nothing.f1 is None
    assert nothing.false_positive_rate == 0.0
    # Nothing flagged, one real: recall 0, precision undefined
    missed = Confusion.of([False, False], [True, False])
    assert missed.precision is None
    assert missed.recall == 0.0
    assert missed.f1 == 0.0
    # No page at all
    empty = Confusion.of([], [])
    assert (empty.precision, empty.recall, empty.f1, empty.false_positive_rate) == (None,) * 4


def test_confusion_refuses_unequal_lengths() -> None:
    with pytest.raises(ValueError):
        Confusion.of([True], [True, False])


# --- skew errors, MAE and p95 ---------------------------------------------------------------


def test_mean_median_p95() -> None:
    values = [float(v) for v in range(1, 21)]  # 1..20
    assert mean(values) == pytest.approx(10.5)
    assert median(values) == pytest.approx(10.5)
    # Linear interpolation between ranks: 0.95 * 19 = 18.05 -> 19 + 0.05
    assert p95(values) == pytest.approx(19.05)
    assert p95([0.3]) == pytest.approx(0.3)
    assert mean([]) is None
    assert median([]) is None
    assert p95([]) is None


def test_skew_error_counts_a_missing_prediction_as_the_whole_skew() -> None:
    truths = [truth(skew=2.0), truth(skew=-3.0), truth(skew=1.5), truth(blank=True, skew=4.0)]
    guesses = [
        Prediction("", skew_degrees=1.9),
        Prediction("", skew_degrees=None),
        Prediction("", skew_degrees=-1.5),
        Prediction("", skew_degrees=None),
    ]
    errors, missing = skew_errors(truths, guesses)
    assert errors == pytest.approx((0.1, 3.0, 3.0))  # the blank page is not measured
    assert missing == 1


# --- one tool evaluated ---------------------------------------------------------------------


def test_evaluate_measures_what_intake_reports() -> None:
    # Given a legible page, an illegible blurred page, a blank back and a rotated page
    truths = [
        truth("abcdefghij"),
        truth(
            "abcdefghij",
            degradations=("blur:severe",),
            legible=False,
            reasons=("ILLEGIBLE_BLUR",),
        ),
        truth("", blank=True),
        truth("abcdefghij", rotation=90, skew=1.0, degradations=("noise:mild",)),
    ]
    guesses = [
        Prediction("abcdefghij", rotation=0, skew_degrees=0.0, blank=False),
        Prediction(
            "xxxxxxxxxx", rotation=0, skew_degrees=0.0, blank=False,
            reasons=frozenset({"ILLEGIBLE_BLUR"}),
        ),
        Prediction("", rotation=0, skew_degrees=None, blank=True),
        Prediction(
            "abcdefghiX", rotation=None, skew_degrees=0.9, blank=None,
            reasons=frozenset({"LOW_CONTRAST"}),
        ),
    ]  # fmt: skip
    # When measured
    m = evaluate("intake", truths, guesses, reported=ALL_MEASURES, seconds=30.0)
    # Then CER counts the legible pages only, per degradation all non-blank pages
    assert m.cer_mean == pytest.approx(0.05)
    assert m.cer_median == pytest.approx(0.05)
    assert m.cer_by_degradation == pytest.approx(
        {CLEAN: 0.0, "blur:severe": 1.0, "noise:mild": 0.1}
    )
    assert m.skew_mae == pytest.approx(0.1 / 3)
    assert m.skew_missing == 0
    assert m.rotation_accuracy == pytest.approx(2 / 3)  # None is wrong
    assert m.blank is not None and m.blank.f1 == 1.0
    assert m.legibility is not None
    assert (m.legibility.recall, m.legibility.precision) == (1.0, 0.5)
    assert m.legibility.false_positive_rate == pytest.approx(1 / 3)
    assert m.reasons["ILLEGIBLE_BLUR"].recall == 1.0
    assert m.reasons["LOW_CONTRAST"].precision == 0.0
    assert m.pages_per_minute == pytest.approx(8.0)


def test_low_ocr_confidence_is_right_on_any_illegible_page() -> None:
    # Given a severely noisy page (illegible, no reason of its own), a blurred one, a clean one
    truths = [
        truth(degradations=("noise:severe",), legible=False),
        truth(degradations=("blur:severe",), legible=False, reasons=("ILLEGIBLE_BLUR",)),
        truth(),
    ]
    low = frozenset({"LOW_OCR_CONFIDENCE"})
    guesses = [Prediction("", reasons=low), Prediction("", reasons=low), Prediction("")]
    reasons = evaluate("intake", truths, guesses, reported=ALL_MEASURES, seconds=1).reasons
    assert reasons["LOW_OCR_CONFIDENCE"].precision == 1.0
    assert reasons["LOW_OCR_CONFIDENCE"].recall == 1.0
    assert reasons["ILLEGIBLE_BLUR"].recall == 0.0


def test_a_failed_page_counts_as_empty_text_and_as_a_failure() -> None:
    truths = [truth("abcd"), truth("efgh")]
    guesses = [Prediction("abcd"), Prediction("", failed=True)]
    m = evaluate("ocrmypdf", truths, guesses, reported=frozenset({CER}), seconds=1.0)
    assert m.failed_pages == 1
    assert m.cer_mean == pytest.approx(0.5)
    assert m.skew_mae is None  # not reported by this tool


def test_a_tool_without_geometry_gets_na_in_the_table() -> None:
    truths = [truth("abc", skew=2.0)]
    intake = evaluate("intake", truths, [Prediction("abc")], reported=ALL_MEASURES, seconds=1)
    tess = evaluate("tesseract", truths, [Prediction("abd")], reported=frozenset({CER}), seconds=2)
    rows = {r.key: r for r in build_rows({"intake": intake, "tesseract": tess})}
    assert rows["skew_mae"].cells == {"intake": pytest.approx(2.0), "tesseract": "n/a"}
    assert rows["skew_mae"].passed is False
    assert rows["cer_mean"].passed is True
    assert rows["blank_f1"].cells["intake"] is None  # no blank page: undefined, not failed
    assert rows["blank_f1"].passed is None
    assert format_cell(rows["cer_mean"].cells["tesseract"], "%") == "33.33 %"
    assert "n/a" in table_text(list(rows.values()), ["intake", "tesseract"])


# --- reading the tools' outputs -------------------------------------------------------------


def test_intake_json_becomes_one_prediction_per_page_with_its_reasons() -> None:
    body = {
        "pages": [
            {"number": 1, "text": "a", "rotation": 90, "skew_degrees": 1.5, "blank": False},
            {"number": 2, "text": "", "rotation": None, "skew_degrees": None, "blank": True},
        ],
        "documents": [
            {"verdict": {"reasons": [{"code": "CUT_OFF", "page": 1}, {"code": "UNSIGNED"}]}}
        ],
        "verdict": {"reasons": [{"code": "ILLEGIBLE_BLUR", "page": 1}]},
    }
    first, second, third = intake_predictions(body, 3)
    assert first == Prediction("a", 90, 1.5, False, frozenset({"CUT_OFF", "ILLEGIBLE_BLUR"}))
    assert second == Prediction("", None, None, True, frozenset())
    assert third == Prediction("")


def test_sidecar_pages_split_on_form_feeds() -> None:
    assert split_sidecar("one\n\ftwo\n", 2) == ["one\n", "two\n"]
    assert split_sidecar("one\ftwo\f", 2) == ["one", "two"]
    assert split_sidecar("one", 3) == ["one", "", ""]


# --- end to end -----------------------------------------------------------------------------


def run_bench(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_intake("bench", "--out", out, *args, home=out / "var")


@pytest.mark.slow
def test_bench_runs_end_to_end_and_writes_json_and_html(tmp_path: Path) -> None:
    # When two small documents are benchmarked with three tools
    done = run_bench(tmp_path, "--docs", "2", "--tools", "intake,tesseract,bare", "--jobs", "2")
    # Then it prints the table and writes the JSON and the HTML report
    assert done.returncode == 0, done.stderr[-3000:]
    assert "CER mean, legible pages" in done.stdout
    body = json.loads((tmp_path / "bench-results.json").read_text(encoding="utf-8"))
    assert set(body) >= {
        "machine",
        "options",
        "corpus",
        "measures",
        "pages",
        "documents",
        "type_confusion",
    }
    assert set(body["machine"]) >= {"cores", "cpu_model", "tesseract", "command"}
    measures = {m["measure"]: m for m in body["measures"]}
    assert set(measures) >= {
        "pages_per_min",
        "cer_mean",
        "cer_median",
        "skew_mae",
        "skew_p95",
        "rotation_accuracy",
        "blank_f1",
        "legibility_precision",
        "legibility_recall",
        "legible_flagged",
        "speed_vs_bare",
        "type_accuracy",
        "person_code_precision",
        "person_code_recall",
        "review_recall",
        "false_review_rate",
    }
    assert set(measures["cer_mean"]["values"]) == {"intake", "tesseract", "bare"}
    assert measures["type_accuracy"]["values"]["tesseract"] == "n/a"
    assert measures["type_accuracy"]["target"] == {"op": ">=", "value": 0.97}
    documents = body["documents"]
    assert len(documents) == body["corpus"]["documents"] == 2
    assert set(documents[0]) >= {"document_type", "person_codes", "signed", "reasons", "intake"}
    assert "tesseract" not in documents[0]
    matrix = body["type_confusion"]["intake"]["matrix"]
    legible = sum(d["legible"] for d in documents)
    assert sum(n for row in matrix.values() for n in row.values()) == legible
    assert "intake type confusion" in done.stdout
    assert measures["skew_mae"]["values"]["tesseract"] == "n/a"
    assert measures["cer_mean"]["target"] == {"op": "<=", "value": 0.01}
    pages = body["corpus"]["pages"]
    assert measures["pages"]["values"] == {"intake": pages, "tesseract": pages, "bare": pages}
    assert len(body["pages"]) == pages
    html = (tmp_path / "bench-report.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 4
    assert 'class="matrix"' in html


@pytest.mark.slow
def test_bench_runs_ocrmypdf_on_a_one_page_document(tmp_path: Path) -> None:
    # OCRmyPDF is a bench extra: CI installs it, so there its absence is a failure
    if find_spec("ocrmypdf") is None and os.environ.get("CI") != "true":
        pytest.skip("ocrmypdf is not installed (pip install '.[bench]')")
    done = run_bench(tmp_path, "--docs", "1", "--max-pages", "1", "--tools", "ocrmypdf")
    assert done.returncode == 0, done.stderr[-3000:]
    body = json.loads((tmp_path / "bench-results.json").read_text(encoding="utf-8"))
    measures = {m["measure"]: m for m in body["measures"]}
    assert measures["failed_documents"]["values"] == {"ocrmypdf": 0}
    assert isinstance(measures["cer_mean"]["values"]["ocrmypdf"], float | None)


def test_bench_refuses_unknown_tools(tmp_path: Path) -> None:
    done = run_bench(tmp_path, "--tools", "intake,abbyy")
    assert done.returncode == 2
    assert "--tools" in done.stderr
