"""Field extraction from OCR text: person codes, IBANs, dates, case numbers and names.

Values are found line by line, on the text of each visual line (its words joined by one
space, or two where the words stand far apart); each value carries its page, the box of the
words it was read from and, for persons and dates, what its label says it is. Person codes
and IBANs are reported only when their checksums validate, after undoing typical OCR
confusions. Nothing here logs: the values are personal data.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from stdnum import iban as stdnum_iban
from stdnum import numdb
from stdnum.ee import ik

from classifiers import labels
from classifiers.dates import find_dates
from classifiers.text import Box, Field, PageText, Token

# OCR confusions inside a person code, and the digit each letter stands for.
_CONFUSED = str.maketrans("OoDQlIi|!SsBZzGbgqT", "0000111115582266997")
_CODE_CHARS = re.compile(r"[0-9" + re.escape("OoDQlIi|!SsBZzGbgqT") + r"]+")
_CODE_LENGTH = 11
_MAX_REPAIRS = 3
_MAX_GROUPS = 3  # a code split by OCR or printed as 4-4-3; more groups are a table's numbers
_GLUED_LEFT = re.compile(r"(?:\+|\d[-/.,])$")
_GLUED_RIGHT = re.compile(r"^[-/.,]\d")

_IBAN_START = re.compile(r"(?<![A-Z0-9])(?=([A-Z]{2}[0-9O]{2}(?: ?[A-Z0-9]){11,30}))")
_IBAN_MIN = 15
_IBAN_STRUCTURE = re.compile(r"(\d+)!?([nac])")

_WIDE_GAP = 1.5  # words farther apart than this many word heights are not joined by " "
_LEVEL = 0.5  # OCR lines overlapping this share of their height, side by side, are one
_LOOK_BACK = 4  # how many lines above one to look for its row
_MAX_NAME_WORDS = 6
_NAME_STRIP_LEFT = "([{\"'«„“"
_NAME_STRIP_RIGHT = ")]}\"'»”;:"
# Labels right before a name label that make it no person's ("Bank name", "Ettevõtte nimi").
_NOT_PERSONS = frozenset({labels.ENTITY, labels.FIELD, labels.NUMBER, labels.CODE})
# Labels that end a name written before them.
_NAME_STOPS = frozenset({labels.FIELD, labels.NUMBER, labels.CODE, labels.DATE})
_NAME_STOPS |= {labels.SIGNATURE, labels.NAME, labels.ROLE}


@dataclass(frozen=True)
class PersonCode:
    """A checksum-valid isikukood found on a page."""

    value: str
    page: int | None = None


@dataclass(frozen=True)
class _Span:
    """A value found in a line's text: characters start to end, and its normalised value."""

    start: int
    end: int
    value: str


@dataclass(frozen=True)
class _Line:
    """One visual line: its words, their boxes, its text and where each word starts in it.

    ``wide`` is the gap between words (in pixels) beyond which they stand apart, as a label and
    its value column or two cells of a table do; 0 when the words have no geometry.
    """

    words: tuple[str, ...]
    boxes: tuple[Box, ...]
    text: str
    starts: tuple[int, ...]
    wide: float = 0.0

    @classmethod
    def of_text(cls, text: str, box: Box) -> _Line:
        """A line of plain text as it stands, every word placed in ``box``."""
        words = [(m.group(), m.start()) for m in re.finditer(r"\S+", text)]
        return cls(
            tuple(w for w, _ in words), (box,) * len(words), text, tuple(s for _, s in words)
        )

    @classmethod
    def of(cls, words: Sequence[str], boxes: Sequence[Box]) -> _Line:
        """Join ``words`` by one space, or by two where they stand far apart."""
        wide = _WIDE_GAP * statistics.median(b[3] - b[1] for b in boxes) if boxes else 0.0
        line = cls(tuple(words), tuple(boxes), "", (), wide)
        text, starts = "", []
        for i, word in enumerate(words):
            if i:
                text += "  " if line.apart(i) else " "
            starts.append(len(text))
            text += word
        return cls(line.words, line.boxes, text, tuple(starts), wide)

    def apart(self, i: int) -> bool:
        """Whether word ``i`` stands far from the word before it."""
        return 0 < self.wide < self.boxes[i][0] - self.boxes[i - 1][2]

    def words_of(self, start: int, end: int) -> range:
        """Indexes of the words that characters ``start`` to ``end`` of the text touch."""
        first = max(i for i, s in enumerate(self.starts) if s <= start)
        last = max(i for i, s in enumerate(self.starts) if s < end)
        return range(first, last + 1)

    def box(self, indexes: range) -> Box:
        """The union of the boxes of the words at ``indexes``."""
        boxes = [self.boxes[i] for i in indexes]
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )


# Person codes


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without "|" or "!" at its ends: table rules and marks as often as ones."""
    while start < end and text[start] in "|!":
        start += 1
    while end > start and text[end - 1] in "|!":
        end -= 1
    return start, end


def _code_chains(text: str) -> Iterator[list[tuple[int, int]]]:
    """Runs of digits and digit-like letters holding a digit, chained where one space apart.

    A run without a digit ("Isi", "|") is no part of a code and breaks a chain.
    """
    chain: list[tuple[int, int]] = []
    for match in _CODE_CHARS.finditer(text):
        start, end = match.span()
        if not any(c.isdigit() for c in text[start:end]):
            if chain:
                yield chain
            chain = []
            continue
        if chain and text[chain[-1][1] : start] != " ":
            yield chain
            chain = []
        chain.append((start, end))
    if chain:
        yield chain


def _length(text: str, start: int, end: int) -> int:
    return len(text[start:end].replace(" ", ""))


def _boxed(chain: Sequence[tuple[int, int]]) -> bool:
    """Whether a chain is eleven single characters: a code written in a row of boxes."""
    return len(chain) == _CODE_LENGTH and all(end - start == 1 for start, end in chain)


def _code_candidates(text: str) -> Iterator[tuple[int, int]]:
    """Spans that may hold one code: a short chain of 11 characters in all, else a run of 11.

    Each is tried as read and without "|" or "!" at its ends.
    """
    for chain in _code_chains(text):
        whole = (chain[0][0], chain[-1][1])
        short = len(chain) <= _MAX_GROUPS or _boxed(chain)
        spans = [whole, _trimmed(text, *whole)] if short else []
        if len(chain) > 1:
            spans += [g for group in chain for g in (group, _trimmed(text, *group))]
        yield from sorted({s for s in spans if _length(text, *s) == _CODE_LENGTH})


def _repaired_code(raw: str) -> str | None:
    """The valid code ``raw`` reads as after undoing OCR confusions, else None."""
    compact = raw.replace(" ", "")
    if sum(not c.isdigit() for c in compact) > _MAX_REPAIRS:
        return None
    code = compact.translate(_CONFUSED)
    return code if ik.is_valid(code) else None


def _person_codes(text: str, taken: Sequence[_Span] = ()) -> list[_Span]:
    """Valid person codes in one line, outside the spans already ``taken`` (IBANs)."""
    found = []
    for start, end in _code_candidates(text):
        if _GLUED_LEFT.search(text[max(0, start - 2) : start]) or _GLUED_RIGHT.match(
            text[end : end + 2]
        ):
            continue
        if any(start < t.end and t.start < end for t in taken):
            continue
        code = _repaired_code(text[start:end])
        if code is not None:
            found.append(_Span(start, end, code))
    return found


def _line_codes(line: _Line, hits: Sequence[labels.Hit], ibans: Sequence[_Span]) -> list[_Span]:
    """Valid person codes in one line, but none in an IBAN or labelled as another number."""
    return [
        span
        for span in _person_codes(line.text, ibans)
        if not labels.names_another_number(line.words, hits, line.words_of(span.start, span.end)[0])
    ]


def find_person_codes(text: str, *, page: int | None = None) -> tuple[PersonCode, ...]:
    """Every distinct valid person code in ``text``, in order of appearance.

    A candidate is reported only when its century digit, birth date and checksum validate
    (after undoing OCR confusions such as O for 0 and spaces between its digits); eleven
    digits inside a longer number or an IBAN, or labelled as another number ("Viitenumber"),
    are never reported.
    """
    found: list[PersonCode] = []
    for row in text.splitlines():
        line = _Line.of_text(row, (0, 0, 0, 0))
        for span in _line_codes(line, labels.scan(line.words), _ibans(row)):
            code = PersonCode(value=span.value, page=page)
            if code not in found:
                found.append(code)
    return tuple(found)


# IBANs


@functools.lru_cache(maxsize=256)
def _digit_positions(country: str) -> frozenset[int]:
    """Positions in a ``country`` IBAN that must be digits: the check digits and more."""
    positions = {2, 3}
    info = numdb.get("iban").info(country)
    structure = info[0][1].get("bban", "") if info else ""
    at = 4
    for count, kind in _IBAN_STRUCTURE.findall(structure):
        if kind == "n":
            positions.update(range(at, at + int(count)))
        at += int(count)
    return frozenset(positions)


def _valid_iban(compact: str) -> str | None:
    """``compact`` when it is a valid IBAN, or with O read as 0 where digits belong."""
    if stdnum_iban.is_valid(compact):
        return compact
    if "O" not in compact:
        return None
    digits = _digit_positions(compact[:2])
    fixed = "".join("0" if c == "O" and i in digits else c for i, c in enumerate(compact))
    return fixed if stdnum_iban.is_valid(fixed) else None


def _iban_at(upper: str, start: int, run: str) -> _Span | None:
    """The longest valid IBAN at the head of ``run``, ending where a word ends."""
    ends = [i + 1 for i, c in enumerate(run) if c != " "]
    for end in reversed(ends):
        after = upper[start + end : start + end + 1]
        compact = run[:end].replace(" ", "")
        if len(compact) < _IBAN_MIN or after.isalnum():
            continue
        value = _valid_iban(compact)
        if value is not None:
            return _Span(start, start + end, value)
    return None


# Cyrillic capitals OCR gives for the Latin letters and digits of an IBAN on a Russian page
# ("ЕЕЭО 1060 ..." for "EE30 1060 ..."): read as what they look like, kept only when the
# IBAN's checksum then holds.
_IBAN_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХЗЭБ", "ABEKMHOPCTYX336")


def _ibans(text: str) -> list[_Span]:
    """Valid IBANs in one line of text, in groups of four or not, in any letter case."""
    upper = "".join(c.upper() if len(c.upper()) == 1 else c for c in text)
    upper = upper.translate(_IBAN_LOOKALIKES)  # one letter for one: the spans stay in place
    found: list[_Span] = []
    for match in _IBAN_START.finditer(upper):
        if found and match.start() < found[-1].end:
            continue
        span = _iban_at(upper, match.start(), match.group(1))
        if span is not None:
            found.append(span)
    return found


# Names


def _anchored(line: _Line, hits: Sequence[labels.Hit], k: int) -> bool:
    """Whether name label ``k`` labels a value: it ends with ":" or begins its line."""
    hit = hits[k]
    before = hits[k - 1] if k else None
    if before is not None and before.end == hit.start and before.label.kind in _NOT_PERSONS:
        return False
    if hit.colon:
        return True
    roles = {i for h in hits[:k] if h.label.kind == labels.ROLE for i in range(h.start, h.end)}
    lead = [i for i in range(hit.start) if labels.normalise(line.words[i]) and i not in roles]
    return not lead or (lead == [0] and labels.is_numbering(line.words[0]))


def _value_start(words: Sequence[str], hit: labels.Hit) -> int:
    """The first word after a name label, past a rest of the label that ends with ":"."""
    start = hit.end
    if not hit.colon:
        for i in range(hit.end, min(hit.end + 4, len(words))):
            if any(c.isdigit() for c in words[i]):
                break
            if words[i].endswith(":"):
                start = i + 1
                break
    while start < len(words) and not labels.normalise(words[start]):
        start += 1
    return start


def _name_word(word: str) -> str | None:
    """``word`` without surrounding quotes and brackets when it can be part of a name."""
    word = word.lstrip(_NAME_STRIP_LEFT).rstrip(_NAME_STRIP_RIGHT)
    if not word or not word[0].isalpha() or word.endswith(":"):
        return None
    if all(c.isalpha() or c in "-'\u2019.," for c in word):
        return word
    return None


def _name_end(line: _Line, hits: Sequence[labels.Hit], start: int) -> int:
    """One past the last word of the name that starts at word ``start``."""
    stops = {h.start for h in hits if h.exact and h.label.kind in _NAME_STOPS}
    end = start
    while end < len(line.words) and end not in stops and _name_word(line.words[end]):
        if end > start and line.apart(end):
            break
        end += 1
    return end


def _name(line: _Line, hits: Sequence[labels.Hit], k: int) -> tuple[range, str] | None:
    """The name that name label ``k`` labels: its words and its value."""
    if not _anchored(line, hits, k):
        return None
    start = _value_start(line.words, hits[k])
    end = _name_end(line, hits, start)
    words = [w for w in (_name_word(x) for x in line.words[start:end]) if w]
    if not words or len(words) > _MAX_NAME_WORDS:
        return None
    words[-1] = words[-1].rstrip(",")
    if not any(sum(c.isalpha() for c in w) >= 2 for w in words):
        return None
    return range(start, end), " ".join(words)


# Lines to fields


@dataclass(frozen=True)
class _Context:
    """What a line's values need from around it: its page and section, and signatures near."""

    page: int
    section: str | None
    signed: bool


def _field(
    line: _Line, context: _Context, name: str, span: _Span, role: str | None
) -> tuple[int, Field]:
    box = line.box(line.words_of(span.start, span.end))
    return span.start, Field(name, span.value, context.page, box, role)


def _person_role(hits: Sequence[labels.Hit], index: int, context: _Context) -> str | None:
    return labels.role_before(hits, index) or context.section


def _date_role(hits: Sequence[labels.Hit], index: int, context: _Context) -> str | None:
    hit = labels.label_before(hits, index)
    if hit is None:
        return None
    if hit.label.kind == labels.SIGNATURE:
        return "signed"
    if hit.label.kind != labels.DATE:
        return None
    if hit.label.meaning is None:
        return "signed" if context.signed else None
    return hit.label.meaning


def _line_fields(
    line: _Line, hits: Sequence[labels.Hit], context: _Context, case_number: re.Pattern[str]
) -> list[tuple[int, Field]]:
    """Every field on one line, with the character it starts at."""
    found: list[tuple[int, Field]] = []
    ibans = _ibans(line.text)
    found += [_field(line, context, "iban", s, None) for s in ibans]
    for span in _line_codes(line, hits, ibans):
        role = _person_role(hits, line.words_of(span.start, span.end)[0], context)
        found.append(_field(line, context, "person_code", span, role))
    for date in find_dates(line.text):
        role = _date_role(hits, line.words_of(date.start, date.end)[0], context)
        found.append(_field(line, context, "date", _Span(date.start, date.end, date.iso), role))
    for match in case_number.finditer(line.text):
        if match.group(0):
            span = _Span(match.start(), match.end(), match.group(0))
            found.append(_field(line, context, "case_number", span, None))
    found += _line_names(line, hits, context)
    return sorted(found, key=lambda f: f[0])


def _line_names(
    line: _Line, hits: Sequence[labels.Hit], context: _Context
) -> list[tuple[int, Field]]:
    """The names beside name labels on one line, with the character each starts at."""
    found = []
    for k, hit in enumerate(hits):
        name = _name(line, hits, k) if hit.label.kind == labels.NAME else None
        if name is not None:
            words, value = name
            role = _person_role(hits, words[0], context)
            field = Field("name", value, context.page, line.box(words), role)
            found.append((line.starts[words[0]], field))
    return found


def _span(tokens: Sequence[Token]) -> tuple[float, float]:
    """The typical top and bottom of a line's words."""
    return statistics.median(t.box[1] for t in tokens), statistics.median(t.box[3] for t in tokens)


def _beside(row: Sequence[Token], tokens: Sequence[Token]) -> bool:
    """Whether ``tokens`` stand level with ``row`` and clear of its words, left or right."""
    (top, bottom), (other_top, other_bottom) = _span(row), _span(tokens)
    overlap = min(bottom, other_bottom) - max(top, other_top)
    if overlap < _LEVEL * min(bottom - top, other_bottom - other_top):
        return False
    left, right = min(t.box[0] for t in tokens), max(t.box[2] for t in tokens)
    return all(t.box[2] <= left or t.box[0] >= right for t in row)


def _rows(page: PageText) -> list[tuple[Token, ...]]:
    """The page's visual lines, top to bottom, each left to right.

    OCR may put a label and its value, far to its right, in lines of blocks of their own; lines
    level with each other and side by side make one visual line here.
    """
    rows: list[list[Token]] = []
    for tokens in page.lines():
        row = next((r for r in reversed(rows[-_LOOK_BACK:]) if _beside(r, tokens)), None)
        if row is None:
            rows.append(list(tokens))
        else:
            row.extend(tokens)
    rows.sort(key=lambda r: _span(r)[0])
    return [tuple(sorted(r, key=lambda t: t.box[0])) for r in rows]


def _page_lines(page: PageText) -> list[_Line]:
    """The page's visual lines; its text's lines, each as big as the page, without words."""
    grouped = _rows(page)
    if grouped:
        return [_Line.of([t.text for t in ts], [t.box for t in ts]) for ts in grouped]
    whole = (0, 0, page.width, page.height)
    return [_Line.of_text(row, whole) for row in page.text.splitlines() if row.strip()]


def _page_fields(
    page: PageText, section: str | None, case_number: re.Pattern[str]
) -> tuple[list[Field], str | None]:
    """The fields of one page, and the section in force at its end."""
    lines = _page_lines(page)
    hits = [labels.scan(line.words) for line in lines]
    signatures = [
        i for i, found in enumerate(hits) if any(h.label.kind == labels.SIGNATURE for h in found)
    ]
    fields: list[Field] = []
    for i, line in enumerate(lines):
        section = labels.section_after(line.words, hits[i], section)
        signed = any(abs(i - s) <= 2 for s in signatures)
        context = _Context(page.number, section, signed)
        fields += [f for _, f in _line_fields(line, hits[i], context, case_number)]
    return fields, section


@functools.lru_cache(maxsize=16)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def extract_fields(pages: Sequence[PageText], *, case_number_pattern: str) -> tuple[Field, ...]:
    """Every field on ``pages``, each (name, value) once: where it first occurs, in order.

    Args:
        pages: A document's pages, in order; a section begun on one page goes on into the next.
        case_number_pattern: A regular expression for the office's case numbers.

    Returns:
        Person codes, IBANs, dates, case numbers and names, in reading order.
    """
    case_number = _compiled(case_number_pattern)
    fields: list[Field] = []
    seen: set[tuple[str, str]] = set()
    section: str | None = None
    for page in pages:
        found, section = _page_fields(page, section, case_number)
        for field in found:
            if (field.name, field.value) not in seen:
                seen.add((field.name, field.value))
                fields.append(field)
    return tuple(fields)
