"""``intake bench --real DIR``: intake, OCRmyPDF and Tesseract on real public scans.

Each cached page is one single-page document of a :class:`~pipeline.bench.corpus.Corpus`,
so every tool runs exactly as in the generated bench (:func:`pipeline.bench.tools.run_tool`).
Beside CER (which needs the truth's reading order) the bag-of-words error ignores order:
FUNSD's truth is word boxes put into lines here, and multi-column truth may order columns
differently from a reader.  Upright pages are turned by known angles for orientation and
skew; real pages have a skew of their own, so skew error is also given against intake's
reading of the same page upright.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from config.settings import ProcessConfig
from pipeline.bench.corpus import BenchDocument, BenchPage, Corpus
from pipeline.bench.metrics import (
    ILLEGIBLE_REASONS,
    UNSIGNED,
    DocumentTruth,
    Prediction,
    cer,
    normalise,
)
from pipeline.bench.real import TRUTH_NONE, RealCorpus, RealPage
from pipeline.bench.tools import ToolRun, run_tool
from pipeline.corpus import PageTruth

TURNS = (90, 180, 270)
SKEWS = (3.0, -2.0)
_GUESSED_WIDTH_INCHES = 8.3
"""A page without a recorded resolution is taken as A4/letter wide to give Tesseract a dpi."""


def bag_of_words_error(predicted: str, truth: str) -> float | None:
    """1 - F1 of the two multisets of words: 0 when the same words, in any order."""
    ours, theirs = Counter(normalise(predicted).split()), Counter(normalise(truth).split())
    total = sum(ours.values()) + sum(theirs.values())
    if not theirs:
        return None
    return 1 - 2 * sum((ours & theirs).values()) / total


@dataclass(frozen=True)
class Variant:
    """A page as a tool is given it: the cached page, perhaps turned and skewed."""

    page: RealPage
    rotation: int = 0
    skew_degrees: float = 0.0

    @property
    def label(self) -> str:
        """The page's name with what was done to it."""
        turned = f"@{self.rotation}" if self.rotation != self.page.rotation else ""
        return self.page.name + turned + (f"~{self.skew_degrees:+g}" if self.skew_degrees else "")


def turned_variants(pages: Sequence[RealPage]) -> list[Variant]:
    """Every upright page turned by each of :data:`TURNS` and skewed by each of :data:`SKEWS`."""
    upright = [p for p in pages if p.rotation == 0]
    return [Variant(p, rotation=r) for p in upright for r in TURNS] + [
        Variant(p, skew_degrees=s) for p in upright for s in SKEWS
    ]


def variant_image(variant: Variant) -> Image.Image:
    """The page turned clockwise by its extra rotation and skewed counter-clockwise."""
    with Image.open(variant.page.png) as image:
        out = image.convert("RGB") if image.mode not in ("L", "RGB") else image.copy()
    extra = (variant.rotation - variant.page.rotation) % 360
    if extra:
        out = out.rotate(-extra, expand=True)
    if variant.skew_degrees:
        white = 255 if out.mode == "L" else (255, 255, 255)
        out = out.rotate(variant.skew_degrees, expand=True, fillcolor=white)
    return out


def _dpi(image: Image.Image, rotation: int) -> int:
    dpi = image.info.get("dpi")
    if isinstance(dpi, tuple) and dpi and float(dpi[0]) > 1:
        return round(float(dpi[0]))
    short = image.height if rotation in (90, 270) else image.width
    return max(70, min(600, round(short / _GUESSED_WIDTH_INCHES)))


def build_corpus(variants: Sequence[Variant], folder: Path) -> Corpus:
    """Each variant as a one-page document: its PNG (intake, Tesseract) and PDF (OCRmyPDF)."""
    folder.mkdir(parents=True, exist_ok=True)
    documents = []
    for index, variant in enumerate(variants):
        with Image.open(variant.page.png) as original:
            dpi = _dpi(original, variant.page.rotation)
        image = variant_image(variant)
        png, pdf = folder / f"real{index:04d}.png", folder / f"real{index:04d}.pdf"
        image.save(png, dpi=(dpi, dpi))
        image.save(pdf, "PDF", resolution=float(dpi), quality=95)
        truth = PageTruth(
            text=variant.page.truth,
            language="",
            rotation=variant.rotation,
            skew_degrees=variant.skew_degrees,
            blank=False,
        )
        page = BenchPage(document=index, number=1, dpi=dpi, png=png, truth=truth)
        documents.append(
            BenchDocument(
                index=index,
                file=png,
                fmt="png",
                pdf=pdf,
                document_type="unknown",
                language="",
                font="",
                overlays=False,
                duplex=False,
                pages=(page,),
                truth=DocumentTruth(
                    document_type="unknown",
                    pages=(truth,),
                    signed=bool(variant.page.signed),
                    reasons=frozenset({UNSIGNED}) if variant.page.signed is False else frozenset(),
                ),
                rendered_pages=1,
            )
        )
    return Corpus(seed=0, documents=tuple(documents))


def refused(tool: str, guess: Prediction) -> bool:
    """Whether the tool gave nothing usable for the page.

    It failed, read nothing, or (intake) sent the page to review as unreadable.
    """
    if guess.failed or not normalise(guess.text):
        return True
    return tool.startswith("intake") and any(r in ILLEGIBLE_REASONS for r in guess.reasons)


@dataclass
class PageResult:
    """What each tool made of one page."""

    corpus: str
    label: str
    cer: dict[str, float | None] = field(default_factory=dict)
    bow: dict[str, float | None] = field(default_factory=dict)
    refused: dict[str, bool] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    rotation: tuple[int, int | None] = (0, None)
    skew: tuple[float, float | None] = (0.0, None)
    signed: bool | None = None
    unsigned_flagged: bool | None = None


def page_results(
    corpus_name: str, variants: Sequence[Variant], runs: Sequence[ToolRun]
) -> list[PageResult]:
    """One row per page from the tools' runs over :func:`build_corpus` of ``variants``."""
    results = []
    for i, variant in enumerate(variants):
        row = PageResult(corpus_name, variant.label, signed=variant.page.signed)
        row.rotation = (variant.rotation, None)
        row.skew = (variant.skew_degrees, None)
        for run in runs:
            guess = run.predictions[i]
            row.cer[run.tool] = cer(guess.text, variant.page.truth)
            row.bow[run.tool] = bag_of_words_error(guess.text, variant.page.truth)
            row.refused[run.tool] = refused(run.tool, guess)
            if run.tool.startswith("intake"):
                row.reasons = sorted(guess.reasons)
                row.rotation = (variant.rotation, guess.rotation)
                row.skew = (variant.skew_degrees, guess.skew_degrees)
                # Whether UNSIGNED would be raised, had the page's type needed a signature:
                # real pages are of no type of ours, so the stage's own answer is taken.
                row.unsigned_flagged = guess.signed is not True
                if run.documents is not None:
                    doc = run.documents[i]
                    row.reasons = sorted({*row.reasons, *(c for c, _ in doc.reasons)})
        results.append(row)
    return results


def run_corpus(
    corpus: RealCorpus,
    tools: Sequence[str],
    folder: Path,
    *,
    jobs: int,
    config: ProcessConfig,
    limit: int | None = None,
    turned: int = 0,
) -> tuple[list[PageResult], list[PageResult], dict[str, float]]:
    """The pages read by every tool, ``turned`` upright pages turned read by intake, seconds."""
    pages = list(corpus.pages)
    if limit is not None:
        pages = pages[:limit]
    plain = [Variant(p, rotation=p.rotation) for p in pages]
    bench = build_corpus(plain, folder / corpus.name)
    runs = [run_tool(t, bench, jobs=jobs, config=config) for t in tools]
    seconds = {r.tool: r.seconds for r in runs}
    rows = page_results(corpus.name, plain, runs)
    turned_rows: list[PageResult] = []
    if turned and corpus.truth_kind != TRUTH_NONE:
        variants = turned_variants(pages[:turned])
        if variants:
            bench_turned = build_corpus(variants, folder / f"{corpus.name}-turned")
            intake = run_tool("intake-verdict", bench_turned, jobs=jobs, config=config)
            turned_rows = page_results(corpus.name, variants, [intake])
    return rows, turned_rows, seconds


def _stat(values: Sequence[float | None], how: str) -> float | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return statistics.fmean(known) if how == "mean" else statistics.median(known)


def summary_rows(
    corpus: str, rows: Sequence[PageResult], seconds: dict[str, float]
) -> list[dict[str, Any]]:
    """Per tool: CER mean and median, bag-of-words error, pages refused, seconds."""
    return [
        {
            "corpus": corpus,
            "tool": tool,
            "pages": len(rows),
            "cer_mean": _stat([r.cer[tool] for r in rows], "mean"),
            "cer_median": _stat([r.cer[tool] for r in rows], "median"),
            "bow_mean": _stat([r.bow[tool] for r in rows], "mean"),
            "refused": sum(r.refused[tool] for r in rows),
            "seconds": round(seconds.get(tool, 0.0), 1),
        }
        for tool in seconds
    ]


def orientation_summary(
    rows: Sequence[PageResult], upright: Sequence[PageResult]
) -> dict[str, Any]:
    """Orientation accuracy over turned pages, and skew MAE of the skewed ones.

    The skew error is against the added angle, and against it plus intake's reading of the
    same page upright (the page's own skew).
    """
    own = {r.label: r.skew[1] for r in upright}
    turns = [r for r in rows if not r.skew[0]]
    skews = [r for r in rows if r.skew[0]]
    absolute = [abs((r.skew[1] or 0.0) - r.skew[0]) for r in skews]
    relative = [
        abs((r.skew[1] or 0.0) - r.skew[0] - (own.get(r.label.split("~")[0]) or 0.0)) for r in skews
    ]
    return {
        "turned_pages": len(turns),
        "orientation_accuracy": sum(r.rotation[0] == r.rotation[1] for r in turns) / len(turns)
        if turns
        else None,
        "skewed_pages": len(skews),
        "skew_mae": statistics.fmean(absolute) if absolute else None,
        "skew_mae_vs_upright": statistics.fmean(relative) if relative else None,
    }


def signature_summary(rows: Sequence[PageResult]) -> dict[str, Any] | None:
    """UNSIGNED precision and recall over pages whose signedness is known."""
    known = [r for r in rows if r.signed is not None and r.unsigned_flagged is not None]
    if not known:
        return None
    tp = sum(bool(r.unsigned_flagged and not r.signed) for r in known)
    fp = sum(bool(r.unsigned_flagged and r.signed) for r in known)
    fn = sum(bool(not r.unsigned_flagged and not r.signed) for r in known)
    return {
        "pages": len(known),
        "unsigned": sum(not r.signed for r in known),
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
    }
