"""After a chaos run: was anything lost, doubled or left stuck, and is the archive sound?

Every dropped file is accounted for twice.  By its SHA-256: the first drop of some bytes by
their capture, each later drop of the same bytes by a ``duplicate`` event of that capture, a
refused file by its copy in ``rejected/``; fewer records than drops is a loss, more is a
double.  And one by one by the watcher's ledger: exactly one row per dropped file, and a
taken file's row has the file's own bytes (a file taken half-written would not).  A file
still in its folder is not lost but counts against the folders being empty.  A capture
registered twice (two final events, or more documents or pages than it registered) is a
double too.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from config.errors import BackendUnavailable
from pipeline.chaos._files import Staged
from storage.audit import CaptureAudit, audit_captures, status_counts
from storage.captures import FINAL
from storage.db import Database
from storage.ledger import LedgerEntry, entries_since
from storage.objects import ObjectStore

_PERSON_CODE = re.compile(r"(?<!\d)\d{11}(?!\d)")


@dataclass(frozen=True)
class Findings:
    """What the check found; ``problems`` names files and capture ids, never their content."""

    statuses: Mapping[str, int]
    lost: int
    doubled: int
    stuck: int
    bad_objects: int
    not_empty: int
    unexpected: int
    personal_in_logs: int
    log_errors: Mapping[str, int]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Nothing lost, doubled, stuck, unexpected or bad; folders empty; logs clean."""
        return not (
            self.lost
            or self.doubled
            or self.stuck
            or self.bad_objects
            or self.not_empty
            or self.unexpected
            or self.personal_in_logs
        )


def _folder_leftovers(folders: Iterable[Path]) -> tuple[list[Path], Counter[str]]:
    """Files left directly in the folders, and the hashes of those set aside in subfolders."""
    left: list[Path] = []
    set_aside: Counter[str] = Counter()
    for folder in folders:
        for entry in sorted(folder.iterdir()):
            if entry.is_dir():
                for kept in entry.rglob("*"):
                    if kept.is_file():
                        set_aside[hashlib.sha256(kept.read_bytes()).hexdigest()] += 1
            else:
                left.append(entry)
    return left, set_aside


def _bad_objects(store: ObjectStore, capture: CaptureAudit) -> list[str]:
    """The capture's archived objects that are missing or whose bytes do not match."""
    wanted: list[tuple[str, str | None, str | None]] = [
        ("original", capture.original_key, capture.sha256)
    ]
    if capture.searchable_key or capture.status == "archived":
        wanted.append(("searchable PDF", capture.searchable_key, capture.searchable_sha256))
    if capture.ocr_key or capture.status == "archived":
        wanted.append(("OCR JSON", capture.ocr_key, capture.ocr_sha256))
    bad = []
    for what, key, sha in wanted:
        if not key or not sha:
            bad.append(f"capture {capture.id}: {what} not recorded")
            continue
        stored = store.stat(key)
        if stored is None:
            bad.append(f"capture {capture.id}: {what} missing from the store")
            continue
        actual = hashlib.sha256(store.get(key)).hexdigest()
        if actual != sha or stored.sha256 != sha:
            bad.append(f"capture {capture.id}: {what} does not match its checksum")
    return bad


def _doubled(capture: CaptureAudit) -> str | None:
    """Why the capture looks registered more than once, if it does."""
    if capture.final_events > 1:
        return f"capture {capture.id}: {capture.final_events} final events"
    if capture.registered_documents is not None and (
        capture.documents != capture.registered_documents
        or capture.pages != capture.registered_pages
    ):
        return (
            f"capture {capture.id}: {capture.documents} documents and {capture.pages} pages,"
            f" registered {capture.registered_documents} and {capture.registered_pages}"
        )
    if capture.status == "failed" and (capture.documents or capture.pages):
        return f"capture {capture.id}: failed, yet has documents or pages"
    return None


def _log_findings(logs: Path, codes: set[str]) -> tuple[int, dict[str, int]]:
    """Person codes of the dropped documents found in the logs; error lines per log."""
    found = 0
    errors: dict[str, int] = {}
    for log in sorted(logs.glob("*.log")):
        text = log.read_text(errors="replace")
        found += sum(1 for match in _PERSON_CODE.findall(text) if match in codes)
        errors[log.stem] = sum(
            1
            for line in text.splitlines()
            if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback")
        )
    return found, errors


def _key(folder: str | Path, name: str) -> tuple[str, str]:
    return (str(Path(folder).resolve()), name)


def account(
    staged: Mapping[int, Staged],
    captures: list[CaptureAudit],
    ledger: list[LedgerEntry],
    left: list[Path],
    set_aside: Counter[str],
) -> tuple[int, int, list[str]]:
    """Lost and doubled files: by their bytes, and one by one by the ledger's rows."""
    problems: list[str] = []
    still_there = {_key(path.parent, path.name) for path in left}
    rows: dict[tuple[str, str], list[LedgerEntry]] = {}
    for row in ledger:
        rows.setdefault(_key(row.folder, row.name), []).append(row)
    by_sha = {c.sha256: c for c in captures}
    drops = Counter(s.sha256 for s in staged.values() if s.key not in still_there)
    lost_files: set[int] = set()
    doubled = 0
    for sha, dropped in sorted(drops.items()):
        group = sorted(i for i, s in staged.items() if s.sha256 == sha and s.key not in still_there)
        capture = by_sha.get(sha)
        records = (1 + capture.duplicate_events if capture else 0) + set_aside[sha]
        if records < dropped:
            lost_files.update(group[records:])
        elif records > dropped:
            doubled += records - dropped
            problems.append(f"doubled: {records} records of the bytes of {len(group)} drops")
    for index, item in sorted(staged.items()):
        if item.key in still_there:
            continue
        mine = rows.get(item.key, [])
        if len(mine) > 1:
            doubled += 1
            problems.append(f"doubled: {len(mine)} ledger rows for {item.drop.name}")
        elif not mine or (mine[0].outcome != "rejected" and mine[0].sha256 != item.sha256):
            lost_files.add(index)
    for index in sorted(lost_files):
        drop = staged[index].drop
        problems.append(f"lost: {drop.name} (scanner-{drop.folder + 1}, {drop.content})")
    return len(lost_files), doubled, problems


def check(
    db: Database,
    store: ObjectStore,
    staged: Mapping[int, Staged],
    folders: Iterable[Path],
    logs: Path,
) -> Findings:
    """Account for every dropped file and check every capture and its archived objects."""
    captures = audit_captures(db)
    left, set_aside = _folder_leftovers(folders)
    problems = [f"left in {path.parent.name}/: {path.name}" for path in left]
    ledger = entries_since(db, datetime(1970, 1, 1, tzinfo=UTC))
    lost, doubled, accounted = account(staged, captures, ledger, left, set_aside)
    problems += accounted

    dropped = {s.sha256 for s in staged.values()}
    unexpected = [c for c in captures if c.sha256 not in dropped]
    problems += [f"capture {c.id}: bytes that were never dropped" for c in unexpected]
    stuck = [c for c in captures if c.status not in FINAL]
    problems += [f"capture {c.id}: stuck in {c.status}" for c in stuck]
    for capture in captures:
        why = _doubled(capture)
        if why is not None:
            doubled += 1
            problems.append(f"doubled: {why}")

    bad = 0
    for capture in captures:
        try:
            found = _bad_objects(store, capture)
        except BackendUnavailable as exc:
            found = [f"capture {capture.id}: store unavailable ({exc})"]
        bad += len(found)
        problems += found

    codes = {code for s in staged.values() for code in s.person_codes}
    personal, errors = _log_findings(logs, codes)
    if personal:
        problems.append(f"{personal} person codes of the dropped documents appear in the logs")
    return Findings(
        statuses=status_counts(db),
        lost=lost,
        doubled=doubled,
        stuck=len(stuck),
        bad_objects=bad,
        not_empty=len(left),
        unexpected=len(unexpected),
        personal_in_logs=personal,
        log_errors=errors,
        problems=tuple(problems),
    )
