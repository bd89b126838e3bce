"""Helpers for the browser tests."""

import threading

from tests.factories import PASSWORD


def log_in(page, base_url: str, user):
    """Sign ``user`` in through the real login form; returns the page."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state()
    return page


def hold(monkeypatch, owner, name: str) -> threading.Event:
    """Make ``owner.name`` wait (up to a minute) until the returned event is set, so a test can see a
    page while the job behind it is still unfinished (the worker runs in this process)."""
    opened = threading.Event()
    original = getattr(owner, name)

    def held(*args, **kwargs):
        opened.wait(60)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    return opened
