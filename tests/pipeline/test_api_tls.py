"""The API serves HTTPS itself when it is given a certificate, and nothing over plain HTTP."""

from __future__ import annotations

import os
import socket
import ssl
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from config.settings import Settings
from pipeline.certs import issue
from tests.fixtures.processes import Processes, run_intake, wait_for
from tests.fixtures.services import ServiceUrls, for_service


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def write_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A private CA and a server certificate it signed for localhost: (ca, cert, key)."""
    folder.mkdir(parents=True)
    made = issue("localhost", hosts=("localhost", "127.0.0.1"))
    ca_file, cert_file, key_file = folder / "ca.crt", folder / "api.crt", folder / "api.key"
    ca_file.write_bytes(made.ca_pem)
    cert_file.write_bytes(made.cert_pem)
    key_file.write_bytes(made.key_pem)
    key_file.chmod(0o600)
    return ca_file, cert_file, key_file


def test_certificate_and_key_come_together(tmp_path: Path) -> None:
    _, cert, key = write_certificates(tmp_path / "tls")
    both = Settings(api_tls_certfile=cert, api_tls_keyfile=key)
    assert (both.api_tls_certfile, both.api_tls_keyfile) == (cert, key)
    with pytest.raises(ValidationError, match="set both or neither"):
        Settings(api_tls_certfile=cert, api_tls_keyfile=None)
    with pytest.raises(ValidationError, match="set both or neither"):
        Settings(api_tls_certfile=None, api_tls_keyfile=key)
    with pytest.raises(ValidationError):  # a file that is not there is refused at start
        Settings(api_tls_certfile=tmp_path / "missing.crt", api_tls_keyfile=key)


def test_api_refuses_to_start_with_a_certificate_but_no_key(tmp_path: Path) -> None:
    _, cert, _ = write_certificates(tmp_path / "tls")
    result = run_intake(
        "api",
        "--port",
        str(_free_port()),
        home=tmp_path,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")},
            "INTAKE_HOME": str(tmp_path / "home"),
            "INTAKE_API_TLS_CERTFILE": str(cert),
        },
    )
    assert result.returncode == 2, result.stderr
    assert "INTAKE_API_TLS_KEYFILE" in result.stderr


@pytest.mark.services
@pytest.mark.slow
def test_api_answers_over_https_with_its_ca_and_refuses_plain_http(
    service_urls: ServiceUrls, processes: Processes, tmp_path: Path, account_tmp: Path
) -> None:
    # Given: the API on real services, with a certificate our own CA signed for localhost
    # (kept where only root reads it: the API reads it before it gives up root)
    ca, cert, key = write_certificates(tmp_path / "tls")
    port = _free_port()
    env = service_urls.env(
        for_service(account_tmp / "home"),
        INTAKE_API_TLS_CERTFILE=str(cert),
        INTAKE_API_TLS_KEYFILE=str(key),
    )
    api = processes.start("api", ["api", "--port", str(port)], env)
    trusting = ssl.create_default_context(cafile=str(ca))

    def healthz() -> httpx.Response | None:
        assert api.poll() is None, processes.log_text("api")
        try:
            return httpx.get(f"https://127.0.0.1:{port}/healthz", verify=trusting, timeout=5)
        except httpx.ConnectError:
            return None  # not listening yet

    # When: a client that trusts the CA asks for /healthz over HTTPS
    response = wait_for(healthz, timeout=120, every=0.5)

    # Then: it answers, and the services are up
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ok"
    assert response.url.scheme == "https"

    # And: a client that does not trust the CA is refused the handshake
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(f"https://127.0.0.1:{port}/healthz", verify=ssl.create_default_context())

    # And: plain HTTP gets no HTTP answer at all
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    assert api.poll() is None, "a plain HTTP request must not bring the API down"
