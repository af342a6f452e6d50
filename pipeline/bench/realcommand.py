"""``intake bench --fetch-real DIR`` and ``intake bench --real DIR``: print and write."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from config.settings import Settings
from pipeline.bench.real import fetch_real, load_real
from pipeline.bench.realbench import (
    PageResult,
    orientation_summary,
    run_corpus,
    signature_summary,
    summary_rows,
)
from pipeline.bench.tools import missing_tools

REAL_JSON = "bench-real.json"


def cmd_real(settings: Settings, args: argparse.Namespace) -> int:
    """Fetch into, or bench from, the cache; 0 when it ran, 1 when nothing could run."""
    if args.fetch_real is not None:
        copied, missing = fetch_real(args.mirrors, args.fetch_real, limit=args.real_pages)
        for line in missing:
            print(f"intake bench: skipped {line}", file=sys.stderr)
        print(f"copied {', '.join(copied) or 'nothing'} into {args.fetch_real}")
        return 0 if copied else 1
    tools = tuple(t.strip() for t in str(args.real_tools).split(",") if t.strip())
    problems = missing_tools(tools)
    for problem in problems:
        print(f"intake bench: {problem}", file=sys.stderr)
    corpora, missing = load_real(args.real)
    for line in missing:
        print(f"intake bench: skipped {line}", file=sys.stderr)
    wanted = {c.strip() for c in str(args.corpora).split(",") if c.strip()}
    corpora = [c for c in corpora if not wanted or c.name in wanted]
    if problems or not corpora:
        return 1
    path = Path(args.json_file or Path(args.out) / REAL_JSON)
    path.parent.mkdir(parents=True, exist_ok=True)  # before the run, not after it
    body = real_bench(settings, args, corpora, tools)
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
    print(report_text(body))
    return 0


def real_bench(
    settings: Settings, args: argparse.Namespace, corpora: Sequence[Any], tools: Sequence[str]
) -> dict[str, Any]:
    """Every corpus read by every tool; the JSON body of the run."""
    config = settings.process()
    body: dict[str, Any] = {"corpora": [], "summary": [], "pages": [], "turned": []}
    all_turned: list[PageResult] = []
    all_pages: list[PageResult] = []
    with tempfile.TemporaryDirectory(prefix="intake-bench-real-") as tmp:
        for corpus in corpora:
            rows, turned, seconds = run_corpus(
                corpus,
                tools,
                Path(tmp),
                jobs=args.jobs,
                config=config,
                limit=args.real_pages,
                turned=args.real_turned,
            )
            body["corpora"].append(
                {
                    "name": corpus.name,
                    "repo": corpus.repo,
                    "commit": corpus.commit,
                    "licence": corpus.licence,
                    "truth": corpus.truth_kind,
                    "pages": len(rows),
                }
            )
            if corpus.truth_kind != "none":
                body["summary"] += summary_rows(corpus.name, rows, seconds)
            body["pages"] += [asdict(r) for r in rows]
            body["turned"] += [asdict(r) for r in turned]
            all_turned += turned
            all_pages += rows
    corpus_turned = [r for r in all_pages if r.rotation[0] != 0]
    body["orientation"] = orientation_summary([*all_turned, *corpus_turned], all_pages)
    upright = [r for r in all_pages if r.rotation[0] == 0 and r.rotation[1] is not None]
    body["orientation"]["upright_read_as_upright"] = (
        sum(r.rotation[1] == 0 for r in upright) / len(upright) if upright else None
    )
    body["signature"] = signature_summary(all_pages)
    return body


def _f(value: float | None, percent: bool = True) -> str:
    if value is None:
        return "-"
    return f"{100 * value:.1f}%" if percent else f"{value:.2f}"


def report_text(body: dict[str, Any]) -> str:
    """The tables of a run, as text."""
    lines = ["corpus            tool        pages  CER mean  CER median  BoW err  refused  seconds"]
    for s in body["summary"]:
        lines.append(
            f"{s['corpus']:<17} {s['tool']:<11} {s['pages']:>5}  {_f(s['cer_mean']):>8}  "
            f"{_f(s['cer_median']):>10}  {_f(s['bow_mean']):>7}  {s['refused']:>7}  "
            f"{s['seconds']:>7}"
        )
    o = body["orientation"]
    lines += [
        "",
        f"orientation (intake): {_f(o['orientation_accuracy'])} of {o['turned_pages']} turned "
        f"pages; upright pages read as upright: {_f(o['upright_read_as_upright'])}",
        f"skew (intake): MAE {_f(o['skew_mae'], False)}° against the added angle, "
        f"{_f(o['skew_mae_vs_upright'], False)}° against it plus the page's own skew, "
        f"{o['skewed_pages']} pages",
    ]
    sig = body["signature"]
    if sig:
        lines.append(
            f"UNSIGNED (intake): precision {_f(sig['precision'])}, recall {_f(sig['recall'])} "
            f"over {sig['pages']} pages, {sig['unsigned']} unsigned"
        )
    return "\n".join(lines)
