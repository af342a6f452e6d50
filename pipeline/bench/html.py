"""The one-page HTML report: the table, the machine, and three plots inlined as PNG."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure

from pipeline.bench.metrics import ToolMetrics
from pipeline.bench.report import TARGETS, Row, format_cell, format_mark, format_target

_COLOURS = {"intake": "#1b7837", "tesseract": "#762a83", "ocrmypdf": "#2166ac", "bare": "#999999"}
_STYLE = """
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.pass { color: #1b7837; font-weight: bold; } .FAIL { color: #b2182b; font-weight: bold; }
.plots img { max-width: 32%; vertical-align: top; }
.machine { color: #555; font-size: 0.85em; }
"""


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def cer_plot(metrics: Mapping[str, ToolMetrics]) -> Figure:
    """Mean CER per degradation, one bar per tool, in grouped horizontal bars."""
    tools = [m for m in metrics.values() if m.cer_by_degradation]
    labels = sorted({label for m in tools for label in m.cer_by_degradation})
    figure = Figure(figsize=(6, max(3.0, 0.35 * len(labels) * max(len(tools), 1) / 2 + 1)))
    axes = figure.add_subplot()
    height = 0.8 / max(len(tools), 1)
    for i, m in enumerate(tools):
        axes.barh(
            [y + i * height for y in range(len(labels))],
            [100 * m.cer_by_degradation.get(label, 0.0) for label in labels],
            height=height,
            label=m.tool,
            color=_COLOURS.get(m.tool),
        )
    axes.set_yticks([y + 0.4 - height / 2 for y in range(len(labels))], labels)
    axes.invert_yaxis()
    axes.set_xlabel("mean CER (%)")
    axes.set_title("CER by degradation")
    if tools:
        axes.legend(loc="lower right", fontsize="small")
    return figure


def skew_plot(metrics: Mapping[str, ToolMetrics]) -> Figure:
    """Distribution of the absolute skew error of the tools that report skew."""
    figure = Figure(figsize=(6, 4))
    axes = figure.add_subplot()
    tools = [m for m in metrics.values() if m.skew_errors]
    for m in tools:
        axes.hist(m.skew_errors, bins=30, alpha=0.7, label=m.tool, color=_COLOURS.get(m.tool))
    axes.axvline(TARGETS["skew_mae"].threshold, color="#b2182b", linestyle="--", label="MAE target")
    if not tools:
        axes.text(0.5, 0.5, "no tool reports skew", ha="center", transform=axes.transAxes)
    axes.set_xlabel("|skew error| (degrees)")
    axes.set_ylabel("pages")
    axes.set_title("Skew error")
    axes.legend(fontsize="small")
    return figure


def speed_plot(metrics: Mapping[str, ToolMetrics]) -> Figure:
    """Pages per minute of each tool."""
    figure = Figure(figsize=(6, 4))
    axes = figure.add_subplot()
    names = list(metrics)
    rates = [metrics[n].pages_per_minute or 0.0 for n in names]
    axes.bar(names, rates, color=[_COLOURS.get(n, "#777777") for n in names])
    for x, rate in enumerate(rates):
        axes.annotate(f"{rate:.1f}", (x, rate), ha="center", va="bottom")
    axes.set_ylabel("pages per minute")
    axes.set_title("Throughput, same pages, same cores")
    return figure


def _table(rows: Sequence[Row], tools: Sequence[str]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in ["measure", *tools, "target", "intake"])
    body = []
    for r in rows:
        cells = [format_cell(r.cells[t], r.unit) if t in r.cells else "" for t in tools]
        mark = format_mark(r)
        body.append(
            "<tr>"
            + f"<td>{html.escape(r.label)}</td>"
            + "".join(f"<td>{html.escape(c)}</td>" for c in cells)
            + f"<td>{html.escape(format_target(r))}</td>"
            + f'<td class="{html.escape(mark)}">{html.escape(mark)}</td>'
            + "</tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def report_html(
    rows: Sequence[Row],
    metrics: Mapping[str, ToolMetrics],
    *,
    machine: Mapping[str, Any],
    corpus: Mapping[str, Any],
) -> str:
    """The whole page."""
    plots = "".join(
        f'<img alt="{alt}" src="data:image/png;base64,{_png(figure)}">'
        for alt, figure in (
            ("CER by degradation", cer_plot(metrics)),
            ("skew error distribution", skew_plot(metrics)),
            ("pages per minute", speed_plot(metrics)),
        )
    )
    facts = ", ".join(f"{k}: {v}" for k, v in machine.items())
    summary = ", ".join(f"{k}: {v}" for k, v in corpus.items() if isinstance(v, int | str | float))
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>intake bench</title><style>{_STYLE}</style></head><body>"
        "<h1>intake bench</h1>"
        f'<p class="machine">{html.escape(facts)}</p>'
        f'<p class="machine">corpus: {html.escape(summary)}</p>'
        f"{_table(rows, list(metrics))}"
        f'<div class="plots">{plots}</div>'
        "</body></html>\n"
    )
