"""Run once by the rabbitmq-setup service of docker-compose.yml: the application's own user.

RabbitMQ makes its administrator (RABBITMQ_ADMIN_USER with RABBITMQ_PASSWORD) when it first
starts on an empty volume.  This gives the application a user of its own
(RABBITMQ_APP_USER, RABBITMQ_APP_PASSWORD) with no tags, so that it can neither sign in to
the management UI nor use the HTTP API, and with permissions on the vhost "/" alone; api,
watcher, worker and migrate sign in as that user.  The administrator is used here and in
rabbitmq itself, nowhere else.

It speaks to the management API over HTTPS (RABBITMQ_MANAGEMENT_URL), checked against the CA
in SSL_CERT_FILE and nothing else; the passwords come from the environment, never from a
command line, and are printed nowhere.  Safe to repeat: the user is made, or given its
password and (no) tags anew, its permissions are set again, and any it has on another vhost
are taken away.  Standard library only: it
runs as ``python -I`` in the intake image.
"""

from __future__ import annotations

import base64
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

VHOST = "/"
# Dramatiq declares its queues (and their delay and dead-letter queues) itself.
PERMISSIONS = {"configure": ".*", "write": ".*", "read": ".*"}
WAIT_SECONDS = 120  # the management listener may come up after the AMQP one


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        sys.exit(f"{name} is not set")
    return value


class Management:
    """The management HTTP API of one node, as its administrator."""

    def __init__(self, url: str, user: str, password: str, cafile: str) -> None:
        if not url.startswith("https://"):
            sys.exit("RABBITMQ_MANAGEMENT_URL must be https://")
        self.url = url.rstrip("/")
        self.context = ssl.create_default_context(cafile=cafile)
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """One request; the decoded answer (``None`` when empty)."""
        request = urllib.request.Request(
            self.url + path,
            data=None if body is None else json.dumps(body).encode(),
            headers=self.headers,
            method=method,
        )
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=10) as response:
                data = response.read()
        except urllib.error.HTTPError as exc:
            exc.close()  # the status is all that is read of it
            raise
        return json.loads(data) if data else None

    def wait(self) -> None:
        """Until the API answers this administrator (the node may still be starting)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                self.call("GET", "/api/whoami")
                return
            except urllib.error.HTTPError as exc:
                if exc.code in (401, 403):
                    sys.exit(f"the management API refused the administrator: {exc.code}")
                failure: str = f"HTTP {exc.code}"
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, ssl.SSLCertVerificationError):
                    sys.exit(f"the management API's certificate is not trusted: {reason}")
                failure = type(reason).__name__
            if time.monotonic() > deadline:
                sys.exit(f"the management API did not answer: {failure}")
            time.sleep(2)


def _tags(user: dict[str, Any]) -> list[str]:
    """A user's tags: a list in RabbitMQ 3.9 and later, a comma-separated string before."""
    tags = user.get("tags", [])
    if isinstance(tags, str):
        return [t for t in tags.split(",") if t]
    return [str(t) for t in tags]


def main() -> None:
    """Make or update the application's user, then check what it may do."""
    admin = _required("RABBITMQ_ADMIN_USER")
    admin_password = _required("RABBITMQ_PASSWORD")
    app = _required("RABBITMQ_APP_USER")
    app_password = _required("RABBITMQ_APP_PASSWORD")
    if app == admin:
        sys.exit("RABBITMQ_APP_USER must not be the administrator")
    if app_password == admin_password:
        sys.exit("RABBITMQ_APP_PASSWORD must not be RABBITMQ_PASSWORD")
    api = Management(
        _required("RABBITMQ_MANAGEMENT_URL"), admin, admin_password, _required("SSL_CERT_FILE")
    )
    api.wait()

    try:
        _set_up(api, app, app_password)
    except urllib.error.HTTPError as exc:
        sys.exit(f"the management API answered {exc.code} to {exc.url}")
    print(f"user {app} ready: no tags, permissions on vhost {VHOST!r} only")


def _path(name: str) -> str:
    return "/" + urllib.parse.quote(name, safe="")


def _set_up(api: Management, app: str, password: str) -> None:
    user = _path(app)
    api.call("PUT", f"/api/users{user}", {"password": password, "tags": ""})
    api.call("PUT", f"/api/permissions{_path(VHOST)}{user}", PERMISSIONS)
    for granted in api.call("GET", f"/api/users{user}/permissions"):
        if granted["vhost"] != VHOST:
            api.call("DELETE", f"/api/permissions{_path(str(granted['vhost']))}{user}")

    # What the user may do now: no tag, and the one vhost.
    tags = _tags(api.call("GET", f"/api/users{user}"))
    if tags:
        sys.exit(f"{app} still has the tags {', '.join(tags)}")
    vhosts = sorted(str(p["vhost"]) for p in api.call("GET", f"/api/users{user}/permissions"))
    if vhosts != [VHOST]:
        sys.exit(f"{app} has permissions on the vhosts {vhosts}, not on {VHOST!r} alone")


if __name__ == "__main__":
    main()
