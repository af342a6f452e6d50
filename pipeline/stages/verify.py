"""Decide whether a document can be accepted or needs a person, with every reason."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import PageResult, Reason, ReasonCode, Verdict


def verify(pages: Sequence[PageResult], page_reasons: Sequence[Reason] = ()) -> Verdict:
    """Every reason of the pages, plus a blank or textless document as a whole."""
    reasons = list(page_reasons)
    content = [p for p in pages if not p.blank]
    if not content:
        reasons.append(Reason(ReasonCode.BLANK_DOCUMENT))
    elif not any(p.ocr.words for p in content):
        reasons.append(Reason(ReasonCode.NO_TEXT))
    return Verdict.of(tuple(reasons))
