"""Posting a create or confirm form twice, as a double click or a retry does."""

from __future__ import annotations

import re

TOKEN = re.compile(r'name="form_token"[^>]*?value="([0-9a-f]{32})"', re.S)


def form_token(client, url: str, params: dict | None = None) -> str:
    """The one-time key of the form on the page at ``url`` (the page a user would submit from)."""
    page = client.get(url, params or {}).content.decode()
    found = TOKEN.search(page)
    assert found, f"{url} 的表单没有一次性标识（form_token）"
    return found.group(1)


def post_twice(client, url: str, data, token: str):
    """The same form posted twice; ``data`` may be a callable (fresh file objects each time)."""
    responses = []
    for _ in range(2):
        body = data() if callable(data) else dict(data)
        responses.append(client.post(url, {**body, "form_token": token}))
    return responses


def assert_second_went_to_first(first, second):
    """The second post made nothing and was sent where the first one's result is."""
    assert first.status_code == 302, getattr(first, "content", b"")[:1500]
    assert second.status_code == 302 and second.url == first.url, (second.status_code, second.get("Location"))
