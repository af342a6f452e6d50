"""The files a chaos run drops: made ahead into a staging folder, then written as scanners do.

Pages are small (A4 at 100 dpi, one page) so that a thousand of them are processed in
minutes on a small machine: most carry a full page of text, some only a few lines, some are
blank backs; a few are broken (zero bytes, cut short).  Writing follows the scanners and
copy tools the watcher must cope with: in one go, slowly in chunks (each pause well within
the settle time), or under a ``.part`` name that is renamed when done.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.chaos._plan import Drop
from pipeline.corpus import (
    BLANK_KINDS,
    DOCUMENT_TYPES,
    LANGUAGES,
    Sample,
    blank_page,
    render_document,
    write_sample,
)

DPI = 100


@dataclass(frozen=True)
class Staged:
    """A drop's bytes, ready to be written: where they wait, and their SHA-256."""

    drop: Drop
    folder: Path  # the drop folder it goes into
    path: Path  # where its bytes wait
    sha256: str
    size: int
    person_codes: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        """Its drop folder (resolved) and name, as the ledger and the folder listing name it."""
        return (str(self.folder.resolve()), self.drop.name)


def _sample(content: str, rng: random.Random) -> Sample:
    if content == "blank":
        kind = rng.choice([k for k in BLANK_KINDS if k != "clean"])  # "clean" is all alike
        image, truth = blank_page(rng, dpi=DPI, kind=kind)
        return Sample((image,), (truth,), (), "other", DPI)
    sample = render_document(
        rng, language=rng.choice(LANGUAGES), document_type=rng.choice(DOCUMENT_TYPES), dpi=DPI
    )
    if content == "lines":  # the top of the page: the office, the title, a few fields
        page = sample.pages[0]
        top = page.crop((0, 0, page.width, page.height // 3))
        top.info["dpi"] = (DPI, DPI)
        return dataclasses.replace(sample, pages=(top,))
    return sample


def stage(
    drops: tuple[Drop, ...], staging: Path, folders: list[Path], seed: int
) -> dict[int, Staged]:
    """Make the bytes of every drop under ``staging``; duplicates share their original's."""
    staging.mkdir(parents=True, exist_ok=True)
    staged: dict[int, Staged] = {}
    for drop in drops:
        folder = folders[drop.folder]
        if drop.source != drop.index:
            original = staged[drop.source]
            staged[drop.index] = dataclasses.replace(original, drop=drop, folder=folder)
            continue
        rng = random.Random(f"{seed}-{drop.index}")
        path = staging / drop.name
        codes: tuple[str, ...] = ()
        if drop.content == "empty":
            path.write_bytes(b"")
        else:
            sample = _sample("text" if drop.content == "truncated" else drop.content, rng)
            codes = sample.person_codes
            write_sample(sample, path, drop.fmt)
            if drop.content == "truncated":
                data = path.read_bytes()
                path.write_bytes(data[: int(len(data) * rng.uniform(0.3, 0.7))])
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        staged[drop.index] = Staged(drop, folder, path, sha, len(data), codes)
    return staged


def write_drop(staged: Staged, rng: random.Random, settle: float) -> None:
    """Write ``staged`` into its folder the way its drop says (this may take a second)."""
    data = staged.path.read_bytes()
    target = staged.folder / staged.drop.name
    if staged.drop.mode == "renamed":
        partial = target.with_name(target.name + ".part")
        _write(partial, data, chunks=rng.randint(2, 4), pause=settle / 8, rng=rng)
        partial.rename(target)
    elif staged.drop.mode == "slow":
        _write(target, data, chunks=rng.randint(3, 6), pause=settle / 8, rng=rng)
    else:
        _write(target, data, chunks=1, pause=0.0, rng=rng)


def _write(path: Path, data: bytes, *, chunks: int, pause: float, rng: random.Random) -> None:
    """Write ``data`` in ``chunks`` pieces with up to ``pause`` seconds between them."""
    step = max(len(data) // chunks, 1)
    with path.open("xb") as out:
        for start in range(0, max(len(data), 1), step):
            if start:
                time.sleep(rng.uniform(pause / 4, pause))
            out.write(data[start : start + step])
            out.flush()
