"""The searchable PDF: the scans at their physical size, with OCR's words as a findable layer.

It is built a part of pages at a time, so the tests run on one part and on parts joined.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from PIL import Image

from pipeline.engines import make_engine
from pipeline.model import PageImage, PageOcr, PageScan
from pipeline.stages.pixels import assumed_dpi
from pipeline.stages.searchable import PAGES_PER_PART, scan_of, write_searchable_pdf
from tests.fixtures.processes import REPO
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
    """The pages as the PDF takes them, what OCR read on them, and the PDF written from both."""

    pages: tuple[PageScan, ...]
    ocr: tuple[PageOcr, ...]
    path: Path


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def scan(image: Image.Image, *, number: int = 1, dpi: int | None = None) -> PageScan:
    """The image as the PDF takes it (JPEG); the image is closed."""
    try:
        return scan_of(PageImage(number=number, image=image, dpi=dpi))
    finally:
        image.close()


@pytest.fixture(scope="module")
def read() -> tuple[tuple[PageScan, ...], tuple[PageOcr, ...]]:
    """Two rendered pages, OCR'd once by the real engine."""
    images = [render(lines, size) for lines, size, _ in (PAGE_ONE, PAGE_TWO)]
    engine = make_engine()
    try:
        ocr = tuple(
            engine.recognise(image, languages=LANGUAGES, dpi=dpi)
            for image, (_, _, dpi) in zip(images, (PAGE_ONE, PAGE_TWO), strict=True)
        )
    finally:
        engine.close()
    pages = tuple(
        scan(image, number=n, dpi=dpi)
        for n, (image, (_, _, dpi)) in enumerate(zip(images, (PAGE_ONE, PAGE_TWO), strict=True), 1)
    )
    return pages, ocr


@pytest.fixture(
    scope="module",
    params=[pytest.param(PAGES_PER_PART, id="one-part"), pytest.param(1, id="a-part-a-page")],
)
def built(
    request: pytest.FixtureRequest,
    read: tuple[tuple[PageScan, ...], tuple[PageOcr, ...]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Built:
    """The two pages as a searchable PDF on disk, written as one part, or joined from two."""
    pages, ocr = read
    path = tmp_path_factory.mktemp("searchable") / "out.pdf"
    write_searchable_pdf(pages, ocr, path, pages_per_part=request.param)
    return Built(pages=pages, ocr=ocr, path=path)


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
    page = scan(render(("Ilma tekstita",), (600, 300)))

    # When the PDF is built
    path = tmp_path / "image-only.pdf"
    write_searchable_pdf([page], [None], path)

    # Then the page is sized at the resolution every stage assumes for an image that records
    # none (its shorter side an A4 page's width, at least 40 dpi), with no text to extract
    dpi = assumed_dpi((600, 300))
    assert page_sizes(path) == pytest.approx([600 * 72 / dpi, 300 * 72 / dpi], abs=0.01)
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
    grey = render(("Värviline skann",), (600, 300))
    page = scan(grey.convert("RGB"), dpi=150)
    grey.close()
    path = tmp_path / "colour.pdf"

    # When the PDF is built
    write_searchable_pdf([page], [None], path)

    # Then the file passes PDF/A-2b validation
    report = pikepdf.pdfa.validate_written(path, "2b")
    assert report.passed, report.summary()


def test_each_page_embeds_its_jpeg_as_it_is(built: Built, tmp_path: Path) -> None:
    # When the page images are taken out of the PDF as they are stored
    run("pdfimages", "-j", str(built.path), str(tmp_path / "image"))
    stored = [p.read_bytes() for p in sorted(tmp_path.glob("image-*.jpg"))]

    # Then they are the pages' JPEGs byte for byte: not decoded, not encoded again
    assert stored == [page.jpeg for page in built.pages]


def test_pages_showing_the_same_share_one_image(tmp_path: Path) -> None:
    # Given three pages, the first and the last the same (two blank backs, say)
    blank, text = Image.new("L", (600, 800), 255), render(("Lk 2",), (600, 800))
    pages = [scan(blank.copy(), number=1), scan(text, number=2), scan(blank, number=3)]

    # When the PDF is built
    path = tmp_path / "backs.pdf"
    write_searchable_pdf(pages, [None, None, None], path)

    # Then pages 1 and 3 show one stored image, page 2 another
    rows = [line.split() for line in run("pdfimages", "-list", str(path)).splitlines()[2:]]
    objects = [row[10] for row in rows]
    assert len(objects) == 3
    assert objects[0] == objects[2] != objects[1]


def test_a_pdf_without_pages_is_refused(tmp_path: Path) -> None:
    # When a PDF of no page is asked for, then it is refused and nothing is written
    with pytest.raises(ValueError, match="page"):
        write_searchable_pdf([], [], tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()


# A child process builds a long PDF and prints its peak memory (KB) before and after.
_LONG_PDF = """
import resource, sys
from pathlib import Path
from PIL import Image
from pipeline.model import PageImage
from pipeline.stages.searchable import scan_of, write_searchable_pdf

pages = []
for number in range(1, PAGES + 1):
    # A 300 dpi A4 page, each different, so that no page shares another's image
    with Image.new("L", (2480, 3508), 255) as image:
        image.paste(0, (number * 20, 100, number * 20 + 15, 300))
        pages.append(scan_of(PageImage(number, image, 300)))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
write_searchable_pdf(pages, [None] * len(pages), Path(sys.argv[1]))
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_a_long_pdf_takes_the_memory_of_a_part_not_of_every_page(tmp_path: Path) -> None:
    # Given 80 distinct 300 dpi pages (about 9 MB each decoded, 26 MB as RGB), as JPEG
    pages = 80

    # When a child process builds their PDF, noting its peak memory before and after
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(_LONG_PDF).replace("PAGES", str(pages)),
            str(tmp_path / "long.pdf"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    before, after = (int(v) // 1024 for v in done.stdout.split())

    # Then the PDF has every page, and building it took less than 10 decoded pages more
    assert re.search(rf"^Pages:\s+{pages}$", run("pdfinfo", str(tmp_path / "long.pdf")), re.M)
    assert after - before < 100, f"{after - before} MB more to build {pages} pages"
