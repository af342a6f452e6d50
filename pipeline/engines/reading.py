"""Reading order: the page's words in the order a person reads them.

Tesseract's page layout analysis finds the page's blocks (columns of text, tables, boxes
side by side) and gives them in its reading order, column after column; that order is
kept, and so are its text lines, which follow a line across a slightly skewed page.

Where blocks stand side by side with their lines at the same heights and one of them is not
running text, they are one form or table whose rows Tesseract cut apart: a block of labels
beside a block of values, a table's columns.  Such blocks are read together along their
rows, label then value ("Nimi: Mari Mägi"), where Tesseract reads all the labels first.
Two blocks of running text are two columns however their lines lie: one after the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.model import Word

ALIGNED = 0.75  # share of the shorter block's lines that lie level with the other's lines
LEVEL = 0.3  # two lines are level when their middles are this many line heights apart or less
PROSE_WORDS = 2.5  # running text has this many words a line, on average, or more
MIN_LINES = 3  # a column of labels or values has this many lines (fewer: a cell of a table)

Line = list[Word]


@dataclass(frozen=True)
class _Line:
    """One of Tesseract's text lines: its words left to right, and their extent."""

    words: tuple[Word, ...]
    left: int
    top: int
    right: int
    bottom: int

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> int:
        return max(self.bottom - self.top, 1)


def _line(words: Sequence[Word]) -> _Line:
    ordered = tuple(sorted(words, key=lambda w: w.box[0]))
    return _Line(
        words=ordered,
        left=min(w.box[0] for w in words),
        top=min(w.box[1] for w in words),
        right=max(w.box[2] for w in words),
        bottom=max(w.box[3] for w in words),
    )


@dataclass(frozen=True)
class _Block:
    """One of Tesseract's blocks: its lines, their extent, and whether it is running text."""

    lines: tuple[_Line, ...]
    left: int
    top: int
    right: int
    bottom: int
    prose: bool


def _block(lines: Sequence[_Line]) -> _Block:
    words = sum(len(line.words) for line in lines)
    return _Block(
        lines=tuple(lines),
        left=min(x.left for x in lines),
        top=min(x.top for x in lines),
        right=max(x.right for x in lines),
        bottom=max(x.bottom for x in lines),
        prose=words / len(lines) >= PROSE_WORDS,
    )


def _blocks(words: Iterable[Word]) -> list[_Block]:
    """The page's blocks in Tesseract's order, each its lines in Tesseract's order."""
    blocks: dict[int, dict[int, list[Word]]] = {}
    for word in words:
        blocks.setdefault(word.block, {}).setdefault(word.line, []).append(word)
    return [_block([_line(members) for members in lines.values()]) for lines in blocks.values()]


def _level(a: _Line, b: _Line) -> bool:
    return abs(a.middle - b.middle) <= LEVEL * max(a.height, b.height)


def _one_table(a: _Block, b: _Block) -> bool:
    """Whether blocks ``a`` and ``b`` are side by side rows of one form or table."""
    if min(a.right, b.right) > max(a.left, b.left) or min(a.bottom, b.bottom) < max(a.top, b.top):
        return False  # not side by side: one stands above the other, or they overlap
    left, right = (a, b) if a.left < b.left else (b, a)
    pairs = [(x, y) for x in left.lines for y in right.lines if _level(x, y)]
    if len({id(x) for x, _ in pairs}) < ALIGNED * min(len(a.lines), len(b.lines)):
        return False
    labels = sum(x.words[-1].text.endswith(":") for x, _ in pairs)
    if labels >= len(pairs) / 2:
        return True  # labels and their values: "Nimi:" beside "Mari Mägi"
    return min(len(a.lines), len(b.lines)) >= MIN_LINES and not (a.prose and b.prose)


def _regions(blocks: Sequence[_Block]) -> list[list[int]]:
    """The blocks grouped into regions read together, in the order of their first block."""
    owner = list(range(len(blocks)))

    def root(i: int) -> int:
        while owner[i] != i:
            owner[i] = owner[owner[i]]
            i = owner[i]
        return i

    for i, a in enumerate(blocks):
        for j in range(i + 1, len(blocks)):
            if root(i) != root(j) and _one_table(a, blocks[j]):
                owner[max(root(i), root(j))] = min(root(i), root(j))
    regions: dict[int, list[int]] = {}
    for i in range(len(blocks)):
        regions.setdefault(root(i), []).append(i)
    return list(regions.values())


def _rows(lines: Sequence[_Line]) -> list[Line]:
    """Lines of blocks read together, joined into rows where they lie level, top to bottom."""
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda x: x.middle):
        for row in rows[-3:]:
            beside = all(line.right <= x.left or line.left >= x.right for x in row)
            if beside and any(_level(line, x) for x in row):
                row.append(line)
                break
        else:
            rows.append([line])
    return [sorted((w for x in row for w in x.words), key=lambda w: w.box[0]) for row in rows]


def reading_lines(words: Iterable[Word]) -> list[Line]:
    """The page's lines in reading order: block by block, a form's or table's along its rows."""
    blocks = _blocks(words)
    out: list[Line] = []
    for region in _regions(blocks):
        if len(region) == 1:
            out += [list(line.words) for line in blocks[region[0]].lines]
        else:
            out += _rows([line for i in region for line in blocks[i].lines])
    return out
