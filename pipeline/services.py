"""build_services(settings): the one place that picks implementations and endpoints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from config.errors import Misconfigured
from config.settings import DatabaseConfig, ProcessConfig, Settings, StoreConfig
from pipeline.engines.base import OcrEngine
from storage.db import Database
from storage.objects import ObjectStore

if TYPE_CHECKING:
    from pipeline.typemodels import NewestModel


@dataclass(frozen=True)
class Endpoints:
    """Where each real service is, after the embedded defaults are filled in."""

    database: DatabaseConfig  # the application's role
    database_admin: DatabaseConfig  # the owner, for migrations (the same when not configured)
    store: StoreConfig
    broker_url: str


def resolve(settings: Settings) -> Endpoints:
    """Configured URLs, or those of the embedded services a running ``intake up`` wrote."""
    from pipeline.embedded import read_endpoints

    running = read_endpoints(settings.home) if settings.embedded else None
    if settings.embedded and running is None:
        raise Misconfigured(
            f"no service configured and no embedded services running under {settings.home}:"
            " start `intake up` or set INTAKE_DATABASE_URL, INTAKE_S3_*, INTAKE_BROKER_URL"
        )
    database_url = settings.database_url or (running.database_url if running else "")
    admin_url = (
        settings.database_admin_url
        or settings.database_url
        or (running.database_admin_url if running else "")
    )
    broker_url = settings.broker_url or (running.broker_url if running else "")
    if settings.s3_endpoint:
        if settings.s3_access_key is None or settings.s3_secret_key is None:
            raise Misconfigured("INTAKE_S3_ACCESS_KEY and INTAKE_S3_SECRET_KEY are required")
        store = StoreConfig(
            endpoint=settings.s3_endpoint,
            access_key=settings.s3_access_key.get_secret_value(),
            secret_key=settings.s3_secret_key.get_secret_value(),
            bucket=settings.s3_bucket,
            secure=settings.s3_secure,
            ca_file=str(settings.s3_ca_file) if settings.s3_ca_file else None,
        )
    else:
        assert running is not None
        store = StoreConfig(
            endpoint=running.s3_endpoint,
            access_key=running.s3_access_key,
            secret_key=running.s3_secret_key,
            bucket=running.s3_bucket,
            secure=True,
            ca_file=running.s3_ca_file,
        )
    if not database_url or not admin_url or not broker_url or not store.endpoint:
        raise Misconfigured("a service endpoint is missing from the embedded services file")
    return Endpoints(
        database=DatabaseConfig(url=database_url),
        database_admin=DatabaseConfig(url=admin_url),
        store=store,
        broker_url=broker_url,
    )


@dataclass
class Services:
    """The adapters a process works with, opened once at its entry point."""

    db: Database
    store: ObjectStore
    process: ProcessConfig
    max_retries: int
    enqueue: Callable[[str], None] = field(default=lambda _capture_id: None)
    engine: OcrEngine | None = None
    model: NewestModel | None = None

    def close(self) -> None:
        """Close the database pool and the OCR engine."""
        self.db.close()
        if self.engine is not None:
            self.engine.close()


def build_services(settings: Settings, endpoints: Endpoints, *, with_engine: bool) -> Services:
    """Open the database pool and the store; the OCR engine only for workers."""
    from pipeline.engines import make_engine
    from pipeline.typemodels import NewestModel

    store = ObjectStore(endpoints.store)
    process = settings.process()
    return Services(
        db=Database(endpoints.database),
        store=store,
        process=process,
        max_retries=settings.max_retries,
        engine=make_engine(page_time_limit=process.page_time_limit) if with_engine else None,
        model=NewestModel(store, process.types, settings.model_cache_dir())
        if with_engine
        else None,
    )
