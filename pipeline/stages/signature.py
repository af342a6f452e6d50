"""Is there a signature? Pen ink beside or under the "Allkiri" / "Signature" / "Подпись" label."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image
from rapidfuzz.distance import Levenshtein

from classifiers.rules import normalise
from classifiers.text import PageText, Token
from pipeline.stages.pixels import Gray, black_level, gray_of, paper_level

LABELS = ("allkiri", "signature", "подпись", "allkirjastaja", "signed")
# The area searched: right of the label to the page's edge, from this many label heights
# above it to this many below (a signature rises above its line and hangs below).
ABOVE, BELOW = 2.5, 3.0
# Ink that is neither printed text (OCR's words) nor the printed line to sign on, as a share
# of the area, above which the area is signed; or, by a long line, where the share of a
# small signature (initials) is lower, this many square label heights of it.
MIN_INK_SHARE = 0.004
MIN_PEN_AREA = 0.4
# Without a printed line to sign on, the area reaches this many label heights to the right.
NO_LINE_REACH = 15
# Words OCR reads this surely are print; a signature is read, if at all, as unsure junk.
PRINTED_WORD_CONFIDENCE = 0.6
# Ink is darker than the paper by this share of the paper-to-black range.
INK_SHARE_OF_RANGE = 0.45
# Printed lines are found at a fainter level: this share of the way from ink to paper.
FAINT_SHARE = 0.5
RULE_GAP = 5  # pixels of gap closed within a printed line
# Ink is looked at this many label heights above and below the area too: strokes that
# reach out of the area by more than a label height are a stamp's, not a signature's.
STAMP_REACH = 4
# One connected stroke this many label heights wide, or this many high, that covers at most
# this share of its box is a pen's, whatever OCR read it as: printed letters stand apart,
# a pen runs on (a flat scribble read as "Им И И" is one stroke four letters wide).
PEN_RUN_WIDE, PEN_RUN_HIGH, PEN_RUN_FILL = 2.5, 1.8, 0.3
# The printed line's removal (its run grown by 5x5) cuts a crossing stroke by about this many
# pixels, which are bridged again before strokes are measured.
LINE_BRIDGE = 15
# A label's box taller than the page's text by this factor holds pen ink too (the stroke
# touching it); the area is then measured by the text's height.
LABEL_OVERSIZE = 1.25
# A word read by the label is print only when it is about as tall as the page's text: a pen's
# strokes read as "AV" or "ум" are taller or lower than the letters around them.
PRINT_HEIGHT = (0.6, 1.5)
# The same at the fainter level, page-wide: longer and finer than any printed word.
FAINT_PEN_RUN = (4.0, 2.5, 0.15)
# On a page without a label: the top share of the page is its letterhead (script logos are
# no signatures); rules are this many text heights long; words read this surely with three
# letters or more are print; pen strokes of this many text heights of pixels make a
# signature; fewer surely read words than this leave the text's height unknown.
LETTERHEAD = 0.22
PAGE_RULE = 6
SURE_WORD_CONFIDENCE = 0.8
MIN_PEN_PIXELS = 6
MIN_WORDS_FOR_HEIGHT = 5


def _is_label(text: str) -> bool:
    """A signature label, also with a letter lost or misread ("Alkiri", "Signatune").

    A long one may have two ("Полппись" on a photocopy).
    """
    word = normalise(text)
    if len(word) < 5:
        return False
    return word.startswith(LABELS) or any(
        Levenshtein.distance(word[: len(label) + 1], label) <= (2 if len(label) >= 7 else 1)
        for label in LABELS
    )


def _is_bare_label(text: str) -> bool:
    """A label without its colon: the word itself, perhaps with one letter misread.

    Never an inflected form in running text ("подписью,", "allkirjaga").
    """
    stripped = text.strip()
    if stripped.endswith((",", ".")):
        return False
    word = normalise(stripped)
    return any(
        len(word) == len(label) and Levenshtein.distance(word, label) <= 1 for label in LABELS
    )


def _labels(page: PageText) -> list[Token]:
    """Signature labels: the word with a colon, or the bare word first on its line.

    Not "...with signature", nor a sentence that begins with the word.
    """
    found = []
    for line in page.lines():
        for position, token in enumerate(line):
            if token.text.rstrip().endswith((":", ";")):  # OCR reads a colon as either
                labelled = _is_label(token.text)
            else:
                labelled = position == 0 and _is_bare_label(token.text)
            if labelled:
                found.append(token)
    return found


def ink_levels(gray: Gray) -> tuple[float, float]:
    """The grey level below which a pixel is ink, and the fainter one printed lines are at.

    The first is part way from the page's black to its paper: relative, so a pale pen on a
    faded scan counts, and show-through from the back does not.  The second is part way from
    the first to the paper.
    """
    paper, black = paper_level(gray), black_level(gray)
    level = paper - INK_SHARE_OF_RANGE * max(paper - black, 40.0)
    return level, level + FAINT_SHARE * (paper - level)


def _pen_ink(
    gray: Gray,
    box: tuple[int, int, int, int],
    words: Sequence[Token],
    levels: tuple[float, float],
    tall: int,
    text: int | None = None,
) -> int:
    """The pixels of ``box`` that are pen ink: dark, and no printed word, line or stamp.

    ``levels`` are the ink level and the fainter one printed lines are found at; ``tall`` is
    the label's height, ``text`` the page's text height when known (words far off it are not
    print, see ``PRINT_HEIGHT``).  The ink is looked at in a window reaching past the box above and
    below, so that a stamp beside the line, whose ring reaches far out of the box, is told
    from a signature, which stays by its line.
    """
    level, faint = levels
    x0, y0, x1, y1 = box
    top, bottom = max(0, y0 - STAMP_REACH * tall), min(gray.shape[0], y1 + STAMP_REACH * tall)
    window = gray[top:bottom, x0:x1]
    if window.size == 0 or y1 <= y0:
        return 0
    ink = (window < level).astype(np.uint8)
    # The printed line to sign on: long horizontal runs of ink, or of fainter grey (a thin
    # line of underscores, scanned, is lighter than its letters and broken into dashes).
    width = max(15, (x1 - x0) // 8)
    grey = (window < faint).astype(np.uint8)
    printed = cv2.dilate(_rules(grey, width), np.ones((5, 5), np.uint8))
    unprinted = np.asarray(cv2.subtract(ink, printed), dtype=np.uint8)
    runs = _pen_runs(unprinted, tall, bridge=LINE_BRIDGE) & unprinted
    # Print, surely read; a signature is read, if at all, as unsure junk or a lone letter.
    heights = None if text is None else (PRINT_HEIGHT[0] * text, PRINT_HEIGHT[1] * text)
    _mark_words(ink, words, (x0, top), PRINTED_WORD_CONFIDENCE, 2, value=0, heights=heights)
    pen = np.asarray(cv2.subtract(ink | runs, printed), dtype=np.uint8)
    # A stamp's ring is whole at the fainter level, where its grey ink is broken at the other.
    stamps = _stamps(
        np.asarray(cv2.subtract(grey, printed), dtype=np.uint8), y0 - top, y1 - top, tall
    )
    pen[stamps > 0] = 0
    return int(pen[y0 - top : y1 - top].sum())


def _text_height(page: PageText) -> int | None:
    """The median height of the words OCR read surely, else of all it read (pixels).

    None when it read fewer than ``MIN_WORDS_FOR_HEIGHT`` words of two letters or more.
    """
    words = [t for t in page.tokens if len(t.text.strip()) >= 2]
    sure = [t for t in words if t.confidence >= PRINTED_WORD_CONFIDENCE]
    chosen = sure if len(sure) >= MIN_WORDS_FOR_HEIGHT else words
    if len(chosen) < MIN_WORDS_FOR_HEIGHT:
        return None
    return max(4, int(np.median([t.box[3] - t.box[1] for t in chosen])))


def signature_anywhere(page: PageText, gray: Gray) -> bool:
    """Whether a pen's stroke lies on the page outside its printed words, lines and head.

    For pages without a signature label (a letter signed above the typed name): a long,
    thin, connected stroke (``PEN_RUN_WIDE``) below the top ``LETTERHEAD`` of the page,
    not inside a word OCR read surely.  Handwritten notes count as well.
    """
    tall = _text_height(page)
    if tall is None:
        return False
    level, faint = ink_levels(gray)
    height = gray.shape[0]
    top = int(height * LETTERHEAD)
    body = gray[top:]
    grey = (body < faint).astype(np.uint8)
    reach = max(15, PAGE_RULE * tall)
    ruled = _rules(grey, reach) | _rules(np.ascontiguousarray(grey.T), reach).T
    printed = np.asarray(cv2.dilate(ruled, np.ones((5, 5), np.uint8)), dtype=np.uint8)
    del ruled  # (full-page masks are let go as soon as they are used: a worker's peak)
    _mark_words(printed, page.tokens, (0, top), SURE_WORD_CONFIDENCE, 3, value=1)
    ink = (body < level).astype(np.uint8)
    pen = _pen_runs(np.asarray(cv2.subtract(ink, printed), dtype=np.uint8), tall)
    del ink
    # A thin pen on a coarse scan is broken at the ink level; whole at the fainter one, where
    # it is told from print by being longer still and finer.
    faint_only = np.asarray(cv2.subtract(grey, printed), dtype=np.uint8)
    del grey, printed
    pen |= _pen_runs(faint_only, tall, shape=FAINT_PEN_RUN)
    return int(pen.sum()) >= MIN_PEN_PIXELS * tall


def _mark_words(
    mask: Gray,
    words: Sequence[Token],
    origin: tuple[int, int],
    confidence: float,
    letters: int,
    *,
    value: int,
    heights: tuple[float, float] | None = None,
) -> None:
    """Set ``value`` over the boxes (2 px wider) of words read this surely, this long.

    ``mask`` is a window of the page whose top-left corner is at ``origin`` (x, y); with
    ``heights``, only words whose box is within those heights (pixels) are marked.
    """
    left, top = origin
    for word in words:
        if word.confidence < confidence or len(word.text.strip()) < letters:
            continue
        wx0, wy0, wx1, wy1 = word.box
        if heights is not None and not heights[0] <= wy1 - wy0 <= heights[1]:
            continue
        mask[
            max(0, wy0 - top - 2) : max(0, wy1 - top + 2),
            max(0, wx0 - left - 2) : max(0, wx1 - left + 2),
        ] = value


def _components(mask: Gray) -> tuple[int, NDArray[np.integer[Any]], NDArray[np.int32]]:
    """Connected components (8-connected): their count, label image and stats.

    Labels are 16-bit where they fit (a 40 Mpx page's 32-bit labels are 160 MB of a
    worker's peak), 32-bit where a page has more components than that.
    """
    try:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(
            mask, connectivity=8, ltype=cv2.CV_16U
        )
    except cv2.error:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return int(count), np.asarray(labels), np.asarray(stats, dtype=np.int32)


def _pen_runs(
    mask: Gray,
    tall: int,
    *,
    bridge: int = 0,
    shape: tuple[float, float, float] = (PEN_RUN_WIDE, PEN_RUN_HIGH, PEN_RUN_FILL),
) -> Gray:
    """The strokes of ``mask`` that run on as a pen's do (see ``PEN_RUN_WIDE``).

    ``shape`` is how wide or how high (in ``tall``) a stroke is at least, and how much of its
    box it fills at most.  With ``bridge``, strokes are first joined across vertical gaps of
    that many pixels: a signature crossing the printed line it is signed on is cut by the
    line's removal.
    """
    wide, high, fill = shape
    if bridge:
        mask = np.asarray(
            cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((bridge, 1), np.uint8)),
            dtype=np.uint8,
        )
    count, labels, stats = _components(mask)
    keep = np.zeros(count, np.uint8)
    for i in range(1, count):
        w, h, area = (int(v) for v in stats[i, 2:5])
        long = w >= wide * tall or h >= high * tall
        if long and area <= fill * w * h:
            keep[i] = 1
    return np.asarray(keep[labels], dtype=np.uint8)


def _stamps(mask: Gray, y0: int, y1: int, slack: int) -> Gray:
    """Where strokes of ``mask`` reach ``slack`` beyond rows y0-y1, with what they hold.

    Such a stroke is a stamp's ring; its ticks and star lie inside it and go with it.
    """
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    found = np.zeros_like(mask)
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if y < y1 and y + h > y0 and (y < y0 - slack or y + h > y1 + slack):
            found[y : y + h, x : x + w] = 1
    return found


def _rules(mask: Gray, width: int) -> Gray:
    """Horizontal runs at least ``width`` long, gaps of a few pixels closed first."""
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((1, RULE_GAP), np.uint8))
    return np.asarray(
        cv2.morphologyEx(closed, cv2.MORPH_OPEN, np.ones((1, width), np.uint8)), dtype=np.uint8
    )


def _line_end(gray: Gray, label: Token, tall: int, faint: float) -> int | None:
    """Where the printed line to sign on, beside the label, ends (x), if there is one."""
    _, y0, _, y1 = label.box
    top, bottom = max(0, y0 - tall), min(gray.shape[0], y1 + tall)
    band = (gray[top:bottom, label.box[2] :] < faint).astype(np.uint8)
    if band.size == 0:
        return None
    rules = _rules(band, max(20, tall * 4))
    columns = np.flatnonzero(rules.any(axis=0))
    if columns.size == 0:
        return None
    # The first run of rule columns from the label: the line, not a rule further along.
    gaps = np.flatnonzero(np.diff(columns) > tall)
    last = columns[gaps[0]] if gaps.size else columns[-1]
    return int(label.box[2] + last)


def is_signed(page: PageText, image: Image.Image) -> bool | None:
    """Whether pen ink lies by a signature label, or, without one, anywhere.

    A page without a label is True when a signature is seen below its letterhead
    (``signature_anywhere``), else None.
    """
    labels = _labels(page)
    gray = gray_of(image)
    if not labels:
        return True if signature_anywhere(page, gray) else None
    levels = ink_levels(gray)
    height, width = gray.shape
    text = _text_height(page)
    for label in labels:
        _, y0, x1, y1 = label.box
        tall = max(y1 - y0, 10)
        if text is not None and tall > round(LABEL_OVERSIZE * text):
            tall = max(10, round(LABEL_OVERSIZE * text))
            y0 = (y0 + y1 - tall) // 2
            y1 = y0 + tall
        # A stamp beside the line is not a signature: look only along the line.
        end = _line_end(gray, label, tall, levels[1])
        right = end + tall if end is not None else x1 + NO_LINE_REACH * tall
        box = (
            min(x1 + tall // 2, width),
            max(0, int(y0 - ABOVE * tall)),
            min(right, width),
            min(height, int(y1 + BELOW * tall)),
        )
        area = (box[2] - box[0]) * (box[3] - box[1])
        needed = min(MIN_INK_SHARE * area, MIN_PEN_AREA * tall * tall)
        if _pen_ink(gray, box, page.tokens, levels, tall, text) >= needed:
            return True
    return False
