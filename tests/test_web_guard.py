"""Headers every response carries, and requests refused by their headers before their body
is read (a real server on 127.0.0.1 over the full record)."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx

from ilacs.web.guard import MAX_BODY_BYTES


def test_a_large_body_is_refused_before_it_is_read(client: httpx.Client) -> None:
    """Announce 300 MB and send none of it: the answer comes from the headers alone."""
    address = urlsplit(str(client.base_url))
    with socket.create_connection((address.hostname, address.port), timeout=10) as raw:
        raw.sendall(b"POST /api/interventions/1/confirm HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Length: 314572800\r\nContent-Type: text/plain\r\n\r\n")
        answer = raw.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413") and str(MAX_BODY_BYTES) in answer
