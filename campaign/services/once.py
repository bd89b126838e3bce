"""Create and confirm forms take effect once, however often they are posted.

Every create or confirm form carries a one-time key (``form_token``, made when the page is drawn;
a confirm page names its one-time preview instead). The view runs its service inside
``submit_once``: the key is inserted into ``FormSubmission`` (unique) in the same transaction as
what the service creates. A second post of the same form, even 50 ms later and in parallel, blocks
on the unique key until the first transaction ends; if the first committed, the second creates
nothing and is redirected to the first one's result; if the first failed (a refusal, a crash),
its key went with it and the second goes ahead. The buttons are also disabled while a post is in
flight (static/campaign/app.js), but the server does not rely on that.

A post without a key (an old page, a script) is served as before, without the guard."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from functools import wraps

from django.contrib import messages
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import redirect

from campaign.models import FormSubmission

FIELD = "form_token"


def new_token() -> str:
    return uuid.uuid4().hex


def posted_key(request, prefix: str = "form") -> str | None:
    """The key of the posted form (``prefix:token``), or None when it carries no valid one."""
    raw = request.POST.get(FIELD, "") if request.method == "POST" else ""
    try:
        return f"{prefix}:{uuid.UUID(raw).hex}" if raw else None
    except ValueError:
        return None


class Once:
    """What ``submit_once`` yields: ``earlier`` is a response to return when this form was already
    carried out; otherwise call ``done(result)`` with what the form made."""

    def __init__(self, request, key: str | None):
        self.request, self.key = request, key
        self.earlier = None
        self.url = ""

    def done(self, result) -> None:
        """Record the page of what this form made (an object with get_absolute_url, or a URL)."""
        self.url = result.get_absolute_url() if hasattr(result, "get_absolute_url") else str(result)


@contextmanager
def submit_once(request, key: str | None = None):
    """Run a form's create or confirm at most once per key (default: the posted ``form_token``)."""
    key = key if key is not None else posted_key(request)
    once = Once(request, key)
    if key is None:
        yield once
        return
    with transaction.atomic():
        earlier = _claim(key, request.user)
        if earlier is not None:
            once.earlier = _answer(request, earlier)
            yield once
            return
        yield once
        if once.url:
            FormSubmission.objects.filter(key=key).update(url=once.url[:300])
        else:  # nothing was made (the view showed the form again): the key may be used again
            FormSubmission.objects.filter(key=key).delete()


def once_per_form(view):
    """Answer a form that was already carried out with its first result, before the view checks
    anything (a second post would otherwise meet "already exists" errors, or a state the first one
    changed). Concurrent posts that pass this point meet in ``submit_once``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return replay(request) or view(request, *args, **kwargs)

    return wrapper


def replay(request, key: str | None = None):
    """The answer to a form already carried out (by ``key``, default the posted one), else None.
    Only reads: a view calls it before its checks, and claims the key later in ``submit_once``."""
    key = key if key is not None else posted_key(request)
    earlier = FormSubmission.objects.filter(key=key).first() if key is not None else None
    return _answer(request, earlier) if earlier is not None else None


def _claim(key: str, user) -> FormSubmission | None:
    """Insert the key; None if this request holds it now, else the committed earlier row. An insert
    that meets a key another transaction holds waits for that transaction to end."""
    table = FormSubmission._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, user_id, created_at, url) VALUES (%s, %s, NOW(), '') "
            "ON CONFLICT (key) DO NOTHING RETURNING id",
            [key, user.pk],
        )
        if cursor.fetchone() is not None:
            return None
    return FormSubmission.objects.get(key=key)


def _answer(request, earlier: FormSubmission):
    if earlier.user_id != request.user.pk or not earlier.url:
        messages.error(request, "这张表单已经失效，请重新打开页面填写。")
        return _go(request, request.path)
    messages.info(request, "这张表单已经提交过，没有重复创建；下面是上次提交的结果。")
    return _go(request, earlier.url)


def _go(request, url: str):
    """A redirect; for an htmx post, the header that makes htmx load the page."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
