"""Real public scans for ``intake bench --real``: copied from fetched mirrors into a cache.

Nothing here is committed: :func:`fetch_real` copies pages and their truth out of bare git
mirrors of public repositories (``MIRRORS/owner+name/repo``) into a cache folder outside the
repository, one folder per corpus with ``manifest.json`` (source, commit, licence, files) and
``LICENSES.md``.  :func:`load_real` reads that cache back; a corpus whose folder is missing is
named, not guessed.

Truth comes as the corpus gives it: plain text (tesseract-ocr/test), hOCR lines
(scribeocr/ocr-benchmark), word boxes ordered into lines here (FUNSD), the corpus's own
Tesseract recognition (phone-scan: a *reference*, not human truth), or only whether a page is
signed (signature-detection).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

DEFAULT_CACHE = Path.home() / ".cache" / "intake" / "real-scans"
DEFAULT_MIRRORS = Path("/work/.mirror")
MANIFEST, LICENSES = "manifest.json", "LICENSES.md"
TRUTH_TEXT, TRUTH_REFERENCE, TRUTH_NONE = "text", "reference", "none"
"""Kinds of truth: human text, another OCR's output kept as a reference, no text at all."""


@dataclass(frozen=True)
class RealPage:
    """One page of a cached corpus: its image, its truth text and what else is known."""

    name: str
    png: Path
    truth: str
    signed: bool | None = None
    rotation: int = 0
    """Degrees clockwise the corpus itself shows the page turned (its rotated variants)."""
    source: str = ""


@dataclass(frozen=True)
class RealCorpus:
    """One cached corpus and where it came from."""

    name: str
    repo: str
    commit: str
    licence: str
    truth_kind: str
    pages: tuple[RealPage, ...]


@dataclass(frozen=True)
class _Item:
    name: str
    image: str
    truth: str
    signed: bool | None = None
    rotation: int = 0


@dataclass(frozen=True)
class Source:
    """A public repository holding a corpus, and how its pages and truth are found."""

    name: str
    repo: str
    licence: str
    truth_kind: str
    items: Callable[[Callable[[str], bytes], Sequence[str]], Iterator[_Item]]


def _phototest(show: Callable[[str], bytes], files: Sequence[str]) -> Iterator[_Item]:
    for stem in ("phototest", "eurotext", "8071_093.3B", "8087_054.3B"):
        if f"testing/{stem}.tif" in files and f"testing/{stem}.txt" in files:
            text = show(f"testing/{stem}.txt").decode("utf-8", errors="replace")
            yield _Item(stem, f"testing/{stem}.tif", text)
    # The repository's own turned copies of phototest: "L" is turned left, i.e. 270 clockwise.
    truth = show("testing/phototest.txt").decode() if "testing/phototest.txt" in files else ""
    for suffix, rotation in (("180", 180), ("L", 270), ("R", 90)):
        path = f"testing/phototest-rotated-{suffix}.png"
        if truth and path in files:
            yield _Item(f"phototest-rotated-{suffix}", path, truth, rotation=rotation)


_LINE = re.compile(r"<span[^>]*class=['\"]ocr(?:_line|_caption|_header|_textfloat)['\"][^>]*>")
_WORD = re.compile(r"<span[^>]*class=['\"]ocrx_word['\"][^>]*>(.*?)</span>", re.S)
_TAG = re.compile(r"<[^>]+>")


def hocr_text(hocr: str) -> str:
    """The words of an hOCR document, a line per ``ocr_line`` (and kin), in document order."""
    lines = []
    for chunk in _LINE.split(hocr)[1:]:
        words = [html.unescape(_TAG.sub("", w)).strip() for w in _WORD.findall(chunk)]
        if any(words):
            lines.append(" ".join(w for w in words if w))
    return "\n".join(lines)


def _scribe(show: Callable[[str], bytes], files: Sequence[str]) -> Iterator[_Item]:
    for path in sorted(f for f in files if f.startswith("ground_truth/")):
        stem = Path(path).name.split(".")[0]
        image = next((f for f in files if f.startswith(f"img/{stem}.")), None)
        if image is not None:
            yield _Item(stem, image, hocr_text(show(path).decode("utf-8", errors="replace")))


def words_in_lines(words: Sequence[tuple[str, Sequence[int]]]) -> str:
    """Boxed words (``text, [x0, y0, x1, y1]``) as lines of text.

    Words whose boxes overlap in height by more than half the shorter one share a line;
    lines run top to bottom, words left to right: a form read across, as a person reads it.
    """
    lines: list[list[tuple[str, Sequence[int]]]] = []
    for word in sorted(words, key=lambda w: (w[1][1] + w[1][3]) / 2):
        _, (_, y0, _, y1) = word
        for line in lines:
            ly0 = sum(b[1] for _, b in line) / len(line)
            ly1 = sum(b[3] for _, b in line) / len(line)
            overlap = min(y1, ly1) - max(y0, ly0)
            if overlap > 0.5 * min(y1 - y0, ly1 - ly0):
                line.append(word)
                break
        else:
            lines.append([word])
    return "\n".join(" ".join(t for t, _ in sorted(line, key=lambda w: w[1][0])) for line in lines)


def _funsd(show: Callable[[str], bytes], files: Sequence[str]) -> Iterator[_Item]:
    for path in sorted(f for f in files if f.startswith("testing_data/annotations/")):
        stem = Path(path).stem
        image = f"testing_data/images/{stem}.png"
        if image in files:
            form = json.loads(show(path))["form"]
            words = [
                (str(w["text"]).strip(), w["box"])
                for entity in form
                for w in entity["words"]
                if str(w["text"]).strip()
            ]
            yield _Item(stem, image, words_in_lines(words))


def phone_scan_text(rows: str) -> str:
    """The corpus's recognised words (``W;X1;Y1;…;NB;NP;NL;…``), a line per (block, line)."""
    lines: dict[tuple[str, str, str], list[str]] = {}
    for row in csv.reader(io.StringIO(rows), delimiter=";"):
        if len(row) > 11 and row[0].strip() and row[0].strip() != "~":
            lines.setdefault((row[9], row[10], row[11]), []).append(row[0].strip())
    return "\n".join(" ".join(words) for words in lines.values())


def _phone_scan(show: Callable[[str], bytes], files: Sequence[str]) -> Iterator[_Item]:
    # Set 0_0: flatbed scans, one of each of the eleven document types.
    for path in sorted(f for f in files if f.startswith("dataset/0_0/IMA/")):
        stem = Path(path).stem
        truth = f"dataset/0_0/CSV/{stem}.csv"
        if truth in files:
            yield _Item(stem, path, phone_scan_text(show(truth).decode("utf-8", "replace")))


def _signatures(show: Callable[[str], bytes], files: Sequence[str]) -> Iterator[_Item]:
    for path in sorted(f for f in files if f.startswith("dataset/dataset1/images/")):
        stem = Path(path).stem
        label = f"dataset/dataset1/labels/{stem}.txt"
        if label in files:
            yield _Item(stem.split(".rf.")[0], path, "", signed=bool(show(label).strip()))


SOURCES = (
    Source(
        "tesseract-test",
        "tesseract-ocr/test",
        "Apache-2.0 (LICENSE in the repository)",
        TRUTH_TEXT,
        _phototest,
    ),
    Source(
        "scribe-benchmark",
        "scribeocr/ocr-benchmark",
        "no licence file in the repository: used here only to measure, never redistributed",
        TRUTH_TEXT,
        _scribe,
    ),
    Source(
        "funsd",
        "Doc-LD/funsd-bench",
        "benchmark code MIT; the FUNSD data is for research use (guillaumejaume.github.io/FUNSD)",
        TRUTH_TEXT,
        _funsd,
    ),
    Source(
        "phone-scan",
        "slug183/phone-scan",
        "no licence file in the repository: used here only to measure, never redistributed",
        TRUTH_REFERENCE,
        _phone_scan,
    ),
    Source(
        "signatures",
        "mapo80/signature-detection",
        "no licence file in the repository: used here only to measure, never redistributed",
        TRUTH_NONE,
        _signatures,
    ),
)


def _git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), *args], capture_output=True, check=True
    ).stdout


def _pick(items: list[_Item], limit: int | None) -> list[_Item]:
    """At most ``limit`` items; signed and unsigned pages in equal shares where they differ."""
    if limit is None or len(items) <= limit:
        return items
    if any(i.signed is not None for i in items):
        unsigned = [i for i in items if i.signed is False][: limit // 2]
        return unsigned + [i for i in items if i.signed][: limit - len(unsigned)]
    return items[:limit]


def fetch_real(
    mirrors: Path, cache: Path, *, limit: int | None = None
) -> tuple[list[str], list[str]]:
    """Copy each corpus out of its mirror into ``cache``; the corpora copied and missing.

    Pages become PNG (their resolution kept when the file records one); each corpus gets
    ``manifest.json`` and ``LICENSES.md``.  ``limit`` caps the pages per corpus.
    """
    copied, missing = [], []
    for source in SOURCES:
        git_dir = mirrors / source.repo.replace("/", "+") / "repo"
        if not git_dir.is_dir():
            missing.append(f"{source.name}: no mirror of {source.repo} at {git_dir}")
            continue
        commit = _git(git_dir, "rev-parse", "HEAD").decode().strip()
        files = _git(git_dir, "ls-tree", "-r", "--name-only", "HEAD").decode().splitlines()

        def show(path: str, git_dir: Path = git_dir) -> bytes:
            return _git(git_dir, "show", f"HEAD:{path}")

        folder = cache / source.name
        folder.mkdir(parents=True, exist_ok=True)
        records = []
        for item in _pick(list(source.items(show, files)), limit):
            png = folder / f"{item.name}.png"
            with Image.open(io.BytesIO(show(item.image))) as image:
                dpi = image.info.get("dpi")
                page = image.convert("L" if image.mode in ("1", "L") else "RGB")
                if dpi:
                    page.save(png, dpi=(round(float(dpi[0])), round(float(dpi[1]))))
                else:
                    page.save(png)
            (folder / f"{item.name}.txt").write_text(item.truth, encoding="utf-8")
            records.append(
                {
                    "name": item.name,
                    "file": png.name,
                    "source_path": item.image,
                    "signed": item.signed,
                    "rotation": item.rotation,
                }
            )
        manifest = {
            "corpus": source.name,
            "repo": source.repo,
            "commit": commit,
            "licence": source.licence,
            "truth": source.truth_kind,
            "pages": records,
        }
        write_manifest(folder, manifest)
        copied.append(source.name)
    return copied, missing


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """``manifest.json`` and the ``LICENSES.md`` that says the same in words."""
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    lines = [
        f"# {manifest['corpus']}",
        "",
        f"- source: https://github.com/{manifest['repo']} at commit {manifest['commit']}",
        f"- licence: {manifest['licence']}",
        f"- truth: {manifest['truth']}",
        "- files (copied from the source path named):",
        *(f"  - {p['file']} <- {p['source_path']}" for p in manifest["pages"]),
    ]
    (folder / LICENSES).write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_real(cache: Path) -> tuple[list[RealCorpus], list[str]]:
    """The corpora cached in ``cache``, and what is missing (each with why), by name."""
    corpora, missing = [], []
    names = [s.name for s in SOURCES]
    extra = (
        sorted(p.name for p in cache.glob("*/") if p.name not in names) if cache.is_dir() else []
    )
    for name in [*names, *extra]:
        folder = cache / name
        if not (folder / MANIFEST).is_file():
            missing.append(f"{name}: not in {cache} (run intake bench --fetch-real)")
            continue
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        pages = tuple(
            RealPage(
                name=str(p["name"]),
                png=folder / str(p["file"]),
                truth=(folder / f"{p['name']}.txt").read_text(encoding="utf-8")
                if (folder / f"{p['name']}.txt").is_file()
                else "",
                signed=p.get("signed"),
                rotation=int(p.get("rotation") or 0),
                source=str(p.get("source_path") or ""),
            )
            for p in manifest["pages"]
        )
        corpora.append(
            RealCorpus(
                name=str(manifest["corpus"]),
                repo=str(manifest["repo"]),
                commit=str(manifest["commit"]),
                licence=str(manifest["licence"]),
                truth_kind=str(manifest["truth"]),
                pages=pages,
            )
        )
    return corpora, missing
