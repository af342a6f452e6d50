"""The object store on a real S3 server: checksummed, repeat-safe writes; loud failures."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from minio.error import S3Error

from config.errors import BackendUnavailable, IntakeError
from config.settings import StoreConfig
from pipeline.embedded import free_port
from storage.objects import ObjectStore, file_sha256
from tests.fixtures.services import ServiceUrls

pytestmark = pytest.mark.services


@pytest.fixture
def prefix(unique: str) -> str:
    """A key prefix of this test's own."""
    return f"test-objects/{unique}"


@pytest.fixture(autouse=True)
def _no_stray_prefix(store: ObjectStore, prefix: str) -> Iterator[None]:
    """Remove this test's objects afterwards, so runs against a shared server stay small."""
    yield
    for item in store.client.list_objects(store.bucket, prefix=f"{prefix}/", recursive=True):
        store.client.remove_object(store.bucket, item.object_name)


@pytest.fixture
def wrong_credentials(service_urls: ServiceUrls) -> ObjectStore:
    """The test S3 server with a secret key that is not the right one."""
    return ObjectStore(replace(service_urls.store, secret_key="not-the-secret-key"))


@pytest.fixture(scope="module")
def closed_port_store() -> ObjectStore:
    """A store configured at a loopback port nothing listens on."""
    return ObjectStore(
        StoreConfig(
            endpoint=f"127.0.0.1:{free_port()}",
            access_key="intake",
            secret_key="intake-secret",
            bucket="intake",
        )
    )


def content_type(store: ObjectStore, key: str) -> str | None:
    """What the server records as the object's content type."""
    info = store.client.stat_object(store.bucket, key)
    value: str | None = info.content_type
    return value


def test_put_returns_the_sha256_and_stat_reports_it(store: ObjectStore, prefix: str) -> None:
    # Given some bytes
    data = b"%PDF-1.7 searchable"

    # When they are put
    digest = store.put(f"{prefix}/a.pdf", data, content_type="application/pdf")

    # Then the hash is the content's and stat reports it with the size
    assert digest == hashlib.sha256(data).hexdigest()
    info = store.stat(f"{prefix}/a.pdf")
    assert info is not None
    assert (info.key, info.size, info.sha256) == (f"{prefix}/a.pdf", len(data), digest)


def test_putting_the_same_bytes_again_changes_nothing(store: ObjectStore, prefix: str) -> None:
    # Given an object stored as a PDF
    key = f"{prefix}/same.pdf"
    data = b"%PDF-1.7 same bytes"
    first = store.put(key, data, content_type="application/pdf")

    # When the same bytes are put again (a redelivered message), with other metadata
    second = store.put(key, data, content_type="application/octet-stream")

    # Then the stored object was left alone
    assert second == first
    assert content_type(store, key) == "application/pdf"
    assert store.get(key) == data


def test_putting_other_bytes_replaces_the_object(store: ObjectStore, prefix: str) -> None:
    # Given an object
    key = f"{prefix}/changed.json"
    store.put(key, b'{"v": 1}', content_type="application/json")

    # When different bytes are put under the same key
    digest = store.put(key, b'{"v": 2}', content_type="application/json")

    # Then the new bytes and their hash are what the store holds
    assert store.get(key) == b'{"v": 2}'
    info = store.stat(key)
    assert info is not None
    assert info.sha256 == digest == hashlib.sha256(b'{"v": 2}').hexdigest()


def test_get_and_stream_return_exactly_the_stored_bytes(store: ObjectStore, prefix: str) -> None:
    # Given 200 KiB of random bytes in the store
    key = f"{prefix}/big.bin"
    data = os.urandom(200 * 1024)
    store.put(key, data, content_type="application/octet-stream")

    # When they are read whole and streamed in 64 KiB chunks
    whole = store.get(key)
    chunks = list(store.stream(key, chunk=64 * 1024))

    # Then both give back every byte, the stream in several chunks
    assert whole == data
    assert len(chunks) > 1
    assert b"".join(chunks) == data


def test_put_file_stores_a_file_with_its_hash(
    store: ObjectStore, prefix: str, tmp_path: Path
) -> None:
    # Given a file on disk and its hash
    path = tmp_path / "scan.tif"
    path.write_bytes(b"II*\x00" + os.urandom(4096))
    digest = file_sha256(str(path))
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()

    # When it is stored twice
    store.put_file(f"{prefix}/scan", str(path), sha256=digest, content_type="image/tiff")
    store.put_file(f"{prefix}/scan", str(path), sha256=digest, content_type="text/plain")

    # Then the store holds its bytes with the hash, as first written
    info = store.stat(f"{prefix}/scan")
    assert info is not None
    assert (info.size, info.sha256) == (path.stat().st_size, digest)
    assert store.get(f"{prefix}/scan") == path.read_bytes()
    assert content_type(store, f"{prefix}/scan") == "image/tiff"


def test_stat_of_a_missing_key_is_none(store: ObjectStore, prefix: str) -> None:
    assert store.stat(f"{prefix}/never-written") is None


def test_ping_answers_when_the_store_is_up(store: ObjectStore) -> None:
    store.ping()


# --- failures ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "operation",
    [
        pytest.param(lambda s: s.stat("k"), id="stat"),
        pytest.param(lambda s: s.put("k", b"x", content_type="text/plain"), id="put"),
    ],
)
def test_wrong_credentials_fail_stat_and_put_as_unavailable(
    operation: Callable[[ObjectStore], object], wrong_credentials: ObjectStore
) -> None:
    # When a store with the wrong secret key is used
    with pytest.raises(BackendUnavailable) as failure:
        operation(wrong_credentials)

    # Then the failure is loud and says what the server refused
    assert "SignatureDoesNotMatch" in str(failure.value)


def test_wrong_credentials_fail_get_with_a_translated_refusal(
    wrong_credentials: ObjectStore, store: ObjectStore, prefix: str
) -> None:
    # Given an object that exists
    store.put(f"{prefix}/private", b"secret", content_type="text/plain")

    # When it is read with the wrong secret key, the refusal is translated at the boundary
    with pytest.raises(BackendUnavailable, match="SignatureDoesNotMatch") as failure:
        wrong_credentials.get(f"{prefix}/private")
    assert isinstance(failure.value.__cause__, S3Error)


def test_ping_with_wrong_credentials_raises_an_intake_error(
    wrong_credentials: ObjectStore,
) -> None:
    with pytest.raises(IntakeError):
        wrong_credentials.ping()


def test_ping_fails_when_the_bucket_does_not_exist(service_urls: ServiceUrls) -> None:
    # Given the right server and credentials but a bucket that was never made
    missing = ObjectStore(replace(service_urls.store, bucket="no-such-bucket-here"))

    # Then ping does not pretend the store is usable
    with pytest.raises(IntakeError):
        missing.ping()


@pytest.mark.parametrize(
    "operation",
    [
        pytest.param(lambda s: s.ping(), id="ping"),
        pytest.param(lambda s: s.stat("k"), id="stat"),
        pytest.param(lambda s: s.put("k", b"x", content_type="text/plain"), id="put"),
        pytest.param(lambda s: s.get("k"), id="get"),
    ],
)
def test_a_store_at_a_closed_port_is_unavailable(
    operation: Callable[[ObjectStore], object], closed_port_store: ObjectStore
) -> None:
    with pytest.raises(BackendUnavailable):
        operation(closed_port_store)
