"""A loopback HTTP proxy that injects faults in front of a moto server (tests of the audit under faults).

Modes: ``pass`` (forwards), ``blackhole`` (reads each request, never answers), ``die`` (forwards the
first ``after`` requests, then drops every connection), ``slow`` (waits ``delay`` seconds, then
forwards), ``garbage`` (answers 200 with bytes no AWS protocol parses). Loopback only; every wait is
bounded and ends when the proxy is closed.
"""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"}


class FaultProxy:
    def __init__(self, upstream: str, mode: str = "pass", after: int = 0, delay: float = 0.0) -> None:
        up = urlsplit(upstream)
        self.upstream = (up.hostname or "127.0.0.1", up.port or 80)
        assert self.upstream[0] in ("127.0.0.1", "localhost"), "loopback only"
        self.mode, self.after, self.delay = mode, after, delay
        self.requests = 0
        self.hanging = 0  # requests held open without an answer right now
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.seen = threading.Event()  # set at the first request
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _any(self) -> None:
                proxy._handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.closed.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        with self.lock:
            self.requests += 1
            n = self.requests
        self.seen.set()
        if self.mode == "blackhole":
            with self.lock:
                self.hanging += 1
            self.closed.wait(120)  # never answered while the proxy lives
            with self.lock:
                self.hanging -= 1
            h.close_connection = True
            return
        if self.mode == "die" and n > self.after:
            h.close_connection = True
            h.connection.close()  # a dead endpoint: the connection goes away unanswered
            return
        if self.mode == "slow":
            self.closed.wait(self.delay)
        if self.mode == "garbage":
            junk = b"\x00\xffnot an AWS answer <<<{{{"
            h.send_response(200)
            h.send_header("Content-Type", "text/xml")
            h.send_header("Content-Length", str(len(junk)))
            h.end_headers()
            h.wfile.write(junk)
            return
        self._forward(h, body)

    def _forward(self, h: BaseHTTPRequestHandler, body: bytes) -> None:
        conn = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            headers = {k: v for k, v in h.headers.items() if k.lower() not in _HOP}
            conn.request(h.command, h.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        h.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in _HOP and k.lower() not in ("server", "date"):
                h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)
