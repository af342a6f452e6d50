"""``intake bench``'s cost per stage, from the pipeline's own timings."""

from __future__ import annotations

import pytest

from pipeline.bench.costs import costs_text, stage_costs


def test_stage_costs_are_seconds_per_page_with_the_rest_as_other() -> None:
    # Given the summed timings (ms) of two pages: the pipeline's stages and the archive's
    timings = {"ocr": 2000.0, "orient": 1000.0, "total": 4000.0, "pdfa": 1000.0, "ocr_json": 0.0}
    # When they are costed
    costs = {c.stage: c for c in stage_costs(timings, pages=2)}
    # Then each stage is seconds per page, and the pipeline's unnamed time is "other"
    assert costs["ocr"].seconds_per_page == pytest.approx(1.0)
    assert costs["orient"].seconds_per_page == pytest.approx(0.5)
    assert costs["other"].seconds_per_page == pytest.approx(0.5)
    assert costs["pdfa"].seconds_per_page == pytest.approx(0.5)
    assert costs["all"].seconds_per_page == pytest.approx(2.5)
    # And the shares of the parts add up to the whole
    assert sum(c.share for k, c in costs.items() if k != "all") == pytest.approx(1.0)
    assert "OCR (Tesseract)" in costs_text(list(costs.values()), "intake")


def test_no_timings_no_costs() -> None:
    assert stage_costs({}, pages=3) == []
    assert stage_costs({"ocr": 1.0}, pages=0) == []
