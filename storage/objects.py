"""The object store through the ``minio`` client (MinIO in production, SeaweedFS embedded)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import urllib3
from minio import Minio
from minio.error import MinioException, S3Error

from config.errors import BackendUnavailable
from config.settings import StoreConfig

_SHA_META = "sha256"


@dataclass(frozen=True)
class StoredObject:
    """What the store says about one object."""

    key: str
    size: int
    sha256: str | None


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except S3Error as exc:
        raise BackendUnavailable(f"object store refused: {exc.code}") from exc
    except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
        raise BackendUnavailable(f"object store unavailable: {type(exc).__name__}") from exc


class ObjectStore:
    """One bucket; keys are derived from content hashes or capture ids, so writes repeat safely."""

    def __init__(self, config: StoreConfig) -> None:
        self.bucket = config.bucket
        # With a CA file, the store's certificate must come from that authority alone.
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=3.0, read=60.0),
            retries=urllib3.Retry(
                total=2, backoff_factor=0.2, status_forcelist=(500, 502, 503, 504)
            ),
            maxsize=8,
            cert_reqs="CERT_REQUIRED" if config.ca_file else None,
            ca_certs=config.ca_file,
        )
        self.client = Minio(
            config.endpoint,
            access_key=config.access_key,
            secret_key=config.secret_key,
            secure=config.secure,
            http_client=http,
        )

    def ensure_bucket(self) -> None:
        """Create the bucket if it does not exist."""
        with _translated():
            if not self.client.bucket_exists(self.bucket):
                try:
                    self.client.make_bucket(self.bucket)
                except S3Error as exc:
                    if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                        raise

    def ping(self) -> None:
        """Raise ``BackendUnavailable`` unless the store answers for our bucket."""
        with _translated():
            exists = self.client.bucket_exists(self.bucket)
        if not exists:
            raise BackendUnavailable(f"bucket {self.bucket} does not exist")

    def put(self, key: str, data: bytes, *, content_type: str) -> str:
        """Store ``data`` under ``key`` with its SHA-256 in the metadata; returns the hash.

        An object already there with the same hash is left alone.
        """
        digest = hashlib.sha256(data).hexdigest()
        existing = self.stat(key)
        if existing is not None and existing.sha256 == digest and existing.size == len(data):
            return digest
        with _translated():
            self.client.put_object(
                self.bucket,
                key,
                io.BytesIO(data),
                length=len(data),
                content_type=content_type,
                metadata={_SHA_META: digest},
            )
        return digest

    def put_file(self, key: str, path: str, *, sha256: str, content_type: str) -> None:
        """Store a file under ``key`` (streamed, multipart when large) unless it is there."""
        existing = self.stat(key)
        if existing is not None and existing.sha256 == sha256:
            return
        with _translated():
            self.client.fput_object(
                self.bucket, key, path, content_type=content_type, metadata={_SHA_META: sha256}
            )

    def stat(self, key: str) -> StoredObject | None:
        """Size and recorded SHA-256 of ``key``, or ``None`` when absent."""
        with _translated():
            try:
                info = self.client.stat_object(self.bucket, key)
            except S3Error as exc:
                if exc.code in ("NoSuchKey", "NoSuchObject", "ResourceNotFound"):
                    return None
                raise
        meta = {k.lower(): v for k, v in (info.metadata or {}).items()}
        sha = meta.get(f"x-amz-meta-{_SHA_META}")
        return StoredObject(key=key, size=int(info.size or 0), sha256=sha)

    def keys(self, prefix: str) -> list[str]:
        """Every key under ``prefix``, sorted."""
        with _translated():
            found = self.client.list_objects(self.bucket, prefix=prefix, recursive=True)
            return sorted(str(o.object_name) for o in found if o.object_name)

    def get(self, key: str) -> bytes:
        """The whole object."""
        return b"".join(self.stream(key))

    def stream(self, key: str, chunk: int = 1 << 16) -> Iterator[bytes]:
        """The object in chunks, for streaming responses."""
        with _translated():
            response = self.client.get_object(self.bucket, key)
        try:
            with _translated():
                yield from response.stream(chunk)
        finally:
            response.close()
            response.release_conn()


def file_sha256(path: str, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:  # noqa: PTH123 - str paths come from the watcher
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()
