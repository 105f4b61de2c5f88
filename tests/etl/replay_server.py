"""A real HTTP server on 127.0.0.1 that replays scripted replies, faults included, for the fetch tests.

Each request takes the next scripted `Reply` (or asks a function for one); a reply may be slow (`delay`), claim a
longer body than it sends (`declared_length`: the connection is then closed mid-body), or carry any status and
headers. Every request is recorded (path, query, headers) so tests can check exactly what was asked.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    delay: float = 0.0  # seconds before the status line is sent
    declared_length: int | None = None  # Content-Length sent; larger than the body gives a truncated reply


@dataclass(frozen=True)
class Seen:
    path: str
    query: dict[str, str]
    raw_query: str
    headers: dict[str, str]


class ReplayServer:
    """`url` is the base address; `requests` lists what was asked, in order."""

    def __init__(self, replies: list[Reply] | Callable[[Seen], Reply]) -> None:
        self.replies = replies
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # the name http.server calls
                parts = urlsplit(self.path)
                seen = Seen(
                    path=parts.path,
                    query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                    raw_query=parts.query,
                    headers={k.lower(): v for k, v in self.headers.items()},
                )
                reply = server._next(seen)
                time.sleep(reply.delay)
                length = len(reply.body) if reply.declared_length is None else reply.declared_length
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(length))
                    if length != len(reply.body):
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    self.wfile.write(reply.body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout tests)

            def log_message(self, *_: object) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def _next(self, seen: Seen) -> Reply:
        with self._lock:
            self.requests.append(seen)
            if callable(self.replies):
                return self.replies(seen)
            if not self.replies:
                return Reply(status=599, body=b"no scripted reply left")
            return self.replies.pop(0)


@contextmanager
def serving(replies: list[Reply] | Callable[[Seen], Reply]) -> Iterator[ReplayServer]:
    server = ReplayServer(replies)
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
        thread.join(timeout=5)
