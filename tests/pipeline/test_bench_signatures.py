"""``intake bench``'s signature presence per signature style."""

from __future__ import annotations

from pathlib import Path

from pipeline.bench.corpus import BenchDocument
from pipeline.bench.metrics import UNSIGNED, DocumentPrediction, DocumentTruth
from pipeline.bench.signatures import signature_json, signature_rows, signature_text
from pipeline.corpus import PageTruth


def document(
    index: int, *, overlays: bool, language: str, unsigned: bool, style: str = "flat"
) -> BenchDocument:
    page = PageTruth("Allkiri", language, rotation=0, skew_degrees=0.0, blank=False)
    truth = DocumentTruth(
        document_type="pension_application",
        pages=(page,),
        signed=not unsigned,
        reasons=frozenset({UNSIGNED} if unsigned else ()),
    )
    return BenchDocument(
        index=index,
        file=Path(f"doc{index}.png"),
        fmt="png",
        pdf=Path(f"doc{index}.pdf"),
        document_type="pension_application",
        language=language,
        font="DejaVuSans",
        overlays=overlays,
        duplex=False,
        pages=(),
        truth=truth,
        rendered_pages=1,
        signature_style="" if unsigned else style,
    )


def raised(*codes: str) -> DocumentPrediction:
    return DocumentPrediction(reasons=frozenset((c, 1) for c in codes))


def test_unsigned_raised_per_style_and_precision_and_recall_over_all() -> None:
    # Given flat scribbles alone, initials among stamps, and two unsigned documents
    documents = [
        document(0, overlays=False, language="est", unsigned=True),
        document(1, overlays=False, language="est", unsigned=False),
        document(2, overlays=True, language="rus", unsigned=True),
        document(3, overlays=True, language="eng", unsigned=False, style="initials"),
    ]
    # And the pipeline found one missing signature, and took the initials for none
    predictions = [raised(UNSIGNED), raised(), raised(), raised(UNSIGNED)]
    # When the rows are made
    rows = {r.style: r for r in signature_rows(documents, predictions)}
    # Then each style says how often UNSIGNED was raised on it
    assert set(rows) == {"flat, alone", "initials, among stamps", "unsigned", "all documents"}
    assert (rows["flat, alone"].documents, rows["flat, alone"].flagged) == (1, 0)
    assert rows["initials, among stamps"].flagged == 1  # a false alarm
    assert (rows["unsigned"].unsigned, rows["unsigned"].flagged) == (2, 1)
    # and the last row is the whole corpus, with precision and recall
    whole = rows["all documents"]
    assert (whole.confusion.precision, whole.confusion.recall) == (0.5, 0.5)
    assert list(rows)[-1] == "all documents"
    assert "initials, among stamps" in signature_text(list(rows.values()))
    assert signature_json(list(rows.values()))[-1]["unsigned_recall"] == 0.5
