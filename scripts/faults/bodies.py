"""A 1 GiB body, anonymous and logged in: refused on its declared length before it is read.

Before the body limit, Django read a multipart body as soon as CSRF looked for its token and
spooled it to /tmp: a 1 GiB post to the login page filled the disk before its 403. The client
here declares 1 GiB and keeps sending until the server answers or closes; what it managed to
push is bounded by the kernel's socket buffers, not by the body, when the server reads nothing."""

from __future__ import annotations

import select
import socket
import time

from .stack import wait_until
from .web import Browser

GIB = 1024 ** 3
CHUNK = b"x" * 65536
# What loopback socket buffers can hold on both sides before a server that reads nothing stalls
# the sender: a few MiB. A server that read the body would take far more within the time limit.
MOST_BYTES_BEFORE_ANSWER = 16 * 1024 * 1024
SECONDS = 20.0


def push_huge_body(port: int, path: str, cookie: str = "") -> tuple[int, int, float]:
    """Declare a 1 GiB multipart body and send it until the server answers; returns the HTTP
    status (0 if none), the bytes sent before the answer, and the seconds it took."""
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {GIB}\r\n"
            f"Content-Type: multipart/form-data; boundary=faults\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n")
    sent, started, answer = 0, time.monotonic(), b""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head.encode())
        sock.setblocking(False)
        while time.monotonic() - started < SECONDS and sent < GIB:
            readable, writable, _ = select.select([sock], [sock], [], 0.5)
            if readable:
                try:
                    answer = sock.recv(4096)
                except OSError:
                    answer = b""
                break
            if writable:
                try:
                    sent += sock.send(CHUNK)
                except BlockingIOError:
                    continue
                except OSError:
                    break  # the server closed the connection: read whatever answer it left
        if not answer:
            sock.setblocking(True)
            sock.settimeout(2)
            try:
                answer = sock.recv(4096)
            except OSError:
                answer = b""
    status = int(answer.split()[1]) if answer.startswith(b"HTTP/") else 0
    return status, sent, time.monotonic() - started


def huge_bodies(ctx) -> None:
    from .scenarios import logged_in, prepare  # the registry in scenarios imports this module

    prepare(ctx, photos=1, size=(64, 48))
    _, port = ctx.stack.gunicorn()
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: Browser(url, timeout=2).get("/accounts/login/").ok(), timeout=60, interval=0.3,
               what="gunicorn to answer")
    browser = logged_in(ctx, url)
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.jar)
    for who, path, cookies in [("anonymous", "/accounts/login/", ""),
                               ("logged-in", "/archives/upload/file/", cookie)]:
        status, sent, seconds = push_huge_body(port, path, cookies)
        ctx.fact(f"{who} 1 GiB POST {path}: HTTP {status or 'no answer'} after {sent / 1024:.0f} KiB sent, "
                 f"{seconds * 1000:.0f} ms")
        ctx.check(status == 413, f"{who}: expected 413, got {status or 'no answer'}")
        ctx.check(sent <= MOST_BYTES_BEFORE_ANSWER,
                  f"{who}: the client pushed {sent / 1024 / 1024:.1f} MiB before the answer (server read the body?)")
    ctx.check(browser.get("/").ok(), "the portal still answers after the refused bodies")
