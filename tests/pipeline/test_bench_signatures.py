"""``intake bench``'s signature presence per signature style."""

from __future__ import annotations

from pathlib import Path

from pipeline.bench.corpus import BenchDocument
from pipeline.bench.metrics import UNSIGNED, DocumentPrediction, DocumentTruth
from pipeline.bench.signatures import signature_json, signature_rows, signature_text
from pipeline.corpus import PageTruth


def document(index: int, *, overlays: bool, language: str, unsigned: bool) -> BenchDocument:
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
    )


def raised(*codes: str) -> DocumentPrediction:
    return DocumentPrediction(reasons=frozenset((c, 1) for c in codes))


def test_unsigned_precision_and_recall_per_style() -> None:
    # Given two documents signed with the pen alone and two amid stamps, one of each unsigned
    documents = [
        document(0, overlays=False, language="est", unsigned=True),
        document(1, overlays=False, language="est", unsigned=False),
        document(2, overlays=True, language="est", unsigned=True),
        document(3, overlays=True, language="est", unsigned=False),
    ]
    # And the pipeline found the lone pen's missing signature, and took a stamp for one
    predictions = [raised(UNSIGNED), raised(), raised(), raised(UNSIGNED)]
    # When the rows are made
    rows = {r.style: r for r in signature_rows(documents, predictions)}
    # Then each style has its own precision and recall
    alone, stamps = rows["pen alone, Allkiri"], rows["pen among stamps, Allkiri"]
    assert (alone.documents, alone.unsigned) == (2, 1)
    assert (alone.confusion.precision, alone.confusion.recall) == (1.0, 1.0)
    assert (stamps.confusion.precision, stamps.confusion.recall) == (0.0, 0.0)
    assert "pen among stamps, Allkiri" in signature_text(list(rows.values()))
    assert signature_json(list(rows.values()))[0]["unsigned_recall"] == 1.0
