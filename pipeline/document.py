"""One document after OCR: its type, its fields, and whether it is complete and signed."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

from classifiers.fields import extract_fields
from classifiers.markers import missing_pages
from classifiers.model import UNKNOWN, TypeModel
from classifiers.text import PageText, Token
from config.doctypes import DocumentType, DocumentTypes
from pipeline.model import Document, Fields, PageResult, Reason, ReasonCode
from pipeline.stages.analyse import timed
from pipeline.stages.verify import verify

# Fewer characters than this say too little for any type: the classifier is not asked.
MIN_TEXT_TO_CLASSIFY = 40
# When the classifier abstains, a requirement holds if the types that have it are this likely.
LIKELY = 0.5


def page_text(page: PageResult) -> PageText:
    """The classifiers' view of an OCR'd page: text, and words with boxes and lines."""
    tokens = tuple(
        Token(
            text=w.text,
            box=w.box,
            line=(w.block * 1000 + w.paragraph) * 1000 + w.line,
            confidence=w.confidence,
        )
        for w in page.ocr.words
    )
    return PageText(page.number, page.ocr.text, tokens, page.width, page.height)


def _signed(pages: Sequence[PageResult]) -> bool | None:
    """Whether any page of the document is signed (None: no label and no signature)."""
    found = [p.signed for p in pages if p.signed is not None]
    return any(found) if found else None


@dataclass(frozen=True)
class _Needs:
    """What the document's type needs, or, when the classifier abstained, its likely types.

    Types holding ``LIKELY`` of the probability between them decide, so staff see every
    fault of a document of unknown type at once.
    """

    kind: DocumentType | None
    probabilities: Mapping[str, float]
    types: DocumentTypes

    def _likely(self, what: Callable[[DocumentType], bool]) -> bool:
        if self.kind is not None:
            return what(self.kind)
        having = [p for t, p in self.probabilities.items() if (k := self.types.get(t)) and what(k)]
        return sum(having) >= LIKELY

    @property
    def person_code(self) -> bool:
        return self._likely(attrgetter("person_code"))

    @property
    def signature(self) -> bool:
        return self._likely(attrgetter("signature"))


def assess_document(
    index: int,
    pages: Sequence[PageResult],
    page_reasons: Sequence[Reason],
    *,
    model: TypeModel | None,
    types: DocumentTypes,
    timings: dict[str, float] | None = None,
) -> Document:
    """Classify, extract fields and verify one document (its blank pages left out).

    Every reason is listed with the page it concerns: the type's required person code and
    signature, the pages its markers say are missing, and the pages' own legibility reasons.
    Whether a page is signed was found as it was read (``PageResult.signed``).  The time
    spent classifying and reading fields is added to ``timings`` (ms) under "classify" and
    "fields".
    """
    spent = {} if timings is None else timings
    content = [p for p in pages if not p.blank]
    texts = [page_text(p) for p in content]
    whole = "\n".join(t.text for t in texts)
    reasons = list(page_reasons)
    document_type, confidence = UNKNOWN, 0.0
    probabilities: dict[str, float] = {}
    if model is not None and len(whole.strip()) >= MIN_TEXT_TO_CLASSIFY:
        with timed(spent, "classify"):
            found = model.classify(whole)
        document_type, confidence = found.document_type, found.confidence
        probabilities = found.probabilities
    with timed(spent, "fields"):
        values = extract_fields(texts, case_number_pattern=types.case_number_pattern)
    fields = Fields(values=values)
    first = texts[0].number if texts else None
    kind = types.get(document_type)
    if whole.strip() and kind is None:
        reasons.append(Reason(ReasonCode.UNKNOWN_TYPE, first))
    for after, _numbers in sorted(missing_pages(texts).items()):
        reasons.append(Reason(ReasonCode.MISSING_PAGES, after))
    if kind is not None and kind.pages and len(texts) < kind.pages:
        reasons.append(Reason(ReasonCode.MISSING_PAGES, texts[-1].number if texts else None))
    # On an illegible page a code or a signature cannot be looked for: its own reason says
    # what is wrong, and "no person code" or "unsigned" would send staff the wrong way.  A
    # form's persons are on its first page: a later page that cannot be read hides no code.
    illegible = {r.page for r in page_reasons if r.page is not None}
    readable = [p for p in content if p.number not in illegible]
    needs = _Needs(kind, probabilities, types)
    if needs.person_code and not fields.person_codes and first not in illegible:
        reasons.append(Reason(ReasonCode.NO_PERSON_CODE, first))
    if needs.signature and readable:
        signed = _signed(readable)
        if signed is False or (signed is None and not illegible):
            reasons.append(Reason(ReasonCode.UNSIGNED, readable[-1].number))
    return Document(
        index=index,
        pages=tuple(t.number for t in texts),
        document_type=document_type,
        type_confidence=confidence,
        fields=fields,
        verdict=verify(pages, tuple(reasons)),
    )
