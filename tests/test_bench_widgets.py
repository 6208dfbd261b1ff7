"""``bench_widgets`` waits for JupyterLab's kernel without falling over on the server's 500.

While jupyter_server starts a kernel, ``GET api/kernels`` can answer 500 Internal Server
Error (the kernel is listed before its ``last_activity`` is set). The benchmark's wait must
read that as "not yet" and ask again; it once raised instead, and failed a CI run.
"""

from __future__ import annotations

import http.server
import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_widgets


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[int, object]]]]:
    """A local server that answers ``api/kernels`` with the next (status, body) queued."""
    answers: list[tuple[int, object]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            assert self.path == "/api/kernels", self.path
            status, body = answers.pop(0)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", answers
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_500_while_the_kernel_starts_means_not_yet(server) -> None:
    url, answers = server
    answers.append((500, {"message": "Unhandled error"}))
    assert bench_widgets._kernel_connected(url) is False
    assert answers == []  # the server was asked


def test_a_starting_or_unconnected_kernel_is_not_ready(server) -> None:
    url, answers = server
    answers.append((200, [{"id": "k", "execution_state": "starting", "connections": 1}]))
    answers.append((200, [{"id": "k", "execution_state": "idle", "connections": 0}]))
    answers.append((200, []))
    assert [bench_widgets._kernel_connected(url) for _ in range(3)] == [False] * 3


def test_an_idle_kernel_with_the_page_connected_is_ready(server) -> None:
    url, answers = server
    answers.append((200, [{"id": "k", "execution_state": "idle", "connections": 1}]))
    assert bench_widgets._kernel_connected(url) is True


def test_no_server_at_all_is_not_yet() -> None:
    assert bench_widgets._kernel_connected("http://127.0.0.1:9/") is False
