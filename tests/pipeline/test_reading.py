"""Words are read as a person reads them: a form along its lines, columns one after the other."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from pipeline.corpus import fonts
from pipeline.engines.base import OcrEngine
from pipeline.engines.reading import reading_lines
from pipeline.model import Word

LEFT = [
    "Taotleja elab alates kevadest",
    "välisriigis ja töötab seal",
    "osalise tööajaga ning soovib",
    "et pension makstakse edaspidi",
    "tema uuele pangakontole ilma",
    "täiendava taotluseta igal kuul",
]
RIGHT = [
    "Заявитель проживает за рубежом",
    "и просит перечислять пенсию",
    "на новый банковский счёт без",
    "отдельного заявления каждый",
    "месяц начиная со следующего",  # noqa: RUF001 (Russian, not look-alikes)
    "месяца после подачи заявления",
]


def _page(left: list[str], right: list[str], *, right_x: int) -> Image.Image:
    image = Image.new("L", (2480, 1200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(fonts()[0], 42)
    for row, (a, b) in enumerate(zip(left, right, strict=True)):
        draw.text((150, 150 + 80 * row), a, font=font, fill=0)
        draw.text((right_x, 150 + 80 * row), b, font=font, fill=0)
    return image


def test_two_columns_of_running_text_are_read_one_after_the_other(engine: OcrEngine) -> None:
    # Given a page of two text columns whose lines lie at the same heights
    image = _page(LEFT, RIGHT, right_x=1330)
    # When it is read
    text = engine.recognise(image, languages="est+rus", dpi=300).text
    lines = text.splitlines()
    # Then no line joins the two columns, and the whole left column comes first
    assert not [line for line in lines if "ja" in line.split() and "и" in line.split()]
    assert len(lines) >= 12
    assert all(not any("\u0400" <= c <= "\u04ff" for c in line) for line in lines[:6])
    assert all(any("\u0400" <= c <= "\u04ff" for c in line) for line in lines[6:12])


def test_a_forms_labels_and_values_are_read_along_their_lines(engine: OcrEngine) -> None:
    # Given a form whose labels stand far to the left of their values
    labels = ["Nimi:", "Isikukood:", "Aadress:", "Telefon:", "Pank:", "Kuupäev:"]
    values = ["Mari Mägi", "49403136526", "Kalda 7-5, Tartu", "+372 5555 1234", "LHV", "17.07.2025"]
    image = _page(labels, values, right_x=900)
    # When it is read
    lines = engine.recognise(image, languages="est", dpi=300).text.splitlines()
    # Then each line holds a label and then its value
    assert lines[0].startswith("Nimi:") and lines[0].endswith("Mari Mägi")
    assert lines[1] == "Isikukood: 49403136526"
    assert len(lines) == 6


def _word(text: str, x: int, y: int, *, block: int, line: int) -> Word:
    return Word(text, 0.9, (x, y, x + 60, y + 30), block=block, paragraph=block, line=line)


def test_blocks_side_by_side_are_one_region_unless_both_are_running_text() -> None:
    # Given a labels block beside a values block, and below them two columns of prose
    form = [_word("Nimi:", 0, 0, block=1, line=1), _word("Pank:", 0, 50, block=1, line=2)]
    form += [_word("Mari", 500, 0, block=2, line=3), _word("LHV", 500, 50, block=2, line=4)]
    prose = []
    for row in range(3):
        prose += [
            _word(f"a{row}{i}", 70 * i, 200 + 50 * row, block=3, line=5 + row) for i in range(5)
        ]
        prose += [
            _word(f"b{row}{i}", 600 + 70 * i, 200 + 50 * row, block=4, line=9 + row)
            for i in range(5)
        ]
    # When they are put in reading order
    lines = [" ".join(w.text for w in line) for line in reading_lines(form + prose)]
    # Then the form is read along its lines, the columns one after the other
    assert lines[:2] == ["Nimi: Mari", "Pank: LHV"]
    assert lines[2:] == [
        *(" ".join(f"a{row}{i}" for i in range(5)) for row in range(3)),
        *(" ".join(f"b{row}{i}" for i in range(5)) for row in range(3)),
    ]


def _lines(words: list[Word]) -> list[str]:
    return [" ".join(w.text for w in line) for line in reading_lines(words)]


def _side_by_side(left: list[str], right: list[str]) -> list[Word]:
    """A block of one word a line beside another, their lines level, 50 px apart."""
    words = [_word(t, 0, 50 * n, block=1, line=1 + n) for n, t in enumerate(left)]
    words += [_word(t, 500, 50 * n, block=2, line=100 + n) for n, t in enumerate(right)]
    return words


def test_a_tables_cells_of_two_lines_are_read_cell_by_cell() -> None:
    # Given a table row whose cells Tesseract gave as blocks of two lines each, side by side
    cells = _side_by_side(["Tim", "Ben"], ["4355", "4322"])
    # When they are put in reading order
    lines = _lines(cells)
    # Then each cell is read whole, in Tesseract's order, as a person reads a table's cells
    assert lines == ["Tim", "Ben", "4355", "4322"]


def test_labels_ending_in_a_colon_are_read_with_their_values_however_few() -> None:
    # Given two labels in one block and their values in another, level with them
    form = _side_by_side(["Pank:", "IBAN:"], ["LHV", "EE38"])
    # When they are put in reading order
    lines = _lines(form)
    # Then each label is followed by its value on its line
    assert lines == ["Pank: LHV", "IBAN: EE38"]


def test_line_numbers_in_the_margin_stay_a_column_of_their_own() -> None:
    # Given a transcript: a block per line number down the margin, the text a block beside
    numbers = [_word(str(n), 0, 50 * n, block=n, line=n) for n in range(1, 5)]
    text = [
        _word(f"w{n}{i}", 200 + 70 * i, 50 * n, block=9, line=10 + n)
        for n in range(1, 5)
        for i in range(4)
    ]
    # When they are put in reading order
    lines = _lines(numbers + text)
    # Then the numbers come first, each alone, and the text's lines follow unbroken
    assert lines[:4] == ["1", "2", "3", "4"]
    assert lines[4:] == [" ".join(f"w{n}{i}" for i in range(4)) for n in range(1, 5)]


def test_a_column_of_labels_beside_a_column_of_values_is_read_along_its_rows() -> None:
    # Given a column of three labels without colons beside a column of values, level
    form = _side_by_side(["Nimi", "Kood", "Pank"], ["Mari", "49", "LHV"])
    # When they are put in reading order
    lines = _lines(form)
    # Then the rows are read across
    assert lines == ["Nimi Mari", "Kood 49", "Pank LHV"]
