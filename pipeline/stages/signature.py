"""Is there a signature? Pen ink beside or under the "Allkiri" / "Signature" / "Подпись" label."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
from PIL import Image
from rapidfuzz.distance import Levenshtein

from classifiers.rules import normalise
from classifiers.text import PageText, Token
from pipeline.stages.pixels import Gray, gray_of

LABELS = ("allkiri", "signature", "подпись", "allkirjastaja", "signed")
# The area searched: right of the label to the page's edge, from this many label heights
# above it to this many below (a signature rises above its line and hangs below).
ABOVE, BELOW = 2.5, 3.0
# Ink that is neither printed text (OCR's words) nor the printed line to sign on, as a share
# of the area, above which the area is signed.
MIN_INK_SHARE = 0.004
# Without a printed line to sign on, the area reaches this many label heights to the right.
NO_LINE_REACH = 15
# Words OCR reads this surely are print; a signature is read, if at all, as unsure junk.
PRINTED_WORD_CONFIDENCE = 0.6
# Ink is darker than the paper by this share of the paper-to-black range.
INK_SHARE_OF_RANGE = 0.45


def _is_label(text: str) -> bool:
    """A signature label, also with one letter lost or misread ("Alkiri", "Signatune")."""
    word = normalise(text)
    if len(word) < 5:
        return False
    return word.startswith(LABELS) or any(
        Levenshtein.distance(word[: len(label) + 1], label) <= 1 for label in LABELS
    )


def _labels(page: PageText) -> list[Token]:
    """Signature labels: the word with a colon, or first on its line (not "...with signature")."""
    found = []
    for line in page.lines():
        for position, token in enumerate(line):
            labelled = token.text.rstrip().endswith(":") or position == 0
            if labelled and _is_label(token.text):
                found.append(token)
    return found


def ink_level(gray: Gray) -> float:
    """The grey level below which a pixel is ink: part way from the page's black to its paper.

    Relative, so a pale pen on a faded scan counts, and show-through from the back does not.
    """
    sample = gray[::4, ::4]
    paper = float(np.percentile(sample, 90))
    black = float(np.percentile(sample, 0.5))
    return paper - INK_SHARE_OF_RANGE * max(paper - black, 40.0)


def _pen_ink(
    gray: Gray, box: tuple[int, int, int, int], words: Sequence[Token], level: float
) -> float:
    x0, y0, x1, y1 = box
    area = gray[y0:y1, x0:x1]
    if area.size == 0:
        return 0.0
    ink = (area < level).astype(np.uint8)
    for word in words:
        # Print, surely read; a signature is read, if at all, as unsure junk or a lone letter.
        if word.confidence < PRINTED_WORD_CONFIDENCE or len(word.text.strip()) < 2:
            continue
        wx0, wy0, wx1, wy1 = word.box
        ink[
            max(0, wy0 - y0 - 2) : max(0, wy1 - y0 + 2), max(0, wx0 - x0 - 2) : max(0, wx1 - x0 + 2)
        ] = 0
    # The printed line to sign on: long horizontal runs of ink.
    width = max(15, (x1 - x0) // 8)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, width), np.uint8))
    pen = cv2.subtract(ink, cv2.dilate(rules, np.ones((5, 5), np.uint8)))
    return float(pen.mean())


def _line_end(gray: Gray, label: Token, tall: int, level: float) -> int | None:
    """Where the printed line to sign on, beside the label, ends (x), if there is one."""
    _, y0, _, y1 = label.box
    top, bottom = max(0, y0 - tall), min(gray.shape[0], y1 + tall)
    band = (gray[top:bottom, label.box[2] :] < level).astype(np.uint8)
    if band.size == 0:
        return None
    rules = cv2.morphologyEx(band, cv2.MORPH_OPEN, np.ones((1, max(20, tall * 4)), np.uint8))
    columns = np.flatnonzero(rules.any(axis=0))
    if columns.size == 0:
        return None
    # The first run of rule columns from the label: the line, not a rule further along.
    gaps = np.flatnonzero(np.diff(columns) > tall)
    last = columns[gaps[0]] if gaps.size else columns[-1]
    return int(label.box[2] + last)


def is_signed(page: PageText, image: Image.Image) -> bool | None:
    """True when pen ink lies by a signature label; None when the page has no such label."""
    labels = _labels(page)
    if not labels:
        return None
    gray = gray_of(image)
    level = ink_level(gray)
    height, width = gray.shape
    for label in labels:
        _, y0, x1, y1 = label.box
        tall = max(y1 - y0, 10)
        # A stamp beside the line is not a signature: look only along the line.
        end = _line_end(gray, label, tall, level)
        right = end + tall if end is not None else x1 + NO_LINE_REACH * tall
        box = (
            min(x1 + tall // 2, width),
            max(0, int(y0 - ABOVE * tall)),
            min(right, width),
            min(height, int(y1 + BELOW * tall)),
        )
        if _pen_ink(gray, box, page.tokens, level) >= MIN_INK_SHARE:
            return True
    return False
