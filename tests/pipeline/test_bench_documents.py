"""``intake bench``'s document measures (type, person codes, review) on hand-made cases."""

from __future__ import annotations

import random
from typing import Any

import pytest
from PIL import Image

from pipeline.bench.corpus import Requirements, _exactly, _Quota, document_truth
from pipeline.bench.html import matrix_html
from pipeline.bench.metrics import (
    ALL_MEASURES,
    CER,
    FAILED,
    UNKNOWN,
    DocumentPrediction,
    DocumentTruth,
    PersonCode,
    Prediction,
    document_reason_confusions,
    document_reason_confusions_on_page,
    document_reasons,
    evaluate,
    evaluate_documents,
    person_code_counts,
    review_confusion,
    type_accuracy,
    type_accuracy_by_type,
    type_matrix,
)
from pipeline.bench.report import build_rows, confusion_text, table_text
from pipeline.bench.tools import intake_document
from pipeline.corpus import PageTruth, Sample


def page(
    *,
    blank: bool = False,
    legible: bool = True,
    reasons: tuple[str, ...] = (),
    text: str = "Nimi: Mari Mägi",
) -> PageTruth:
    return PageTruth(
        text=text,
        language="est",
        rotation=0,
        skew_degrees=0.0,
        blank=blank,
        legible=legible,
        reasons=reasons,
    )


def doc(
    document_type: str = "pension_application",
    *,
    pages: tuple[PageTruth, ...] = (),
    codes: tuple[str, ...] = (),
    roles: tuple[str, ...] = (),
    reasons: frozenset[str] = frozenset(),
) -> DocumentTruth:
    return DocumentTruth(
        document_type=document_type,
        pages=pages or (page(),),
        person_codes=codes,
        person_roles=roles,
        reasons=reasons,
    )


def guess(
    document_type: str = "pension_application",
    *,
    codes: tuple[PersonCode, ...] = (),
    reasons: tuple[tuple[str, int | None], ...] = (),
    review: bool | None = None,
    failed: bool = False,
) -> DocumentPrediction:
    return DocumentPrediction(
        document_type=document_type,
        person_codes=codes,
        reasons=frozenset(reasons),
        review=bool(reasons) if review is None else review,
        failed=failed,
    )


REQUIRES_ALL = {"requires_person_code": True, "requires_signature": True}


# --- the reasons a document must get --------------------------------------------------------


def test_a_complete_signed_legible_document_needs_no_review() -> None:
    reasons = document_reasons(
        [page(), page()],
        person_codes=["38001010000"],
        signed=True,
        dropped_page=False,
        **REQUIRES_ALL,
    )
    assert reasons == frozenset()
    assert not DocumentTruth("pension_application", (page(),), reasons=reasons).needs_review


def test_unsigned_only_where_the_type_needs_a_signature() -> None:
    def unsigned(requires: bool) -> frozenset[str]:
        return document_reasons(
            [page()],
            person_codes=["38001010000"],
            signed=False,
            dropped_page=False,
            requires_person_code=True,
            requires_signature=requires,
        )

    assert unsigned(True) == {"UNSIGNED"}
    assert unsigned(False) == frozenset()


def test_no_person_code_only_where_the_type_needs_one_and_an_empty_field_is_none() -> None:
    def without(requires: bool, codes: list[str]) -> frozenset[str]:
        return document_reasons(
            [page()],
            person_codes=codes,
            signed=True,
            dropped_page=False,
            requires_person_code=requires,
            requires_signature=True,
        )

    assert without(True, [""]) == {"NO_PERSON_CODE"}
    assert without(True, []) == {"NO_PERSON_CODE"}
    assert without(False, []) == frozenset()
    assert without(True, ["", "61001010000"]) == frozenset()  # a child's code is written


def test_missing_pages_when_a_page_was_dropped_or_the_type_wants_more() -> None:
    base: dict[str, Any] = {"person_codes": ["38001010000"], "signed": True, **REQUIRES_ALL}
    assert document_reasons([page()], dropped_page=True, **base) == {"MISSING_PAGES"}
    # A type of two pages, one content page and its blank back
    two = document_reasons([page(), page(blank=True)], dropped_page=False, expected_pages=2, **base)
    assert two == {"MISSING_PAGES"}
    assert document_reasons([page(), page()], dropped_page=False, expected_pages=2, **base) == set()


def test_page_reasons_carry_over_and_an_illegible_page_without_one_gets_low_confidence() -> None:
    pages = [
        page(legible=False, reasons=("ILLEGIBLE_BLUR",)),
        page(legible=False),  # severe noise: illegible, no reason of its own
        page(),
    ]
    reasons = document_reasons(
        pages, person_codes=["38001010000"], signed=True, dropped_page=False, **REQUIRES_ALL
    )
    assert reasons == {"ILLEGIBLE_BLUR", "LOW_OCR_CONFIDENCE"}
    blurred = document_reasons(
        pages[:1], person_codes=["38001010000"], signed=True, dropped_page=False, **REQUIRES_ALL
    )
    assert blurred == {"ILLEGIBLE_BLUR"}


def test_an_all_blank_document_is_blank() -> None:
    reasons = document_reasons(
        [page(blank=True, text=""), page(blank=True, text="")],
        person_codes=[],
        signed=False,
        dropped_page=False,
        requires_person_code=False,
        requires_signature=False,
    )
    assert reasons == {"BLANK_DOCUMENT"}


def test_document_is_legible_only_when_every_page_is() -> None:
    assert doc(pages=(page(), page())).legible
    assert not doc(pages=(page(), page(legible=False))).legible


# --- truth from a rendered sample -----------------------------------------------------------


def _sample(texts: list[str], *, codes: tuple[str, ...], signed: bool) -> Sample:
    return Sample(
        pages=tuple(Image.new("L", (4, 4), 255) for _ in texts),
        truth=tuple(page(text=t) for t in texts),
        person_codes=codes,
        document_type="power_of_attorney",
        dpi=300,
        person_roles=("applicant", "representative")[: len(codes)],
        signed=signed,
    )


def test_dropping_the_last_page_takes_the_signature_and_the_first_the_codes() -> None:
    codes = ("38001010000", "49001010000")
    rendered = _sample(
        [f"Isikukood: {codes[0]}\nIsikukood: {codes[1]}\nLk 1/2", "Allkiri\nLk 2/2"],
        codes=codes,
        signed=True,
    )
    needs = Requirements(person_code=True, signature=True)
    # Given the last page dropped: the codes stay, the signature goes
    last = document_truth(rendered, rendered.without_page(1), dropped=1, required=needs)
    assert last.person_codes == codes
    assert last.person_roles == ("applicant", "representative")
    assert not last.signed
    assert last.missing_pages
    assert last.reasons == {"MISSING_PAGES", "UNSIGNED"}
    # Given the first page dropped: the codes go, the signature stays
    first = document_truth(rendered, rendered.without_page(0), dropped=0, required=needs)
    assert first.person_codes == ()
    assert first.signed
    assert first.reasons == {"MISSING_PAGES", "NO_PERSON_CODE"}
    # Given nothing dropped
    whole = document_truth(rendered, rendered, dropped=None, required=needs)
    assert (whole.signed, whole.missing_pages, whole.reasons) == (True, False, frozenset())


def test_the_corpus_quotas_keep_their_share() -> None:
    for seed in range(20):
        quota = _Quota(0.1, random.Random(seed))
        taken = sum(quota.take() for _ in range(95))
        assert taken in (9, 10)
        chosen = _exactly(0.2, range(12), random.Random(seed))
        assert len(chosen) == 2 and chosen <= set(range(12))


# --- type -----------------------------------------------------------------------------------


def test_type_matrix_counts_legible_documents_and_abstention_is_an_error() -> None:
    truths = [
        doc("pension_application"),
        doc("pension_application"),
        doc("power_of_attorney"),
        doc("power_of_attorney"),
        doc("other", pages=(page(legible=False),)),  # not counted: illegible
        doc("other"),
    ]
    guesses = [
        guess("pension_application"),
        guess(UNKNOWN),
        guess("power_of_attorney"),
        guess("pension_application"),
        guess("medical_certificate"),
        guess(failed=True),
    ]
    matrix = type_matrix(truths, guesses)
    assert matrix == {
        "other": {FAILED: 1},
        "pension_application": {"pension_application": 1, UNKNOWN: 1},
        "power_of_attorney": {"pension_application": 1, "power_of_attorney": 1},
    }
    assert type_accuracy(matrix) == pytest.approx(2 / 5)
    assert type_accuracy_by_type(matrix) == {
        "other": 0.0,
        "pension_application": 0.5,
        "power_of_attorney": 0.5,
    }
    assert type_accuracy({}) is None
    everything = type_matrix(truths, guesses, legible_only=False)
    assert everything["other"] == {FAILED: 1, "medical_certificate": 1}


# --- person codes ---------------------------------------------------------------------------


def test_person_code_precision_recall_and_roles() -> None:
    truths = [
        doc(codes=("38001010000", "61001010000"), roles=("applicant", "child")),
        doc(codes=("49001010000",), roles=("applicant",)),
        doc(),  # no code on it
    ]
    guesses = [
        # Both found, the child's twice (counted once), the child's role wrong
        guess(
            codes=(
                PersonCode("38001010000", "applicant", 1),
                PersonCode("61001010000", "applicant", 1),
                PersonCode("61001010000", "child", 2),
            )
        ),
        guess(),  # missed
        guess(codes=(PersonCode("37001010000", "applicant", 1),)),  # invented
    ]
    counts = person_code_counts(truths, guesses)
    assert (counts.tp, counts.fp, counts.fn) == (2, 1, 1)
    assert counts.precision == pytest.approx(2 / 3)
    assert counts.recall == pytest.approx(2 / 3)
    assert counts.role_accuracy == pytest.approx(1 / 2)


def test_person_code_measures_are_undefined_without_codes() -> None:
    counts = person_code_counts([doc()], [guess()])
    assert (counts.precision, counts.recall, counts.role_accuracy) == (None, None, None)


# --- review ---------------------------------------------------------------------------------


def test_review_recall_and_false_review_rate() -> None:
    needs = frozenset({"UNSIGNED"})
    truths = [doc(reasons=needs), doc(reasons=needs), doc(), doc(), doc(), doc()]
    guesses = [
        guess(review=True),
        guess(review=False),  # missed
        guess(review=True),  # sent for nothing
        guess(review=False),
        guess(review=False),
        guess(failed=True, review=False),
    ]
    review = review_confusion(truths, guesses)
    assert review.recall == pytest.approx(0.5)
    assert review.false_positive_rate == pytest.approx(1 / 4)


def test_reason_precision_recall_per_document() -> None:
    truths = [
        doc(reasons=frozenset({"UNSIGNED"})),
        doc(reasons=frozenset({"UNSIGNED", "MISSING_PAGES"})),
        doc(),
        doc(pages=(page(legible=False),), reasons=frozenset({"LOW_OCR_CONFIDENCE"})),
        doc(pages=(page(legible=False, reasons=("CUT_OFF",)),), reasons=frozenset({"CUT_OFF"})),
    ]
    guesses = [
        guess(reasons=(("UNSIGNED", 1),)),
        guess(reasons=(("UNSIGNED", 2), ("UNKNOWN_TYPE", 1))),  # MISSING_PAGES missed
        guess(reasons=(("UNSIGNED", 1), ("MISSING_PAGES", None))),  # both wrong
        guess(reasons=(("LOW_OCR_CONFIDENCE", 1),)),
        guess(reasons=(("LOW_OCR_CONFIDENCE", 1),)),  # right on any illegible document
    ]
    reasons = document_reason_confusions(truths, guesses)
    assert set(reasons) == {
        "CUT_OFF",
        "LOW_OCR_CONFIDENCE",
        "MISSING_PAGES",
        "UNKNOWN_TYPE",
        "UNSIGNED",
    }
    assert reasons["UNSIGNED"].precision == pytest.approx(2 / 3)
    assert reasons["UNSIGNED"].recall == 1.0
    assert reasons["MISSING_PAGES"].precision == 0.0
    assert reasons["MISSING_PAGES"].recall == 0.0
    assert reasons["UNKNOWN_TYPE"].precision == 0.0  # every generated type is known
    assert reasons["LOW_OCR_CONFIDENCE"].precision == 1.0
    assert reasons["LOW_OCR_CONFIDENCE"].recall == 1.0
    assert reasons["CUT_OFF"].recall == 0.0
    on_page = document_reason_confusions_on_page(truths, guesses)
    assert set(on_page) == {"CUT_OFF", "LOW_OCR_CONFIDENCE"}
    assert on_page["LOW_OCR_CONFIDENCE"].recall == 1.0  # page 1 of each illegible document
    assert on_page["CUT_OFF"].recall == 0.0


def test_reason_on_the_right_page_needs_the_page_that_has_it() -> None:
    blurred = (page(), page(legible=False, reasons=("ILLEGIBLE_BLUR",)))
    truths = [
        doc(pages=blurred, reasons=frozenset({"ILLEGIBLE_BLUR"})),
        doc(pages=blurred, reasons=frozenset({"ILLEGIBLE_BLUR"})),
        doc(pages=blurred, reasons=frozenset({"ILLEGIBLE_BLUR"})),
        doc(),
    ]
    guesses = [
        guess(reasons=(("ILLEGIBLE_BLUR", 2),)),  # right page
        guess(reasons=(("ILLEGIBLE_BLUR", 1),)),  # wrong page: false alarm and a miss
        guess(reasons=(("ILLEGIBLE_BLUR", None), ("UNSIGNED", 2))),  # no page: not on it
        guess(reasons=(("ILLEGIBLE_BLUR", 1),)),  # not there at all
    ]
    anywhere = document_reason_confusions(truths, guesses)["ILLEGIBLE_BLUR"]
    assert (anywhere.tp, anywhere.fp, anywhere.fn) == (3, 1, 0)
    on_page = document_reason_confusions_on_page(truths, guesses)
    assert set(on_page) == {"ILLEGIBLE_BLUR"}  # document reasons have no page of their own
    c = on_page["ILLEGIBLE_BLUR"]
    assert (c.tp, c.fp, c.fn, c.tn) == (1, 3, 2, 0)
    assert c.precision == pytest.approx(1 / 4)
    assert c.recall == pytest.approx(1 / 3)


# --- rows, targets, matrix text -------------------------------------------------------------


def test_document_rows_carry_issue_5_targets_and_other_tools_get_na() -> None:
    truths = [doc(codes=("38001010000",), roles=("applicant",)), doc("other")]
    guesses = [
        guess(codes=(PersonCode("38001010000", "applicant", 1),)),
        guess(UNKNOWN, reasons=(("UNKNOWN_TYPE", 1),)),
    ]
    pages = [page(), page()]
    intake = evaluate(
        "intake",
        pages,
        [Prediction("Nimi: Mari Mägi")] * 2,
        reported=ALL_MEASURES,
        seconds=1.0,
        document_truths=truths,
        document_predictions=guesses,
    )
    tess = evaluate("tesseract", pages, [Prediction("")] * 2, reported=frozenset({CER}), seconds=1)
    rows = {r.key: r for r in build_rows({"intake": intake, "tesseract": tess})}
    assert rows["type_accuracy"].cells == {"intake": 0.5, "tesseract": "n/a"}
    assert rows["type_accuracy"].passed is False
    assert rows["type_accuracy[other]"].cells["intake"] == 0.0
    assert rows["person_code_precision"].passed is True
    assert rows["person_code_recall"].passed is True
    assert rows["person_code_role_accuracy"].cells["intake"] == 1.0
    assert rows["review_recall"].cells["intake"] is None  # nothing needed review
    assert rows["review_recall"].passed is None
    assert rows["false_review_rate"].cells["intake"] == 0.5  # one of two sent for nothing
    assert rows["false_review_rate"].passed is False
    assert rows["unknown_type_document_precision"].cells == {"intake": 0.0, "tesseract": "n/a"}
    text = table_text(list(rows.values()), ["intake", "tesseract"])
    assert "type accuracy, legible docs" in text
    assert "review: false-review rate" in text


def test_intake_reporting_documents_without_them_is_undefined_not_failed() -> None:
    m = evaluate("intake", [page()], [Prediction("")], reported=ALL_MEASURES, seconds=1.0)
    assert m.documents is None
    rows = {r.key: r for r in build_rows({"intake": m})}
    assert rows["type_accuracy"].cells["intake"] is None
    assert rows["type_accuracy"].passed is None


def test_evaluate_documents_refuses_unequal_lengths() -> None:
    with pytest.raises(ValueError):
        evaluate_documents([doc()], [])


def test_confusion_text_and_html_show_every_cell() -> None:
    matrix = {
        "pension_application": {"pension_application": 3, UNKNOWN: 1},
        "power_of_attorney": {"pension_application": 2},
    }
    text = confusion_text(matrix)
    lines = text.splitlines()
    assert lines[1].split()[-3:] == ["pens", "powe", "unkn"]
    assert lines[2].split() == ["pension_application", "3", ".", "1"]
    assert lines[3].split() == ["power_of_attorney", "2", ".", "."]
    html = matrix_html(matrix)
    assert html.count("<tr>") == 3
    assert ">unknown<" in html
    assert "<td>3</td>" not in html  # shaded
    assert "rgba(27,120,55,0.45)" in html  # 3 of 4 right: green at 0.6 * 0.75


# --- reading intake's JSON ------------------------------------------------------------------


def _document_json(
    document_type: str, pages: list[int], status: str, reasons: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "document_type": document_type,
        "type_confidence": 0.8,
        "pages": pages,
        "fields": {
            "person_codes": [{"value": "38001010000", "page": pages[0], "role": "applicant"}],
            "all": [],
        },
        "verdict": {"status": status, "reasons": reasons},
    }


def test_intake_json_becomes_one_document_prediction() -> None:
    body = {
        "pages": [],
        "documents": [
            _document_json("other", [1], "accepted", []),
            _document_json(
                "power_of_attorney", [2, 3], "needs_review", [{"code": "UNSIGNED", "page": 3}]
            ),
        ],
        "verdict": {"status": "accepted", "reasons": [{"code": "CUT_OFF", "page": 2}]},
    }
    found = intake_document(body)
    assert found.document_type == "power_of_attorney"  # the document with the most pages
    assert found.type_confidence == 0.8
    assert found.documents == 2
    assert found.review is True
    assert found.reasons == {("UNSIGNED", 3), ("CUT_OFF", 2)}
    assert found.codes == {"UNSIGNED", "CUT_OFF"}
    assert [c.page for c in found.person_codes] == [1, 2]


def test_intake_json_without_documents_abstains() -> None:
    body = {
        "pages": [],
        "documents": [],
        "verdict": {
            "status": "needs_review",
            "reasons": [{"code": "BLANK_DOCUMENT", "page": None}],
        },
    }
    found = intake_document(body)
    assert found.document_type == UNKNOWN
    assert found.documents == 0
    assert found.review is True
    assert found.reasons == {("BLANK_DOCUMENT", None)}
    accepted = intake_document(
        {"pages": [], "documents": [], "verdict": {"status": "accepted", "reasons": []}}
    )
    assert accepted.review is False


def test_person_code_recall_is_also_given_on_legible_documents_alone() -> None:
    # Given a code found on a legible document and one missed on an illegible one
    truths = [
        doc(codes=("38001010000",), roles=("applicant",)),
        doc(pages=(page(legible=False),), codes=("49001010000",), roles=("applicant",)),
    ]
    guesses = [guess(codes=(PersonCode("38001010000", "applicant", 1),)), guess()]
    measured = evaluate_documents(truths, guesses)
    # Then overall recall counts the miss, the legible-only recall does not
    assert measured.person_codes.recall == pytest.approx(1 / 2)
    assert measured.person_codes_legible.recall == pytest.approx(1.0)
