"""An uploaded file waiting between preview and confirm. The file sits in private storage
(``imports/<uuid>.xlsx`` under MEDIA_ROOT, never served); its token lives in the uploader's
session together with the options chosen, so only that user can preview or confirm it, and any
web process can (nothing is kept in memory)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import timezone

SESSION_KEY = "pending_imports"
FOLDER = "imports"
KEEP = timedelta(hours=24)


def _path(token: str) -> str:
    return f"{FOLDER}/{token}.xlsx"


def store(request, *, kind: str, data: bytes, filename: str, options: dict | None = None) -> str:
    sweep()
    token = str(uuid.uuid4())
    default_storage.save(_path(token), ContentFile(data))
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {
        "kind": kind, "user": request.user.pk, "filename": filename[:120], "options": options or {},
        "created": timezone.now().isoformat(),
    }
    request.session[SESSION_KEY] = pending
    return token


def load(request, token, kind: str | None = None) -> tuple[dict, bytes]:
    """The session entry and the file's bytes, or 404 for anyone but the uploader."""
    token = str(token)
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or entry["user"] != request.user.pk or (kind and entry["kind"] != kind):
        raise Http404("没有找到这个待导入的文件，可能已经导入、已取消或已过期，请重新上传。")
    try:
        with default_storage.open(_path(token), "rb") as handle:
            return entry, handle.read()
    except FileNotFoundError:
        discard(request, token)
        raise Http404("待导入的文件已过期，请重新上传。") from None


def set_option(request, token, name: str, value) -> None:
    """Change one option of the uploader's pending file (e.g. the answers to the preview's questions)."""
    token = str(token)
    pending = request.session.get(SESSION_KEY, {})
    if token not in pending or pending[token]["user"] != request.user.pk:
        raise Http404("没有找到这个待导入的文件，可能已经导入、已取消或已过期，请重新上传。")
    pending[token]["options"][name] = value
    request.session[SESSION_KEY] = pending


def discard(request, token) -> None:
    """Forget the pending file (only the uploader's own tokens are in their session)."""
    token = str(token)
    pending = request.session.get(SESSION_KEY, {})
    if pending.pop(token, None) is not None:
        request.session[SESSION_KEY] = pending
        if default_storage.exists(_path(token)):
            default_storage.delete(_path(token))


def sweep() -> None:
    """Remove uploads nobody confirmed within a day (sessions that ended, tabs closed)."""
    if not default_storage.exists(FOLDER):
        return
    limit = timezone.now() - KEEP
    for name in default_storage.listdir(FOLDER)[1]:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except FileNotFoundError:
            continue
