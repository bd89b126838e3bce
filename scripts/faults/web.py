"""A tiny browser for the scenarios: cookies, the CSRF token, no automatic redirects, and the
status and wall time of every request (standard library only)."""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Hit:
    method: str
    path: str
    status: int  # 0: no HTTP answer at all (connection refused, reset, timeout)
    seconds: float
    location: str = ""
    error: str = ""

    def ok(self, *expected: int) -> bool:
        return self.status in (expected or (200,))

    def __str__(self):
        where = f" → {self.location}" if self.location else ""
        err = f" ({self.error})" if self.error else ""
        return f"{self.method} {self.path} {self.status or 'no answer'} in {self.seconds * 1000:.0f} ms{where}{err}"


class Browser:
    def __init__(self, base_url: str, *, timeout: float = 30.0):
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.hits: list[Hit] = []
        self.last_body = ""

    def request(self, method: str, path: str, data: dict | None = None) -> Hit:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, method=method)
        started = time.monotonic()
        status, location, error, text = 0, "", "", ""
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:
                status, text = resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:  # 3xx (redirects not followed), 4xx, 5xx
            status, location = exc.code, exc.headers.get("Location", "")
            text = exc.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as exc:
            error = str(getattr(exc, "reason", exc))
        hit = Hit(method, path, status, time.monotonic() - started, location, error)
        self.hits.append(hit)
        self.last_body = text
        return hit

    def get(self, path: str) -> Hit:
        return self.request("GET", path)

    def csrf(self) -> str:
        found = CSRF_INPUT.search(self.last_body)
        if found:
            return found.group(1)
        for cookie in self.jar:
            if cookie.name == "csrftoken":
                return cookie.value
        raise RuntimeError("no CSRF token on the last page")

    def post_form(self, page: str, action: str, data: dict) -> tuple[Hit, Hit]:
        """GET the page that holds the form, then POST it with its CSRF token."""
        shown = self.get(page)
        if not shown.ok():
            return shown, shown
        return shown, self.request("POST", action, {**data, "csrfmiddlewaretoken": self.csrf()})

    def login(self, username: str, password: str) -> Hit:
        _, posted = self.post_form("/accounts/login/", "/accounts/login/",
                                   {"username": username, "password": password})
        return posted
