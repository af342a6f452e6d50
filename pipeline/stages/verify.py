"""Decide whether a document can be accepted or needs a person, with every reason."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import PageResult, Reason, ReasonCode, Verdict


def verify(pages: Sequence[PageResult]) -> Verdict:
    """Accepted unless no page carries any recognised text."""
    reasons: list[Reason] = []
    if not any(p.ocr.words for p in pages):
        reasons.append(Reason(ReasonCode.NO_TEXT))
    return Verdict.of(tuple(reasons))
