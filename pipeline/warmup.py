"""One made-up capture read end to end, in memory, before a worker gives up root.

Reading a scan loads more than its modules: Tesseract's data for each language set, the
fonts of the searchable PDF, python-stdnum's tables, codecs, modules that libraries import
on first use.  Where the project lies in a folder the service account cannot enter, none of
that could be loaded after the drop; here it is loaded while it still can be, and the worker
learns at start, not at the first client's scan, whether its engine works.
"""

from __future__ import annotations

import asyncio
import io
import logging
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from classifiers.model import TypeModel
from config.settings import ProcessConfig
from pipeline.engines.base import OcrEngine
from pipeline.report import capture_json, ocr_json
from pipeline.run import process_capture
from pipeline.stages.searchable import write_searchable_pdf

log = logging.getLogger(__name__)
_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# A made-up client: the code and the account number are the standards' own examples.
_PAGES = (
    (
        "AVALDUS",
        "Isikukood: 37605030299",
        "Arvelduskonto EE382200221020145685",
        "Kuupäev 12. märts 2024, Tallinn",
        "Allkiri: ____________",
        "Lk 1/2",
    ),
    (
        "ЗАЯВЛЕНИЕ",
        "Личный код: 37605030299",
        "Расчётный счёт EE382200221020145685",
        "Дата 12 марта 2024",
        "Подпись: ____________",
        "Стр. 2 из 2",
    ),
)


def sample_pdf(dpi: int = 200) -> bytes:
    """Two A5 pages of printed text, one Estonian and one Russian, as a scanner's PDF."""
    width, height = int(5.8 * dpi), int(8.3 * dpi)
    font = ImageFont.truetype(str(_FONT), size=dpi // 6) if _FONT.exists() else None
    pages = []
    for lines in _PAGES:
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        for row, line in enumerate(lines):
            draw.text((dpi // 2, dpi // 2 + row * dpi // 3), line, fill=0, font=font)
        pages.append(page)
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out.getvalue()


def warm_up(*, engine: OcrEngine, config: ProcessConfig, model: TypeModel | None) -> float:
    """Process the sample as a worker would, searchable PDF and OCR JSON included; seconds."""
    start = time.perf_counter()
    processed = process_capture(sample_pdf(), engine=engine, config=config, model=model)
    pages = processed.result.pages
    with tempfile.TemporaryDirectory(prefix="intake-warmup-") as folder:
        if pages:
            write_searchable_pdf(processed.images, [p.ocr for p in pages], Path(folder) / "x.pdf")
    ocr_json(processed.result, engine=engine.name)
    capture_json(processed.result, file="warm-up")
    seconds = time.perf_counter() - start
    log.info("warmed up on a made-up capture of %d pages in %.1f s", len(pages), seconds)
    return seconds


def warm_up_app(app: Callable[..., Awaitable[None]], paths: tuple[str, ...]) -> int:
    """Send each GET of ``paths`` through the ASGI ``app`` in memory; how many answered.

    The first request of a FastAPI app imports the event loop's and the thread pool's
    parts (anyio's backends) and builds its handlers: done here while they can be read.
    """
    answered = 0

    async def one(path: str) -> None:
        nonlocal answered
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
            "query_string": b"", "root_path": "", "headers": [(b"host", b"warm-up")],
            "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 0),
        }  # fmt: skip

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, object]) -> None:
            nonlocal answered
            if message["type"] == "http.response.start":
                answered += 1

        await app(scope, receive, send)

    async def all_of_them() -> None:
        for path in paths:
            await one(path)

    asyncio.run(all_of_them())
    return answered
