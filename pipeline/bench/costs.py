"""What each stage of intake's timed path costs: seconds of one core per page.

The pipeline times its own stages (``timings_ms`` of ``intake process --json``); the bench's
intake path adds the archive's two, the searchable PDF/A and the OCR JSON.  The times are
summed over every document and every process and divided by the corpus's pages (blank backs
included), so they add up to the cores' busy time per page, not to the wall clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

STAGES: tuple[tuple[str, str], ...] = (
    ("rasterise", "rasterise (decode, render)"),
    ("clean", "clean (borders, blank test)"),
    ("orient", "orient (OSD, line direction)"),
    ("deskew", "deskew"),
    ("declutter", "declutter (rules, stamps, ink)"),
    ("ocr", "OCR (Tesseract)"),
    ("keep", "keep (page JPEG for the archive)"),
    ("classify", "classify type"),
    ("fields", "extract fields"),
    ("signature", "signature check"),
)
"""The pipeline's stages as ``process_capture`` names them in ``timings_ms``, and labels."""
ARCHIVE: tuple[tuple[str, str], ...] = (
    ("pdfa", "searchable PDF/A (+SHA-256)"),
    ("ocr_json", "OCR JSON (+SHA-256)"),
)
OTHER = "other (page text, markers, verdict)"


@dataclass(frozen=True)
class StageCost:
    """One stage: seconds of one core per page, and its share of the whole path."""

    stage: str
    label: str
    seconds_per_page: float
    share: float


def stage_costs(stages_ms: Mapping[str, float], pages: int) -> list[StageCost]:
    """The cost of each stage and of the whole path (last), from the summed ``timings_ms``.

    What ``process_capture``'s total holds beyond its named stages is "other"; a stage the
    pipeline does not know yet is listed under its own name.
    """
    if pages < 1 or not stages_ms:
        return []
    known = {key for key, _ in (*STAGES, *ARCHIVE)} | {"total"}
    pipeline_total = stages_ms.get("total", 0.0)
    archive_total = sum(stages_ms.get(key, 0.0) for key, _ in ARCHIVE)
    whole = pipeline_total + archive_total
    parts: list[tuple[str, str, float]] = [
        (key, label, stages_ms.get(key, 0.0)) for key, label in STAGES if key in stages_ms
    ]
    parts += [(key, key, ms) for key, ms in sorted(stages_ms.items()) if key not in known]
    inside = sum(ms for _, _, ms in parts)
    parts.append(("other", OTHER, max(0.0, pipeline_total - inside)))
    parts += [(key, label, stages_ms.get(key, 0.0)) for key, label in ARCHIVE if key in stages_ms]
    parts.append(("all", "all", whole))
    return [
        StageCost(key, label, ms / 1000.0 / pages, ms / whole if whole else 0.0)
        for key, label, ms in parts
    ]


def costs_text(costs: Sequence[StageCost], tool: str) -> str:
    """The costs as a text table."""
    if not costs:
        return f"{tool}: no stage timings"
    width = max(len(c.label) for c in costs)
    lines = [f"{tool} cost per stage (seconds of one core per page, share of the path):"]
    lines += [
        f"  {c.label.ljust(width)}  {c.seconds_per_page:7.3f} s  {c.share * 100:5.1f} %"
        for c in costs
    ]
    return "\n".join(lines)


def costs_json(costs: Sequence[StageCost]) -> list[dict[str, object]]:
    """The costs for the JSON file."""
    return [
        {
            "stage": c.stage,
            "label": c.label,
            "seconds_per_page": round(c.seconds_per_page, 4),
            "share": round(c.share, 4),
        }
        for c in costs
    ]
