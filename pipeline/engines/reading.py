"""Reading order: the page's words in the order a person reads them.

Words are first grouped into visual lines (a form's label and its value share one: a
person reads "Nimi: Mari Mägi" along the line, where Tesseract reads all the labels first).
A column gap is a wide, word-free corridor that runs down several consecutive lines with
running text on both sides (a few words a line or more); such lines are read column by
column, the left one first, so that no line is ever made across the gap.  Labels and
values, and a table's cells, have few words a line and are read along their rows.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence

from pipeline.model import Word

GUTTER_HEIGHTS = 1.5  # a column gap is at least this many text heights wide
MIN_RUN = 3  # lines a column gap runs down, with text on both sides
PROSE_WORDS = 2.5  # running text has this many words a line, on average, or more

Line = list[Word]


def visual_lines(words: Iterable[Word]) -> list[Line]:
    """Words grouped into visual lines, top to bottom, each left to right.

    Words whose vertical extents overlap by half the smaller height share a line.
    """
    lines: list[tuple[float, float, list[Word]]] = []  # (top, bottom, words)
    for word in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        top, bottom = word.box[1], word.box[3]
        height = max(bottom - top, 1)
        for i, (line_top, line_bottom, members) in enumerate(
            lines[-3:], start=max(len(lines) - 3, 0)
        ):
            overlap = min(bottom, line_bottom) - max(top, line_top)
            if overlap >= 0.5 * min(height, line_bottom - line_top):
                members.append(word)
                lines[i] = (min(top, line_top), max(bottom, line_bottom), members)
                break
        else:
            lines.append((top, bottom, [word]))
    return [sorted(members, key=lambda w: w.box[0]) for _, _, members in lines]


def _gaps(line: Line, width: float) -> list[tuple[int, int]]:
    """The word-free stretches of ``line`` at least ``width`` wide, between its words."""
    found = []
    right = line[0].box[2]
    for word in line[1:]:
        if word.box[0] - right >= width:
            found.append((right, word.box[0]))
        right = max(right, word.box[2])
    return found


def _free(line: Line, left: int, right: int) -> tuple[int, int] | None:
    """The part of ``left..right`` no word of ``line`` covers, when one word-free stretch."""
    for word in line:
        x0, x1 = word.box[0], word.box[2]
        if x1 <= left or x0 >= right:
            continue
        if x0 - left >= right - x1:  # the word covers the right part: keep the left
            right = x0
        else:
            left = x1
        if right <= left:
            return None
    return left, right


def _sides(lines: Sequence[Line], gutter: tuple[int, int]) -> tuple[list[Line], list[Line]]:
    middle = (gutter[0] + gutter[1]) / 2
    left = [[w for w in line if w.box[2] <= middle] for line in lines]
    right = [[w for w in line if w.box[0] >= middle] for line in lines]
    return [line for line in left if line], [line for line in right if line]


def _wordy(line: Line, gutter: tuple[int, int]) -> bool:
    """Whether a side of ``line`` has more than one word (a label and its value have not)."""
    left, right = _sides([line], gutter)
    return max(sum(map(len, left)), sum(map(len, right))) > 1


def _prose(lines: Sequence[Line]) -> bool:
    return bool(lines) and sum(map(len, lines)) / len(lines) >= PROSE_WORDS


def _column_run(lines: Sequence[Line], width: float) -> tuple[int, tuple[int, int]] | None:
    """How many lines from the first a column gap runs down, and where it is; or ``None``."""
    for gap in _gaps(lines[0], width):
        if not _wordy(lines[0], gap):
            continue
        corridor, count = gap, 1
        for line in lines[1:]:
            narrowed = _free(line, *corridor)
            if narrowed is None or narrowed[1] - narrowed[0] < width:
                break
            if not _wordy(line, narrowed):
                break
            corridor, count = narrowed, count + 1
        if count < MIN_RUN:
            continue
        both = [line for line in lines[:count] if all(_sides([line], corridor))]
        left, right = _sides(lines[:count], corridor)
        if len(both) >= MIN_RUN and _prose(left) and _prose(right):
            return count, corridor
    return None


def _ordered(lines: Sequence[Line], width: float) -> list[Line]:
    out: list[Line] = []
    i = 0
    while i < len(lines):
        run = _column_run(lines[i:], width)
        if run is None:
            out.append(list(lines[i]))
            i += 1
            continue
        count, gutter = run
        left, right = _sides(lines[i : i + count], gutter)
        out += _ordered(left, width) + _ordered(right, width)
        i += count
    return out


def reading_lines(words: Iterable[Word]) -> list[Line]:
    """The page's lines in reading order: along the lines, column by column where set so."""
    lines = visual_lines(words)
    heights = [w.box[3] - w.box[1] for line in lines for w in line]
    if not heights:
        return []
    width = GUTTER_HEIGHTS * max(statistics.median(heights), 1)
    return _ordered(lines, width)
