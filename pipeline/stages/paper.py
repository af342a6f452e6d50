"""Even paper: the page's own paper brought to white, wherever it lies, before anything reads it.

Office scans are seldom white: recycled or greyish paper scans at grey 170-210, a scanner's
lamp or a lifted page leaves a gradient across it, a fold leaves a soft shadow.  A global
threshold (Otsu's, Tesseract's, a "darker than the paper by so much" rule) then takes the
darker side of the page for ink, or the lighter print for paper.  Here the paper is
estimated locally, as the brightest level within a window wider than any stroke (a heading's
too), smoothed, and every pixel is divided by it: the paper becomes white wherever it lies
and the print keeps its darkness relative to the paper around it, as a reader sees it.

Only copies that are analysed and read are evened; the archived image is the scan's own.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.stages.pixels import Gray, assumed_dpi

WINDOW_MM = 8.0  # wider than the strokes of a large bold heading, narrower than a gradient
WORK_DPI = 50  # the paper is estimated at this resolution: it changes slowly
LIGHTEST = 250  # paper at least this bright everywhere is left as it is
STREAK_MM = 25.0  # the stretch of a column whose median is the paper under it
STREAK_STEP_MM = 2.0  # columns are followed at this step down the page
STREAK_FLOOR = 128  # no column's paper is taken darker than half white
_CHUNK = 512  # columns whose median is taken at once


def paper_estimate(gray: Gray, dpi: int) -> Gray:
    """The paper's brightness under every pixel of ``gray`` (same shape)."""
    height, width = gray.shape
    step = max(1, dpi // WORK_DPI)
    small = cv2.resize(
        gray, (max(1, width // step), max(1, height // step)), interpolation=cv2.INTER_AREA
    )
    small = cv2.medianBlur(small, 3)  # a bright speck is not paper
    window = max(3, round(WINDOW_MM * dpi / 25.4 / step)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (window, window))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    paper = cv2.GaussianBlur(paper, (0, 0), window / 2)
    return np.asarray(cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR))


def streaks(levelled: Gray, dpi: int) -> Gray:
    """The paper's brightness along each column, streaks and all, under every pixel.

    A copier's drum and rollers draw thin lines down the sheet, a few pixels wide and the
    page long: too narrow for the paper's window to see, too faint and long to be print.
    The median down each column of the paper of its short stretches, over ``STREAK_MM``,
    follows them and skips print, which leaves paper in most stretches of any column.
    """
    height, width = levelled.shape
    step = max(1, round(dpi * STREAK_STEP_MM / 25.4))
    rows = height // step
    if rows < 3:
        return np.full_like(levelled, 255)
    # Grain smoothed down the columns only (a streak keeps its width); then the paper of
    # each short stretch of a column is its brightest, which print does not reach.
    smooth = cv2.blur(levelled, (1, max(3, step // 2) | 1))
    coarse = smooth[: rows * step].reshape(rows, step, width).max(axis=1)
    del smooth
    window = max(3, round(STREAK_MM / STREAK_STEP_MM)) | 1
    padded = np.pad(coarse, ((window // 2, window // 2), (0, 0)), mode="edge")
    median = np.empty_like(coarse)
    for left in range(0, width, _CHUNK):  # a few MB at a time, whatever the page's size
        part = np.lib.stride_tricks.sliding_window_view(padded[:, left : left + _CHUNK], window, 0)
        median[:, left : left + _CHUNK] = np.median(part, axis=-1)
    floor = np.maximum(median, STREAK_FLOOR)
    return np.asarray(cv2.resize(floor, (width, height), interpolation=cv2.INTER_LINEAR))


def evened(gray: Gray, dpi: int | None) -> Gray:
    """``gray`` with its paper white everywhere, streaks taken out, the print as dark.

    In 8 bits throughout: a page of 40 million pixels costs a few copies of 40 MB.
    """
    if gray.size == 0:
        return gray
    resolution = dpi or assumed_dpi(gray.shape)
    paper = paper_estimate(gray, resolution)
    if int(paper.min()) >= LIGHTEST:
        return gray
    levelled: Gray = np.asarray(cv2.divide(gray, np.maximum(paper, 1), scale=255), np.uint8)
    del paper
    # Streaks only darken: where a column's median is the paper already, nothing changes.
    column = streaks(levelled, resolution)
    return np.asarray(cv2.divide(levelled, column, scale=255), dtype=np.uint8)
