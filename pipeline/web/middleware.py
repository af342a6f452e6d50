"""Pure ASGI middleware of the API: what every request passes before any route sees it.

Outermost first: the access log, the security headers, the last-resort error answer, the
request-size limit and the token check.  The last two look at headers only, so a body is
never read, let alone parsed, for a caller without a token or beyond the size limit.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Collection, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config.errors import BackendUnavailable

log = logging.getLogger(__name__)

CALLER = "caller"  # the request.state attribute naming the token's owner
PROBLEM = "application/problem+json"
SECURITY_HEADERS = {
    # Documents, their text and the codes of the people in them must not stay in caches.
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def problem(
    status: int,
    title: str,
    detail: str = "",
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """An RFC 9457 problem document; 401 asks for a bearer token."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    sent = dict(headers or {})
    if status == 401:
        sent["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=sent or None)


def route_template(scope: Scope) -> str:
    """The template of the route that answered (``-`` when none did), never the URL."""
    return str(getattr(scope.get("route"), "path", "-"))


def on_start(send: Send, note: Callable[[Message], object]) -> Send:
    """``send``, first showing ``note`` the message that starts the response."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            note(message)
        await send(message)

    return sending


class AccessLog:
    """One log line per request: method, route template and status (query strings carry codes)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Log the request once it is answered."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        statuses: list[int] = []
        try:
            await self.app(scope, receive, on_start(send, lambda m: statuses.append(m["status"])))
        finally:
            status = statuses[0] if statuses else "-"
            log.info("%s %s %s", scope["method"], route_template(scope), status)


class SecurityHeaders:
    """``no-store``, ``nosniff`` and ``no-referrer`` on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers to the response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        def mark(message: Message) -> None:
            MutableHeaders(scope=message).update(SECURITY_HEADERS)

        await self.app(scope, receive, on_start(send, mark))


class LastResort:
    """Any exception no handler took becomes a 500 (503 for a service down) without detail.

    Only the exception's type and stack are logged: its message may quote the input.  It is
    not raised on, so the server does not log the message either.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the application; answer for it when it raises."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started: list[Message] = []
        try:
            await self.app(scope, receive, on_start(send, started.append))
        except Exception as exc:
            down = isinstance(exc, BackendUnavailable)
            stack = "" if down else "".join(traceback.format_tb(exc.__traceback__))
            log.error(
                "%s %s failed: %s\n%s",
                scope["method"],
                route_template(scope),
                type(exc).__name__,
                stack,
            )
            if started:
                return
            response = (
                problem(503, "service unavailable") if down else problem(500, "internal error")
            )
            await response(scope, receive, send)


class _TooLarge(Exception):
    """The request body went over the limit while it was being read."""


def _declared_length(scope: Scope) -> int | None:
    """The Content-Length of the request; ``ValueError`` when it is not one number."""
    values = set(Headers(scope=scope).getlist("content-length"))
    if not values:
        return None
    (value,) = values  # ValueError when they disagree
    if not (value.isascii() and value.isdigit()):
        raise ValueError("Content-Length is not a number")
    return int(value)


def _too_large() -> JSONResponse:
    return problem(413, "request body too large", headers={"Connection": "close"})


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413.

    A declared Content-Length over the limit is refused at once, before anything is read;
    a body without one (chunked) is counted as it arrives and cut off at the limit, and
    whatever the application then answers is replaced by the 413.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse or count the body, then run the application."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            declared = _declared_length(scope)
        except ValueError:
            await problem(400, "invalid Content-Length", headers={"Connection": "close"})(
                scope, receive, send
            )
            return
        if declared is not None and declared > self.max_bytes:
            await _too_large()(scope, receive, send)
            return
        received = 0
        over = False
        started = False

        async def counted() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    over = True
                    raise _TooLarge
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if over and not started:
                return  # the application's answer to a cut-off body: the 413 replaces it
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not (over and not started):
                raise
        if over and not started:
            await _too_large()(scope, receive, send)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or ``None``."""
    if authorization is None:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 1024 or " " in token:
        return None
    return token


class Authenticate:
    """Every path but ``open_paths`` needs a live bearer token, checked before the body is read.

    ``owner`` names the token's owner (or gives ``None``); the name is put on
    ``request.state`` under :data:`CALLER` for the routes.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        owner: Callable[[str], str | None],
        open_paths: Collection[str] = ("/healthz",),
    ) -> None:
        self.app = app
        self.owner = owner
        self.open_paths = frozenset(open_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the token, then run the application."""
        if scope["type"] != "http" or scope["path"] in self.open_paths:
            await self.app(scope, receive, send)
            return
        token = bearer_token(Headers(scope=scope).get("authorization"))
        if token is None:
            await problem(401, "a bearer token is required")(scope, receive, send)
            return
        name = await run_in_threadpool(self.owner, token)  # the database is not async
        if name is None:
            await problem(401, "unknown or revoked token")(scope, receive, send)
            return
        scope["state"] = {**scope.get("state", {}), CALLER: name}
        await self.app(scope, receive, send)
