"""What every response carries and every request may send, before any page is built.

- A request body larger than MAX_BODY_BYTES (or one of unknown length) is refused by its
  headers, before a byte of it is read: the only bodies ilacs takes are a write token.
- Every response says `X-Content-Type-Options: nosniff` and `Referrer-Policy: same-origin`;
  HTML pages carry a Content-Security-Policy (scripts and styles from this server only, no
  framing by other sites). Inline `style` attributes stay allowed: bar widths are data.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 16 * 1024
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


class GuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = _refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _ALWAYS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            await send(message)

        await self.app(scope, receive, send_guarded)


def _refusal(scope: Scope) -> PlainTextResponse | None:
    if scope["method"] in ("GET", "HEAD", "OPTIONS"):
        return None
    headers = {key.decode("latin-1").lower(): value.decode("latin-1")
               for key, value in scope["headers"]}
    length = headers.get("content-length")
    if length is None:
        if "chunked" in headers.get("transfer-encoding", ""):
            return PlainTextResponse("a request body needs a Content-Length here", 411)
        return None
    if not length.isdigit() or int(length) > MAX_BODY_BYTES:
        return PlainTextResponse(f"a request body is at most {MAX_BODY_BYTES} bytes here "
                                 "(ilacs only takes a write token)", 413)
    return None
