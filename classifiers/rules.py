"""Title and phrase rules: how strongly a document's own words name each type.

Titles are looked for near the top of the first page, loosely (OCR errors, case, word
endings); phrases anywhere, exactly after normalisation.  Both are matched with Cyrillic
look-alikes folded into Latin letters, since OCR often reads Russian capitals as Latin ones.
The scores are features of the trained model, not a verdict of their own, so a title the
rules miss is still classified by the text as a whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz

from config.doctypes import DocumentType

HEAD_LINES = 6  # the top of page 1, where a title stands (office, then title)
HEAD_CHARACTERS = 300
# Titles shorter than this must match exactly as whole words: loosely, "kiri" would match
# "allkiri" and "arve" would match "arvelduskonto".
LOOSE_TITLE_MIN = 10
LOOSE_MATCH = 88.0


def normalise(text: str) -> str:
    """Lower case, Unicode-composed, punctuation as spaces, spaces collapsed."""
    composed = unicodedata.normalize("NFC", text).lower().replace("\u0451", "\u0435")  # yo → ie
    return " ".join(re.sub(r"[^\w]+", " ", composed).split())


# Cyrillic letters whose capitals OCR reads as Latin ones ("РАСЧЁТНОГО" as "PACЧETHOГO"), and
# the Latin letter each becomes: text folded this way reads the same whichever script OCR chose.
_LOOKALIKES = str.maketrans("аеёорсухквмнт", "aeeopcyxkbmht")


def fold(text: str) -> str:
    """Lower-case ``text`` with Cyrillic look-alikes of Latin letters written as the Latin."""
    return text.lower().translate(_LOOKALIKES)


def _key(text: str) -> str:
    return fold(normalise(text))


def _title_score(title: str, head: str) -> float:
    wanted = _key(title)
    if not wanted:
        return 0.0
    if re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", head):
        return 1.0
    if len(wanted) < LOOSE_TITLE_MIN or len(head) < len(wanted):
        return 0.0
    score = fuzz.partial_ratio(wanted, head)
    return score / 100.0 if score >= LOOSE_MATCH else 0.0


def title_scores(text: str, types: Sequence[DocumentType]) -> list[float]:
    """Per type, 0..1: how well its best title matches the top of the document."""
    lines = [line for line in text.splitlines() if line.strip()][:HEAD_LINES]
    head = _key("\n".join(lines)[:HEAD_CHARACTERS])
    return [max((_title_score(t, head) for t in kind.titles), default=0.0) for kind in types]


def phrase_scores(text: str, types: Sequence[DocumentType]) -> list[float]:
    """Per type, 0..1: the share of its phrases found anywhere in the document."""
    body = f" {_key(text)} "
    scores = []
    for kind in types:
        phrases = [_key(p) for p in kind.phrases]
        found = sum(1 for p in phrases if p and f" {p}" in body)
        scores.append(found / len(phrases) if phrases else 0.0)
    return scores
