"""What makes the web face safe to serve to a team (issue #17).

- :class:`BodyLimit`: a request body over the limit is refused (413) before it is read
  whole, whether it says its length or not.
- :class:`TokenGate`: when the app is served beyond this machine it needs a token (the
  team's password): a page asks for it once per browser session; without it, nothing
  but the login page and the style sheet is served.
- :func:`csrf_token` and :func:`csrf_ok`: every form carries a token of the session, and
  a POST without it is refused (a page of another site cannot post to the app).
- :class:`Headers`: the browser is told to run no script, frame nothing and send no
  referrer beyond the app.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from typing import Any

__all__ = [
    "BodyLimit",
    "TokenGate",
    "Headers",
    "Shield",
    "csrf_token",
    "csrf_ok",
    "is_loopback",
    "OPEN_PATHS",
]

#: what a browser without the token may ask for
OPEN_PATHS = ("/login", "/static/")

#: the policy of every page: no script at all, styles and images from the app only
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def is_loopback(host: str) -> bool:
    """True for an address of this machine only (127.0.0.1, ::1, localhost).

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def csrf_token(session: dict[str, Any]) -> str:
    """The session's form token (made on first use).

    >>> session = {}
    >>> csrf_token(session) == csrf_token(session) == session["csrf"]
    True
    """
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def csrf_ok(session: dict[str, Any], sent: Any) -> bool:
    """Whether a posted form's token is the session's (compared in constant time).

    >>> session = {}
    >>> token = csrf_token(session)
    >>> csrf_ok(session, token), csrf_ok(session, "forged"), csrf_ok({}, token)
    (True, False, False)
    """
    expected = session.get("csrf")
    return isinstance(sent, str) and bool(expected) and hmac.compare_digest(sent, expected)


async def _refuse(send: Any, status: int, text: str) -> None:
    body = text.encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"),
               (b"content-length", str(len(body)).encode())]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _Watched:
    """An ASGI ``send`` that remembers whether the response has started (after which an
    error can no longer become a response of its own)."""

    def __init__(self, send: Any) -> None:
        self.send, self.started = send, False

    async def __call__(self, message: Any) -> None:
        self.started = self.started or message["type"] == "http.response.start"
        await self.send(message)


class _HttpMiddleware:
    """An ASGI middleware that acts on HTTP requests (:meth:`http`); the others, as the
    server's lifespan messages, and every request when it is not :meth:`active`, pass
    through untouched."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def active(self) -> bool:
        return True

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not self.active():
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        raise NotImplementedError


class BodyLimit(_HttpMiddleware):
    """ASGI middleware: a body of more than ``limit`` bytes gets 413 and is not read on."""

    def __init__(self, app: Any, limit: int) -> None:
        super().__init__(app)
        self.limit = limit

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _refuse(send, 413, "request too large")
            return
        seen = 0
        watch = _Watched(send)

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, watch)
        except _TooLarge:
            if not watch.started:
                await _refuse(send, 413, "request too large")


class _TooLarge(Exception):
    pass


class TokenGate(_HttpMiddleware):
    """ASGI middleware (inside the session middleware): with a ``token``, a session that
    has not given it sees only :data:`OPEN_PATHS`; a page is sent to the login page, any
    other request refused (403)."""

    def __init__(self, app: Any, token: str | None) -> None:
        super().__init__(app)
        self.token = token

    def active(self) -> bool:
        return self.token is not None

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope.get("session", {}).get("auth") or path.startswith(OPEN_PATHS):
            await self.app(scope, receive, send)
            return
        if scope.get("method") == "GET":
            headers = [(b"location", b"/login"), (b"content-length", b"0")]
            await send({"type": "http.response.start", "status": 303, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await _refuse(send, 403, "log in first")


class Headers(_HttpMiddleware):
    """ASGI middleware: the security headers on every response."""

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


class Shield(_HttpMiddleware):
    """ASGI middleware, the outermost: an error no page handled gets a plain 500, and the
    terminal gets one line with the error's kind and the path (ids only), never its
    message or a traceback, which may quote what a user typed."""

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        watch = _Watched(send)
        try:
            await self.app(scope, receive, watch)
        except Exception as err:
            import sys

            print(f"bondkit app: {type(err).__name__} on {scope.get('path', '')}", file=sys.stderr)
            if not watch.started:
                await _refuse(send, 500, "something went wrong / une erreur est survenue")
