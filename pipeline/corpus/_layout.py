"""Fonts, typesetting and drawing of the synthetic pages.

Typesetting turns blocks (a title, a paragraph, labelled fields, a signature line) into lines
placed in pixels on an A4 page, or says that they do not fit; drawing turns the placed lines
into a greyscale image. Sizes are in points and millimetres, so any resolution gives the same
page.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

_FONT_ROOT = Path("/usr/share/fonts/truetype")
# Regular and bold of each family, serif and sans, from the Debian font packages.
_FAMILY_FILES = (
    ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    ("liberation2/LiberationSans-Regular.ttf", "liberation2/LiberationSans-Bold.ttf"),
    ("liberation2/LiberationSerif-Regular.ttf", "liberation2/LiberationSerif-Bold.ttf"),
    ("freefont/FreeSans.ttf", "freefont/FreeSansBold.ttf"),
    ("freefont/FreeSerif.ttf", "freefont/FreeSerifBold.ttf"),
)
_MUST_COVER = "õäöüšžÕÄÖÜŠŽабвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ№"
_NOT_A_CHARACTER = "\uffff"  # never in a font's map: it draws the missing-glyph box

A4_MM = (210.0, 297.0)
_MARGINS_MM = (25.0, 20.0, 20.0, 20.0)  # left, top, right, bottom
_SIGNATURE_LINE_MM = 70.0
_FIELD_GAP_PT = 10.0
_MARKER_GAP_PT = 14.0
_CELL_PAD_PT = 3.5


@dataclass(frozen=True)
class FontFamily:
    """The regular face for text and the bold face for titles and headings."""

    regular: Path
    bold: Path


@functools.cache
def _font(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    # The basic layout engine gives the same pixels with or without libraqm.
    return ImageFont.truetype(str(path), size_px, layout_engine=ImageFont.Layout.BASIC)


def _covers(path: Path, chars: str) -> bool:
    try:
        face = _font(path, 24)
    except OSError:
        return False
    missing = bytes(face.getmask(_NOT_A_CHARACTER))
    return all(bytes(face.getmask(c)) != missing for c in chars)


@functools.cache
def families() -> tuple[FontFamily, ...]:
    """Return the installed font families whose both faces draw Estonian and Cyrillic."""
    found = []
    for regular, bold in _FAMILY_FILES:
        family = FontFamily(_FONT_ROOT / regular, _FONT_ROOT / bold)
        if all(p.is_file() and _covers(p, _MUST_COVER) for p in (family.regular, family.bold)):
            found.append(family)
    return tuple(found)


def fonts() -> tuple[Path, ...]:
    """Return the Debian TrueType fonts available for rendering.

    Serif and sans families, each as its regular and its bold face, that are installed and
    draw the Estonian letters (õ ä ö ü š ž) and the Cyrillic alphabet.
    """
    return tuple(p for family in families() for p in (family.regular, family.bold))


def find_family(font: str) -> FontFamily:
    """Return the font family for a font file path or a font name such as "DejaVuSerif".

    A file that belongs to no known family is used for both faces.

    Raises:
        ValueError: When font is neither a file nor the name of an available font.
    """
    path = Path(font)
    if path.is_file():
        for family in families():
            if path.resolve() in (family.regular.resolve(), family.bold.resolve()):
                return FontFamily(path, family.bold)
        return FontFamily(path, path)
    wanted = font.lower().removesuffix(".ttf")
    for family in families():
        names = {p.stem.lower() for p in (family.regular, family.bold)}
        names.add(family.regular.stem.lower().removesuffix("-regular"))
        if wanted in names:
            return family
    known = ", ".join(p.stem for p in fonts())
    raise ValueError(f"unknown font {font!r}: give a file or one of {known}")


@dataclass(frozen=True)
class Text:
    """A run of text: a title, a heading or a paragraph, wrapped to the text width."""

    text: str
    style: str  # "header", "title", "heading" or "body"
    space_before_pt: float = 0.0
    rule_below: bool = False


@dataclass(frozen=True)
class Fields:
    """Labelled fields, one a line: values line up in a column after the labels."""

    pairs: tuple[tuple[str, str], ...]
    space_before_pt: float = 0.0


@dataclass(frozen=True)
class Signature:
    """The signature label followed by a drawn line to sign on."""

    label: str
    space_before_pt: float = 0.0


@dataclass(frozen=True)
class Table:
    """A ruled table as wide as the text: a header row, then rows of short cells.

    Its text is read row by row, each row's cells left to right: one line of the truth per
    row, the cells joined by spaces.
    """

    rows: tuple[tuple[str, ...], ...]
    space_before_pt: float = 0.0


Block = Text | Fields | Signature | Table


@dataclass(frozen=True)
class Run:
    """Text drawn at one place: left end of its baseline, and its ink box (l, t, r, b)."""

    text: str
    font: Path
    size_px: int
    x: int
    baseline: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class Line:
    """One line of the page in reading order: its text as the truth has it, and its runs."""

    text: str
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class PageLayout:
    """Everything drawn on one page: the text lines and the filled rectangles (l, t, r, b)."""

    size: tuple[int, int]
    lines: tuple[Line, ...]
    rules: tuple[tuple[int, int, int, int], ...]
    signature: tuple[int, int, int, int] | None = None  # the line to sign on, if any

    @property
    def text(self) -> str:
        """The page's text: its lines in reading order, joined by newlines."""
        return "\n".join(line.text for line in self.lines)


# Size in points, bold, line spacing as a multiple of the size, centred.
_STYLES = {
    "header": (9.5, False, 1.3, False),
    "title": (14.0, True, 1.35, True),
    "heading": (0.0, True, 1.35, False),  # size 0: the body size
    "body": (0.0, False, 1.4, False),
    "marker": (9.5, False, 1.3, True),
}


@dataclass(frozen=True)
class Typesetter:
    """Places blocks on A4 pages at one resolution, in one font family and body size."""

    dpi: int
    family: FontFamily
    body_pt: float

    @property
    def size(self) -> tuple[int, int]:
        """The page's width and height in pixels."""
        return self.mm(A4_MM[0]), self.mm(A4_MM[1])

    @property
    def box(self) -> tuple[int, int, int, int]:
        """The text area inside the margins: left, top, right, bottom in pixels."""
        left, top, right, bottom = (self.mm(m) for m in _MARGINS_MM)
        width, height = self.size
        return left, top, width - right, height - bottom

    def px(self, points: float) -> int:
        """Return the length in pixels of this many points."""
        return round(points * self.dpi / 72)

    def mm(self, millimetres: float) -> int:
        """Return the length in pixels of this many millimetres."""
        return round(millimetres * self.dpi / 25.4)

    def font(self, style: str) -> tuple[Path, ImageFont.FreeTypeFont, float]:
        """Return the face, the font and the line spacing factor of a style."""
        points, bold, leading, _ = _STYLES[style]
        path = self.family.bold if bold else self.family.regular
        return path, _font(path, self.px(points or self.body_pt)), leading

    def layout(self, blocks: list[Block], marker: str | None = None) -> PageLayout | None:
        """Place the blocks top-down on one page, and the page marker (if any) at its foot.

        Returns:
            The page; None when the blocks overflow the bottom margin (or reach the marker).
        """
        left, top, right, bottom = self.box
        cursor = _Cursor(self, top)
        for block in blocks:
            cursor.gap(self.px(block.space_before_pt))
            if isinstance(block, Text):
                cursor.text(block)
            elif isinstance(block, Fields):
                cursor.fields(block)
            elif isinstance(block, Signature):
                cursor.signature(block)
            elif not cursor.table(block):
                return None
        limit = bottom
        if marker:
            path, face, _ = self.font("marker")
            ascent, descent = face.getmetrics()
            limit = bottom - descent - ascent - self.px(_MARKER_GAP_PT)
            x = left + (right - left - round(face.getlength(marker))) // 2
            below = max(descent, round(face.getbbox(marker, anchor="ls")[3]))
            run = _run(marker, path, face, x, bottom - below, (left, right))
            cursor.lines.append(Line(marker, (run,)))
        if cursor.y > limit:
            return None
        return PageLayout(self.size, tuple(cursor.lines), tuple(cursor.rules), cursor.signed)


def _run(
    text: str,
    path: Path,
    face: ImageFont.FreeTypeFont,
    x: int,
    baseline: int,
    within: tuple[int, int],
) -> Run:
    """Place text at x, nudged by the pixel or two a glyph overhangs the margins `within`."""
    left, top, right, bottom = (round(v) for v in face.getbbox(text, anchor="ls"))
    x += max(0, within[0] - (x + left)) - max(0, x + right - within[1])
    box = (x + left, baseline + top, x + right, baseline + bottom)
    return Run(text, path, round(face.size), x, baseline, box)


def _fits(face: ImageFont.FreeTypeFont, text: str, width: int) -> bool:
    """Whether the text, with any ink that overhangs its advance, is no wider than width."""
    advance = face.getlength(text)
    if advance > width:
        return False
    if advance <= width - face.size / 4:  # far more room than any overhang needs
        return True
    left, _, right, _ = face.getbbox(text, anchor="ls")
    return max(advance, right) - min(0, left) <= width


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break text at spaces into lines no wider than width (a longer word is cut)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _fits(face, candidate, width):
            current = candidate
            continue
        if current:
            lines.append(current)
        while not _fits(face, word, width):
            cut = 1
            while cut < len(word) and _fits(face, word[: cut + 1], width):
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


class _Cursor:
    """The running state of one page's layout: the lines so far and the bottom edge y."""

    def __init__(self, setter: Typesetter, top: int) -> None:
        self.setter = setter
        self.y = top
        self.first = True
        self.lines: list[Line] = []
        self.rules: list[tuple[int, int, int, int]] = []
        self.signed: tuple[int, int, int, int] | None = None

    def gap(self, pixels: int) -> None:
        if not self.first:
            self.y += pixels

    def _baseline(self, face: ImageFont.FreeTypeFont, leading: float, within: bool) -> int:
        """Advance to the next line of this face and return its baseline."""
        ascent, descent = face.getmetrics()
        if within:
            self.y += max(0, round(face.size * leading) - ascent - descent)
        baseline = self.y + ascent
        self.y = baseline + descent
        self.first = False
        return baseline

    def text(self, block: Text) -> None:
        left, _, right, _ = self.setter.box
        path, face, leading = self.setter.font(block.style)
        centred = _STYLES[block.style][3]
        for i, part in enumerate(wrap(block.text, face, right - left)):
            at_top = self.first
            baseline = self._baseline(face, leading, i > 0)
            if at_top:  # accents on capitals (OÜ) may reach above the ascent: not the margin
                above = self.setter.box[1] - (baseline + round(face.getbbox(part, anchor="ls")[1]))
                baseline += max(0, above)
                self.y += max(0, above)
            x = left + (right - left - round(face.getlength(part))) // 2 if centred else left
            self.lines.append(Line(part, (_run(part, path, face, x, baseline, (left, right)),)))
        if block.rule_below:
            thickness = max(1, self.setter.px(0.6))
            top = self.y + self.setter.px(3)
            self.rules.append((left, top, right, top + thickness))
            self.y = top + thickness

    def fields(self, block: Fields) -> None:
        left, _, right, _ = self.setter.box
        path, face, leading = self.setter.font("body")
        labels = [f"{label}:" for label, _ in block.pairs]
        column = left + max(round(face.getlength(t)) for t in labels)
        column += self.setter.px(_FIELD_GAP_PT)
        inline = column - left > (right - left) * 0.45
        for i, (label, (_, value)) in enumerate(zip(labels, block.pairs, strict=True)):
            baseline = self._baseline(face, leading, i > 0)
            label_run = _run(label, path, face, left, baseline, (left, right))
            x = label_run.box[2] + round(face.getlength(" ")) if inline else column
            parts = wrap(value, face, right - x) or [""]
            runs = [label_run]
            if parts[0]:
                runs.append(_run(parts[0], path, face, x, baseline, (left, right)))
            self.lines.append(Line(f"{label} {parts[0]}".rstrip(), tuple(runs)))
            for part in parts[1:]:
                baseline = self._baseline(face, leading, True)
                self.lines.append(Line(part, (_run(part, path, face, x, baseline, (left, right)),)))

    def signature(self, block: Signature) -> None:
        left, _, right, _ = self.setter.box
        path, face, leading = self.setter.font("body")
        baseline = self._baseline(face, leading, False)
        run = _run(block.label, path, face, left, baseline, (left, right))
        self.lines.append(Line(block.label, (run,)))
        thickness = max(1, self.setter.px(0.6))
        start = run.box[2] + self.setter.px(6)
        end = min(right, start + self.setter.mm(_SIGNATURE_LINE_MM))
        self.rules.append((start, baseline, end, baseline + thickness))
        self.signed = self.rules[-1]

    def table(self, block: Table) -> bool:
        """Rule the table's grid and place its cells; False when it is wider than the text."""
        left, _, right, _ = self.setter.box
        path, face, _ = self.setter.font("body")
        bold_path, bold, _ = self.setter.font("heading")
        pad = self.setter.px(_CELL_PAD_PT)
        rule = max(1, self.setter.px(0.5))
        columns = len(block.rows[0])
        natural = [
            max((bold if r == 0 else face).getlength(row[c]) for r, row in enumerate(block.rows))
            + 2 * pad
            + rule
            for c in range(columns)
        ]
        spare = right - left - rule - sum(natural)
        if spare < 0:
            return False
        edges = [left]
        for width in natural:
            edges.append(round(edges[-1] + width + spare / columns))
        edges[-1] = right - rule
        ascent, descent = face.getmetrics()
        top = self.y
        y = top
        for r, row in enumerate(block.rows):
            self.rules.append((left, y, right, y + rule))
            baseline = y + rule + pad + ascent
            cell_face, cell_path = (bold, bold_path) if r == 0 else (face, path)
            runs = tuple(
                _run(text, cell_path, cell_face, edges[c] + rule + pad, baseline, (left, right))
                for c, text in enumerate(row)
                if text
            )
            self.lines.append(Line(" ".join(text for text in row if text), runs))
            y = baseline + descent + pad
        self.rules.append((left, y, right, y + rule))
        bottom = y + rule
        self.rules.extend((x, top, x + rule, bottom) for x in edges)
        self.y = bottom
        self.first = False
        return True


def draw_page(layout: PageLayout) -> Image.Image:
    """Draw the page: black text and lines on white paper, greyscale ("L")."""
    image = Image.new("L", layout.size, 255)
    draw = ImageDraw.Draw(image)
    for line in layout.lines:
        for run in line.runs:
            face = _font(run.font, run.size_px)
            draw.text((run.x, run.baseline), run.text, font=face, fill=0, anchor="ls")
    for left, top, right, bottom in layout.rules:
        draw.rectangle((left, top, right - 1, bottom - 1), fill=0)
    return image
