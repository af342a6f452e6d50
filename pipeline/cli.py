"""The ``intake`` command.  Exit codes: 0 accepted / ok, 3 needs review, 1 error, 2 bad usage."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import secrets
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config.errors import AlreadyRegistered, IntakeError, Misconfigured
from config.settings import ProcessConfig, Settings, load_settings
from pipeline import heartbeat

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_REVIEW = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake", description=__doc__)
    parser.add_argument("--log-level", default=os.environ.get("INTAKE_LOG_LEVEL", "INFO"))
    sub = parser.add_subparsers(dest="command", required=True)

    up = sub.add_parser("up", help="start embedded services, watcher, worker and API")
    up.add_argument("--port", type=int, default=None, help="API port (default 8080)")
    up.add_argument("--workers", type=int, default=1, help="worker processes")

    worker = sub.add_parser("worker", help="process queued captures")
    worker.add_argument("--threads", type=int, default=None)
    sub.add_parser("watch", help="watch the drop folders")
    api = sub.add_parser("api", help="serve the REST API")
    api.add_argument("--host", default=None)
    api.add_argument("--port", type=int, default=None)
    # `intake up` binds the port itself and hands the listening socket over, so that the port
    # stays ours while the API restarts.
    api.add_argument("--listen-fd", type=int, default=None, help=argparse.SUPPRESS)

    process = sub.add_parser("process", help="run the pipeline on files, without services")
    process.add_argument("files", nargs="+", type=Path)
    process.add_argument("--json", action="store_true", help="print JSON Lines (the default)")
    process.add_argument("--jobs", type=int, default=os.cpu_count() or 1)

    token = sub.add_parser("token", help="API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="create a token and print it once")
    create.add_argument("--name", required=True)

    bench = sub.add_parser("bench", help="measure intake against Tesseract and OCRmyPDF")
    bench.add_argument("--docs", type=int, default=40, help="documents to render")
    bench.add_argument("--seed", type=int, default=20261125)
    bench.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    bench.add_argument("--tools", default="intake,intake-verdict,tesseract,ocrmypdf,bare")
    bench.add_argument("--out", type=Path, default=Path(), help="folder for JSON and HTML")
    bench.add_argument("--json", type=Path, default=None, dest="json_file")
    bench.add_argument("--html", type=Path, default=None)
    bench.add_argument("--max-pages", type=int, default=3, help="pages per document, at most")
    bench.add_argument(
        "--family",
        default="repo",
        help="how the corpus's paper went through the machines, a comma list of repo (the "
        "scanner model), mild (printed, scanned), copy (printed, photocopied, scanned), copy2 "
        "(a copy of a copy), copy_heldout (never used for tuning); the same documents in each",
    )
    bench.add_argument("--real", type=Path, default=None, help="bench real scans cached in DIR")
    bench.add_argument("--fetch-real", type=Path, default=None, help="copy real scans into DIR")
    bench.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"), help="git mirrors")
    bench.add_argument("--real-tools", default="intake,ocrmypdf,tesseract")
    bench.add_argument("--real-pages", type=int, default=None, help="pages per real corpus")
    bench.add_argument("--real-turned", type=int, default=2, help="upright pages to turn")
    bench.add_argument("--corpora", default="", help="real corpora to read, default all")

    train = sub.add_parser(
        "train", help="train the document type model on the corpus and staff's corrections"
    )
    train.add_argument(
        "--per-type", type=int, default=30, help="generated documents per type and language"
    )
    train.add_argument("--seed", type=int, default=424242)
    ledger = sub.add_parser("ledger", help="what became of each file the watcher saw")
    ledger.add_argument(
        "--since",
        type=parse_since,
        default="1d",
        help="a moment (2026-11-25T10:00, local time unless an offset is given) or an age"
        " (30m, 2h, 1d, 1w); default 1d",
    )
    ledger.add_argument("--outcome", choices=("captured", "duplicate", "rejected"))
    ledger.add_argument("--json", action="store_true", help="JSON Lines; counts on stderr")
    sub.add_parser("migrate", help="apply database migrations and create the bucket")
    sub.add_parser("check", help="check binaries and language data")
    health = sub.add_parser("healthcheck", help="exit 0 while the role's heartbeat is fresh")
    health.add_argument("--role", choices=heartbeat.ROLES, required=True)
    health.add_argument("--max-age", type=float, default=heartbeat.MAX_AGE, help="seconds")
    return parser


_AGE = re.compile(r"(\d+)\s*([smhdw])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str) -> datetime:
    """``--since``: an ISO moment (naive means local time) or an age such as ``2h``."""
    age = _AGE.fullmatch(text.strip())
    if age:
        return datetime.now(UTC) - timedelta(**{_UNITS[age[2]]: int(age[1])})
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a moment or an age: {text!r}") from exc
    return moment if moment.tzinfo else moment.astimezone()


_ENGINE: Any = None
_MODEL: Any = None


def _init_engine(config: ProcessConfig) -> None:
    global _ENGINE, _MODEL
    from pipeline.engines import make_engine
    from pipeline.typemodels import cached_model

    _ENGINE = make_engine(page_time_limit=config.page_time_limit)
    _MODEL = cached_model(config.model_cache, config.types)


def _process_one(job: tuple[Path, ProcessConfig]) -> tuple[dict[str, Any] | None, str | None]:
    """Process one file in a pool process; ``(json, None)`` or ``(None, error)``."""
    from pipeline.report import capture_json
    from pipeline.run import process_capture

    path, config = job
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"{path}: cannot read ({exc.strerror or type(exc).__name__})"
    try:
        processed = process_capture(data, engine=_ENGINE, config=config, model=_MODEL)
    except IntakeError as exc:
        return None, f"{path}: {type(exc).__name__}: {exc}"
    except Exception as exc:  # a defect must not end the run for the other files
        return None, f"{path}: internal error ({type(exc).__name__})"
    return capture_json(processed.result, file=str(path)), None


def _results(files: Sequence[Path], config: ProcessConfig, jobs: int) -> Iterator[Any]:
    from pipeline.typemodels import cached_model

    work = [(f, config) for f in files]
    if jobs <= 1 or len(files) == 1:
        _init_engine(config)
        yield from map(_process_one, work)
        return
    cached_model(config.model_cache, config.types)  # trained once here, not in every process
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(files)),
        initializer=_init_engine,
        initargs=(config,),
    ) as pool:
        yield from pool.map(_process_one, work)


def cmd_process(settings: Settings, files: Sequence[Path], jobs: int) -> int:
    """Print one JSON object per file; the worst outcome decides the exit code."""
    code = EXIT_OK
    for body, error in _results(files, settings.process(), jobs):
        if error is not None:
            print(error, file=sys.stderr)
            code = EXIT_ERROR
            continue
        assert body is not None
        print(json.dumps(body, ensure_ascii=False), flush=True)
        if body["verdict"]["status"] != "accepted" and code == EXIT_OK:
            code = EXIT_REVIEW
    return code


def cmd_token_create(settings: Settings, name: str) -> int:
    """Create a token; only its hash is stored, so it is shown this once.

    As the database's owner: the application's own role may only look tokens up.
    """
    from pipeline.services import resolve
    from storage.access import create_token
    from storage.db import Database

    db = Database(resolve(settings).database_admin)
    token = secrets.token_urlsafe(32)
    try:
        create_token(db, name, token)
    except AlreadyRegistered:
        print(f"a token named {name!r} exists already", file=sys.stderr)
        return EXIT_ERROR
    finally:
        db.close()
    print(token)
    return EXIT_OK


def cmd_train(settings: Settings, per_type: int, seed: int) -> int:
    """Train a new type model, store it as the newest version, and print how it did."""
    from pipeline.services import build_services, resolve
    from pipeline.typemodels import train_and_store
    from storage.corrections import corrections

    services = build_services(settings, resolve(settings), with_engine=False)
    try:
        found = corrections(services.db)
        trained = train_and_store(
            services.store,
            services.process.types,
            found,
            per_type_language=per_type,
            seed=seed,
        )
    finally:
        services.close()
    print(json.dumps(dataclasses.asdict(trained)))
    return EXIT_OK


def cmd_ledger(settings: Settings, since: datetime, outcome: str | None, as_json: bool) -> int:
    """Print what became of each file decided since ``since``, then the counts per outcome."""
    from pipeline.services import resolve
    from storage.db import Database
    from storage.ledger import OUTCOMES, entries_since, printable

    db = Database(resolve(settings).database)
    try:
        entries = entries_since(db, since, outcome=outcome)
    finally:
        db.close()
    counts = {name: sum(e.outcome == name for e in entries) for name in OUTCOMES}
    summary = ", ".join(f"{name} {count}" for name, count in counts.items())
    if as_json:
        for entry in entries:
            record = dataclasses.asdict(entry)
            for key in ("first_seen", "decided_at"):
                record[key] = record[key].isoformat()
            for key in ("name_bytes", "kept_as_bytes"):  # a name's own bytes, in hex
                record[key] = None if record[key] is None else record[key].hex()
            line = json.dumps(record, ensure_ascii=False)
            # Line breaks JSON leaves as they are would break the line for some readers
            for char in ("\x85", "\u2028", "\u2029"):
                line = line.replace(char, f"\\u{ord(char):04x}")
            print(line)
        print(f"{len(entries)} file(s): {summary}", file=sys.stderr)
        return EXIT_OK
    rows = [("decided", "outcome", "capture / reason", "office", "scanner", "bytes", "file")]
    rows += [
        (
            e.decided_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            e.outcome,
            e.reason or e.capture_id or "",
            e.office or "-",
            e.scanner or "-",
            "" if e.size_bytes is None else str(e.size_bytes),
            printable(e.file_bytes()),  # a name's newlines and escapes, shown, not obeyed
        )
        for e in entries
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]))
    print(f"\n{len(entries)} file(s): {summary}")
    return EXIT_OK


def cmd_check() -> int:
    """Check that Tesseract, its languages and poppler are installed."""
    import shutil

    from pipeline.engines import make_engine
    from pipeline.engines.base import missing_languages

    problems = [
        f"{b} not found" for b in ("tesseract", "pdftoppm", "pdfinfo") if not shutil.which(b)
    ]
    problems += [
        f"Tesseract language {lang} missing" for lang in missing_languages("est+eng+rus+osd")
    ]
    engine = make_engine()
    print(f"OCR engine: {engine.name}")
    engine.close()
    for problem in problems:
        print(problem, file=sys.stderr)
    return EXIT_ERROR if problems else EXIT_OK


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run the chosen command."""
    if args.command == "healthcheck":  # before the heavy imports: it runs every few seconds
        health = heartbeat.check(heartbeat.folder(settings), args.role, max_age=args.max_age)
        print(health.message, file=sys.stdout if health.healthy else sys.stderr)
        return EXIT_OK if health.healthy else EXIT_ERROR
    from pipeline import processes

    if args.command == "process":
        return cmd_process(settings, args.files, args.jobs)
    if args.command == "check":
        return cmd_check()
    if args.command == "bench":
        from pipeline.bench.command import cmd_bench

        return cmd_bench(settings, args)
    if args.command == "train":
        return cmd_train(settings, args.per_type, args.seed)
    if args.command == "token":
        return cmd_token_create(settings, args.name)
    if args.command == "ledger":
        return cmd_ledger(settings, args.since, args.outcome, args.json)
    if args.command == "migrate":
        from pipeline.services import resolve
        from storage.objects import ObjectStore
        from storage.roles import set_up

        endpoints = resolve(settings)
        print(f"{set_up(endpoints.database_admin, endpoints.database)} migration(s) applied")
        ObjectStore(endpoints.store).ensure_bucket()
        print(f"bucket {endpoints.store.bucket} ready")
        return EXIT_OK
    if args.command == "up":
        from pipeline.supervise import up

        return up(settings, port=args.port or settings.api_port, workers=args.workers)
    if args.command == "worker":
        processes.run_worker(settings, threads=args.threads or settings.worker_threads)
    elif args.command == "watch":
        processes.run_watcher(settings)
    elif args.command == "api":
        processes.run_api(
            settings,
            host=args.host or settings.api_host,
            port=args.port or settings.api_port,
            listen_fd=args.listen_fd,
        )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``intake`` console script."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    args = _parser().parse_args(argv)
    from pipeline.logs import setup_logging

    setup_logging(args.log_level)
    try:
        settings = load_settings()
    except ValidationError as exc:
        print(f"invalid settings: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return dispatch(args, settings)
    except Misconfigured as exc:
        print(f"intake: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except IntakeError as exc:
        print(f"intake: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
