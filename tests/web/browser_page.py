"""A bare page around a rendered suite, served on 127.0.0.1 with the site's Content-Security-Policy,
so taskview.js is exercised in Chromium before (and apart from) the real task page."""

import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources

from kvorum.web.headers import CONTENT_SECURITY_POLICY

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Task</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/taskview.css">
<script src="/static/taskview.js" defer></script></head>
<body><main><form method="post" action="/submit">{suite}
<button type="submit">Submit</button>
<button type="submit" name="action" value="skip" formnovalidate>Skip</button>
</form></main></body></html>"""


@dataclass
class Site:
    url: str
    suite: str = ""
    posts: list[dict[str, list[str]]] = field(default_factory=list)


@contextmanager
def serve() -> Iterator[Site]:
    """A server on a free local port: GET /page shows `site.suite`, POST /submit records the form."""
    static = resources.files("kvorum.web") / "static"
    site = Site(url="")

    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path == "/page":
                self._send(200, PAGE.format(suite=site.suite).encode(), "text/html; charset=utf-8")
            elif self.path in ("/static/taskview.js", "/static/taskview.css"):
                name = self.path.rsplit("/", 1)[1]
                kind = "text/javascript" if name.endswith(".js") else "text/css"
                self._send(200, (static / name).read_bytes(), f"{kind}; charset=utf-8")
            else:
                self._send(404, b"", "text/plain")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            site.posts.append(urllib.parse.parse_qs(self.rfile.read(length).decode(), keep_blank_values=True))
            self._send(200, b"<!doctype html><title>Sent</title><p>Sent</p>", "text/html; charset=utf-8")

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
