"""Settings: environment (``INTAKE_*``) over a TOML file over the shipped defaults.

Loaded once per entry point with :func:`load_settings` and handed down; each part receives
only its own section (``settings.store()``, ``settings.watch()``, ...).  Nothing here reads
the environment at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    FilePath,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from config.doctypes import DocumentTypes, load_document_types

DEFAULTS_FILE = Path(__file__).with_name("defaults.toml")


@dataclass(frozen=True)
class DatabaseConfig:
    """Where the case database is."""

    url: str


@dataclass(frozen=True)
class StoreConfig:
    """Where the object store is and how to sign in."""

    endpoint: str
    access_key: str
    secret_key: str
    bucket: str
    secure: bool = False
    ca_file: str | None = None  # the authority the store's certificate must come from


@dataclass(frozen=True)
class DropFolder:
    """One drop folder: where it is, whose it is, and how it is observed."""

    path: Path
    office: str | None = None
    scanner: str | None = None
    poll: bool = False  # list the folder every poll_interval instead of inotify (SMB/NFS)
    poll_interval: float = 2.0
    settle_seconds: float = 2.0


@dataclass(frozen=True)
class WatchConfig:
    """How drop folders are observed and what happens to a taken file."""

    drops: tuple[DropFolder, ...]
    rescan_interval: float
    after_ingest: Literal["delete", "move"]
    max_file_bytes: int = 512 * 1024 * 1024  # larger files are refused into rejected/
    max_wait_seconds: float = 600.0  # a still file that never parses is taken after this

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders under watch."""
        return tuple(drop.path for drop in self.drops)


class DropFolderEntry(BaseModel):
    """A drop folder as configured; unset observation settings take the global ones."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path
    office: str | None = None
    scanner: str | None = None
    poll: bool | None = None
    poll_interval: float | None = Field(default=None, gt=0)
    settle_seconds: float | None = Field(default=None, ge=0)


def parse_drop_folders(text: str) -> list[dict[str, str]]:
    """Read ``INTAKE_DROP_FOLDERS``: plain folders, or folders mapped to office and scanner.

    ``/a,/b`` is two plain folders.  ``/srv/drop/tallinn-1=office:Tallinn,scanner:MFP-1``
    maps a folder; mapped entries are separated by ``;``.  A JSON list is read as JSON.
    """
    text = text.strip()
    if text.startswith("["):
        import json

        loaded = json.loads(text)
        return [{"path": item} if isinstance(item, str) else item for item in loaded]
    entries: list[dict[str, str]] = []
    for chunk in (part.strip() for part in text.split(";")):
        if "=" not in chunk:
            entries += [{"path": p.strip()} for p in chunk.split(",") if p.strip()]
            continue
        path, _, attributes = chunk.partition("=")
        entry = {"path": path.strip()}
        for pair in (a.strip() for a in attributes.split(",") if a.strip()):
            key, sep, value = pair.partition(":")
            if not sep:
                raise ValueError(f"drop folder attribute {pair!r} is not key:value")
            entry[key.strip()] = value.strip()
        entries.append(entry)
    return entries


@dataclass(frozen=True)
class LegibilityConfig:
    """Where a page stops being legible; chosen from `intake bench`, not guessed."""

    min_contrast: float = 60.0
    min_sharpness: float = 0.4
    min_char_height_px: float = 9.0
    max_cut_components: int = 2
    min_ocr_confidence: float = 0.7


@dataclass(frozen=True)
class ProcessConfig:
    """Limits and OCR choices of the per-capture pipeline."""

    languages: str
    dpi: int
    max_pages: int
    max_file_bytes: int
    max_image_pixels: int
    page_time_limit: float = 120.0  # seconds to render or read one page before PAGE_TOO_SLOW
    latin_languages: str = "est+eng"
    cyrillic_languages: str = "rus+est"
    legibility: LegibilityConfig = LegibilityConfig()
    types: DocumentTypes = field(default_factory=load_document_types)
    model_cache: Path = field(default_factory=lambda: default_model_cache())
    """Where `intake process` keeps the type model it trained."""


class Settings(BaseSettings):
    """Every setting of intake; unset service URLs mean the embedded services."""

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore", frozen=True)

    home: Path = Field(default_factory=lambda: default_home())
    run_as: str = "intake"  # the account root hands over to (pipeline.accounts)
    document_types_file: Path | None = None  # None: config/document_types.toml
    model_cache: Path | None = None  # None: $XDG_CACHE_HOME/intake or ~/.cache/intake
    database_url: str | None = None  # the application's role (never a superuser)
    database_admin_url: str | None = None  # the owner, for migrations; unset: database_url
    s3_endpoint: str | None = None
    s3_access_key: SecretStr | None = None
    s3_secret_key: SecretStr | None = None
    s3_bucket: str = "intake"
    s3_secure: bool = False
    s3_ca_file: Path | None = None  # None: the system's authorities (or SSL_CERT_FILE)
    broker_url: str | None = None

    drop_folders: Annotated[list[DropFolderEntry], NoDecode] = Field(default_factory=list)
    settle_seconds: float = Field(default=2.0, ge=0)
    poll: bool = False
    poll_interval: float = Field(default=2.0, gt=0)
    rescan_interval: float = Field(default=60.0, gt=0)
    after_ingest: Literal["delete", "move"] = "delete"
    max_wait_seconds: float = Field(default=600.0, ge=0)

    api_host: str = "127.0.0.1"
    api_port: int = 8080
    api_tls_certfile: FilePath | None = None  # with api_tls_keyfile: the API serves HTTPS
    api_tls_keyfile: FilePath | None = None
    heartbeat_dir: Path | None = None  # None: home/run (pipeline.heartbeat)
    api_max_body_bytes: int = Field(default=64 * 1024, gt=0)  # larger request bodies get 413
    audit_person_codes: Literal["hashed", "full"] = "hashed"  # how the audit log keeps them
    audit_key: SecretStr | None = None  # HMAC key of the hashed person codes in the audit log

    ocr_languages: str = "est+eng+rus"
    latin_languages: str = "est+eng"
    cyrillic_languages: str = "rus+est"
    min_contrast: float = 60.0
    min_sharpness: float = 0.4
    min_char_height_px: float = 9.0
    max_cut_components: int = 2
    min_ocr_confidence: float = 0.7
    dpi: int = 300
    max_pages: int = 500
    max_file_bytes: int = 512 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    page_time_limit: float = 120.0
    max_retries: int = 8
    worker_threads: int = 1

    @field_validator("drop_folders", mode="before")
    @classmethod
    def _read_folders(cls, value: object) -> object:
        """Accept the environment's text form, and plain paths among TOML tables."""
        if isinstance(value, str):
            return parse_drop_folders(value)
        if isinstance(value, list):
            return [{"path": item} if isinstance(item, str | Path) else item for item in value]
        return value

    @field_validator("drop_folders")
    @classmethod
    def _distinct_folders(cls, value: list[DropFolderEntry]) -> list[DropFolderEntry]:
        """A folder configured twice would have two owners: refuse it."""
        seen = [entry.path.absolute() for entry in value]
        if len(set(seen)) != len(seen):
            raise ValueError("a drop folder is listed twice")
        return value

    @model_validator(mode="after")
    def _tls_pair(self) -> Settings:
        """The API's certificate and its key come together or not at all."""
        if (self.api_tls_certfile is None) != (self.api_tls_keyfile is None):
            raise ValueError(
                "INTAKE_API_TLS_CERTFILE and INTAKE_API_TLS_KEYFILE: set both or neither"
            )
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Order: arguments, environment, the site TOML (``INTAKE_CONFIG``), shipped defaults."""
        files = [DEFAULTS_FILE]
        site = os.environ.get("INTAKE_CONFIG")
        if site:
            files.append(Path(site))
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=files),  # later files win
        )

    @property
    def embedded(self) -> bool:
        """Whether any service is left to the embedded default."""
        return self.database_url is None or self.s3_endpoint is None or self.broker_url is None

    def watch(self) -> WatchConfig:
        """The watcher's section; the default drop folder lives under ``home``."""
        entries = self.drop_folders or [DropFolderEntry(path=self.home / "drop")]
        drops = tuple(
            DropFolder(
                path=entry.path.absolute(),
                office=entry.office,
                scanner=entry.scanner,
                poll=self.poll if entry.poll is None else entry.poll,
                poll_interval=entry.poll_interval or self.poll_interval,
                settle_seconds=(
                    self.settle_seconds if entry.settle_seconds is None else entry.settle_seconds
                ),
            )
            for entry in entries
        )
        return WatchConfig(
            drops=drops,
            rescan_interval=self.rescan_interval,
            after_ingest=self.after_ingest,
            max_file_bytes=self.max_file_bytes,
            max_wait_seconds=self.max_wait_seconds,
        )

    def process(self) -> ProcessConfig:
        """The per-capture pipeline's section."""
        return ProcessConfig(
            languages=self.ocr_languages,
            dpi=self.dpi,
            max_pages=self.max_pages,
            max_file_bytes=self.max_file_bytes,
            max_image_pixels=self.max_image_pixels,
            page_time_limit=self.page_time_limit,
            latin_languages=self.latin_languages,
            cyrillic_languages=self.cyrillic_languages,
            types=load_document_types(self.document_types_file),
            model_cache=self.model_cache_dir(),
            legibility=LegibilityConfig(
                min_contrast=self.min_contrast,
                min_sharpness=self.min_sharpness,
                min_char_height_px=self.min_char_height_px,
                max_cut_components=self.max_cut_components,
                min_ocr_confidence=self.min_ocr_confidence,
            ),
        )

    def model_cache_dir(self) -> Path:
        """Where ``intake process`` keeps the type model it trained."""
        return self.model_cache if self.model_cache is not None else default_model_cache()


def default_home() -> Path:
    """``var`` in the working folder; ``/var/lib/intake`` when root starts intake.

    Started by root, every process runs as an unprivileged account, which may not enter
    the folder the project was cloned into (a root home folder is 0700).
    """
    return Path("/var/lib/intake") if os.geteuid() == 0 else Path("var")


def default_model_cache() -> Path:
    """$XDG_CACHE_HOME/intake, or ~/.cache/intake."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "intake"


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings once, at an entry point."""
    return Settings(**overrides)  # type: ignore[arg-type]
