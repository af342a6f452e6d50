"""The one-page HTML report: the table, the machine, plots inlined as PNG, the type matrix.

Three plots always (CER by degradation, skew error, throughput), a fourth with the review
reasons' precision and recall per document when a tool reports documents, and the type
confusion matrix of each such tool as a table.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure

from pipeline.bench.calibration import calibration_text
from pipeline.bench.metrics import ToolMetrics
from pipeline.bench.report import (
    TARGETS,
    Row,
    format_cell,
    format_mark,
    format_target,
    matrix_columns,
)

_COLOURS = {
    "intake": "#1b7837",
    "intake-verdict": "#7fbf7b",
    "tesseract": "#762a83",
    "ocrmypdf": "#2166ac",
    "bare": "#999999",
}
_STYLE = """
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.pass { color: #1b7837; font-weight: bold; } .FAIL { color: #b2182b; font-weight: bold; }
.plots img { max-width: 32%; vertical-align: top; }
.machine { color: #555; font-size: 0.85em; }
table.matrix td { text-align: center; min-width: 2.5em; }
table.matrix th.col { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal; }
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


def reason_plot(metrics: Mapping[str, ToolMetrics]) -> Figure:
    """Precision and recall of each review reason, one decision per document."""
    tools = [m for m in metrics.values() if m.documents is not None]
    codes = sorted({c for m in tools if m.documents for c in m.documents.reasons})
    bars = [(m.tool, name) for m in tools for name in ("precision", "recall")]
    figure = Figure(figsize=(6, max(3.0, 0.3 * len(codes) * len(bars) / 2 + 1)))
    axes = figure.add_subplot()
    height = 0.8 / max(len(bars), 1)
    for i, (tool, name) in enumerate(bars):
        documents = metrics[tool].documents
        assert documents is not None
        values = []
        for code in codes:
            confusion = documents.reasons.get(code)
            value = None if confusion is None else getattr(confusion, name)
            values.append(100 * value if value is not None else 0.0)
        axes.barh(
            [y + i * height for y in range(len(codes))],
            values,
            height=height,
            label=f"{tool} {name}" if len(tools) > 1 else name,
            color=_COLOURS.get(tool),
            alpha=1.0 if name == "precision" else 0.45,
        )
    axes.set_yticks([y + 0.4 - height / 2 for y in range(len(codes))], codes)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("% (undefined shown as 0)")
    axes.set_title("Review reasons, one decision per document")
    if bars:
        axes.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=len(bars), fontsize="small"
        )
    return figure


def matrix_html(matrix: Mapping[str, Mapping[str, int]]) -> str:
    """The type confusion matrix as a table, each cell shaded by its share of the row."""
    columns = matrix_columns(matrix)
    head = "".join(f'<th class="col">{html.escape(c)}</th>' for c in columns)
    body = []
    for truth, row in matrix.items():
        total = sum(row.values()) or 1
        cells = []
        for column in columns:
            count = row.get(column, 0)
            share = count / total
            colour = "27,120,55" if column == truth else "178,24,43"
            style = f' style="background: rgba({colour},{share * 0.6:.2f})"' if count else ""
            cells.append(f"<td{style}>{count or ''}</td>")
        body.append(f"<tr><td>{html.escape(truth)}</td>{''.join(cells)}</tr>")
    return (
        '<table class="matrix"><thead><tr><th>true \\ reported</th>'
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


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
    sections: Sequence[str] = (),
) -> str:
    """The whole page; ``sections`` are shown as preformatted text after the table."""
    figures = [
        ("CER by degradation", cer_plot(metrics)),
        ("skew error distribution", skew_plot(metrics)),
        ("pages per minute", speed_plot(metrics)),
    ]
    documents = {tool: m.documents for tool, m in metrics.items() if m.documents is not None}
    if documents:
        figures.append(("review reasons per document", reason_plot(metrics)))
    plots = "".join(
        f'<img alt="{alt}" src="data:image/png;base64,{_png(figure)}">' for alt, figure in figures
    )
    matrices = "".join(
        f"<h2>{html.escape(tool)}: document type, legible documents</h2>"
        + matrix_html(d.type_matrix)
        + (
            ""
            if d.calibration is None
            else f"<pre>{html.escape(calibration_text(d.calibration))}</pre>"
        )
        for tool, d in documents.items()
    )
    sections_html = "".join(f"<pre>{html.escape(text)}</pre>" for text in sections)
    facts = ", ".join(f"{k}: {v}" for k, v in machine.items())
    summary = ", ".join(f"{k}: {v}" for k, v in corpus.items() if isinstance(v, int | str | float))
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>intake bench</title><style>{_STYLE}</style></head><body>"
        "<h1>intake bench</h1>"
        f'<p class="machine">{html.escape(facts)}</p>'
        f'<p class="machine">corpus: {html.escape(summary)}</p>'
        f"{_table(rows, list(metrics))}"
        f"{sections_html}"
        f'<div class="plots">{plots}</div>'
        f"{matrices}"
        "</body></html>\n"
    )
