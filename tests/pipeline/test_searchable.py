"""searchable_pdf: the scans at their physical size, with the OCR words as a findable text layer."""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from PIL import Image

from pipeline.engines import make_engine
from pipeline.model import PageImage, PageOcr
from pipeline.stages.searchable import searchable_pdf
from tests.fixtures.records import text_page

LANGUAGES = "est+rus+eng"

# Each page: its lines, its size in pixels and its resolution.
PAGE_ONE = (("Pärnu Jõgeva Võru", "Türi köögivili 2024"), (1500, 600), 300)
PAGE_TWO = (("Пенсия Tallinn", "Tartu Haapsalu"), (1000, 500), 200)
ESTONIAN_WORDS = ("Pärnu", "Jõgeva", "Võru", "Türi", "köögivili")
CYRILLIC_WORD = "Пенсия"


def render(lines: tuple[str, ...], size: tuple[int, int]) -> Image.Image:
    """A white page with ``lines`` in black DejaVu Sans, large enough to read reliably."""
    return text_page(lines, size, font_size=56, margin=80, line_height=110)


@dataclass(frozen=True)
class Built:
    """The rendered pages, what OCR read on them, and the PDF written from both."""

    pages: tuple[PageImage, ...]
    ocr: tuple[PageOcr, ...]
    path: Path


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """Two rendered pages, OCR'd once by the real engine, as a searchable PDF on disk."""
    pages = tuple(
        PageImage(number=n, image=render(lines, size), dpi=dpi)
        for n, (lines, size, dpi) in enumerate((PAGE_ONE, PAGE_TWO), 1)
    )
    engine = make_engine()
    try:
        ocr = tuple(engine.recognise(p.image, languages=LANGUAGES, dpi=p.dpi) for p in pages)
    finally:
        engine.close()
    path = tmp_path_factory.mktemp("searchable") / "out.pdf"
    path.write_bytes(searchable_pdf(pages, ocr))
    yield Built(pages=pages, ocr=ocr, path=path)
    for page in pages:
        page.image.close()


def page_sizes(pdf: Path) -> list[float]:
    """Every page's width and height in points, as pdfinfo reports them, one after another."""
    info = run("pdfinfo", "-f", "1", "-l", "1000", str(pdf))
    found = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE)
    return [float(v) for pair in found for v in pair]


def test_the_ocr_read_the_rendered_words(built: Built) -> None:
    # Then OCR itself read the words the checks below look for in the PDF
    assert all(word in built.ocr[0].text for word in ESTONIAN_WORDS)
    assert CYRILLIC_WORD in built.ocr[1].text


def test_the_pdf_has_one_page_per_scan(built: Built) -> None:
    # When pdfinfo reads the PDF
    info = run("pdfinfo", str(built.path))

    # Then it has two pages and is not encrypted
    assert re.search(r"^Pages:\s+2$", info, re.MULTILINE)
    assert re.search(r"^Encrypted:\s+no$", info, re.MULTILINE)


def test_each_page_has_the_physical_size_of_its_scan(built: Built) -> None:
    # Given pages of 1500x600 px at 300 dpi and 1000x500 px at 200 dpi
    expected = [side * 72 / dpi for _, size, dpi in (PAGE_ONE, PAGE_TWO) for side in size]

    # When pdfinfo reports their sizes
    sizes = page_sizes(built.path)

    # Then each is pixels * 72 / dpi points (360x144 and 360x180)
    assert sizes == pytest.approx(expected, abs=0.01)


def test_pdftotext_finds_the_ocr_words(built: Built) -> None:
    # When the text layer is extracted page by page
    first = run("pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", str(built.path), "-")
    second = run("pdftotext", "-f", "2", "-l", "2", "-enc", "UTF-8", str(built.path), "-")

    # Then each page carries its own words, Estonian letters and Cyrillic intact
    for word in ESTONIAN_WORDS:
        assert word in first
    assert CYRILLIC_WORD in second
    assert CYRILLIC_WORD not in first
    assert "Jõgeva" not in second


def test_the_text_layer_lies_over_the_words_in_the_image(built: Built) -> None:
    # Given where OCR found "Jõgeva" on page 1, in pixels
    word = next(w for w in built.ocr[0].words if w.text == "Jõgeva")
    scale = 72 / 300
    x0, y0, x1, y1 = (v * scale for v in word.box)

    # When pdftotext reports where the word lies on the PDF page, in points
    layout = run("pdftotext", "-f", "1", "-l", "1", "-bbox", str(built.path), "-")
    boxes = {
        html.unescape(text): tuple(float(v) for v in box)
        for *box, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
            layout,
        )
    }
    box = boxes["Jõgeva"]

    # Then the invisible word spans the same width and sits on the same line
    assert box[0] == pytest.approx(x0, abs=2.0)
    assert box[2] == pytest.approx(x1, abs=2.0)
    assert box[1] < y1
    assert box[3] > y0


def test_a_page_without_ocr_has_no_text(tmp_path: Path) -> None:
    # Given one page whose OCR is missing
    image = render(("Ilma tekstita",), (600, 300))
    page = PageImage(number=1, image=image, dpi=None)

    # When the PDF is built
    path = tmp_path / "image-only.pdf"
    path.write_bytes(searchable_pdf([page], [None]))
    image.close()

    # Then the page is there at the default 300 dpi size, with no text to extract
    assert page_sizes(path) == pytest.approx([144.0, 72.0], abs=0.01)
    assert run("pdftotext", str(path), "-").strip() == ""


def test_the_pdf_is_valid_pdf_a_2b(built: Built) -> None:
    # When the written file is validated as PDF/A-2b, and its XMP and fonts are read
    report = pikepdf.pdfa.validate_written(built.path, "2b")
    with pikepdf.open(built.path) as pdf:
        meta = pdf.open_metadata()
        part, conformance = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
        intents = [str(intent.get("/S")) for intent in pdf.Root.get("/OutputIntents", [])]
    fonts = run("pdffonts", str(built.path)).splitlines()[2:]

    # Then it passes, declares itself 2b with an sRGB output intent, and embeds every font
    assert report.passed, report.summary()
    assert (part, conformance) == ("2", "B")
    assert intents == ["/GTS_PDFA1"]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)


def test_a_colour_scan_is_valid_pdf_a_2b_too(tmp_path: Path) -> None:
    # Given an RGB page, as a colour scanner delivers it
    image = render(("Värviline skann",), (600, 300)).convert("RGB")
    path = tmp_path / "colour.pdf"

    # When the PDF is built
    path.write_bytes(searchable_pdf([PageImage(number=1, image=image, dpi=150)], [None]))
    image.close()

    # Then the file passes PDF/A-2b validation
    report = pikepdf.pdfa.validate_written(path, "2b")
    assert report.passed, report.summary()
