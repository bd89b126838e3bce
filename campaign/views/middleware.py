"""Request hygiene shared by every page."""

import errno
import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from campaign.services.health import storage_full_reported

log = logging.getLogger(__name__)

NUL = "\x00"
STORAGE_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
STORAGE_FULL_MESSAGE = "存储空间不足，请联系系统管理员。本次提交没有保存，系统已通知管理员。"


def _has_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values if isinstance(value, str))
               for key, values in data.lists())


def _plain(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def human_bytes(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.0f} MB"
    return f"{max(1, size // 1024)} KB"


def body_limit_for(request) -> int:
    """The largest body a request may carry: small for people not logged in (only the login form
    posts there), enough for a multi-photo submission otherwise."""
    if request.user.is_authenticated:
        return settings.REQUEST_MAX_BODY_BYTES
    return settings.REQUEST_MAX_ANONYMOUS_BODY_BYTES


class BodySizeLimitMiddleware:
    """Refuse an oversized request body by its Content-Length, before a single byte is read.

    Django reads a multipart body as soon as anything touches ``request.POST`` (CSRF does), and
    spools large files to disk: a 1 GiB post to the login page was written to /tmp before its 403.
    Deciding on the header costs nothing. A body without Content-Length is never read at all by
    Django's WSGI handler (it reads exactly CONTENT_LENGTH bytes), so there is no unbounded
    stream to stop. Sits after the authentication middleware (which reads only the session
    cookie) so the limit can depend on who is asking."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared) if declared.isascii() else -1
        except ValueError:
            length = -1
        if length < 0:
            return _plain(400, "请求长度（Content-Length）无效，已拒绝。")
        limit = body_limit_for(request)
        if length > limit:
            log.warning("body of %s bytes refused on %s (limit %s)", length, request.path, limit)
            return _plain(413, f"提交的内容过大（{human_bytes(length)}），单次提交不能超过 {human_bytes(limit)}。"
                               "请减少一次上传的文件数量或压缩后再试。")
        return self.get_response(request)


class RejectNulCharactersMiddleware:
    """Refuse a query string or form field that contains a NUL character.

    PostgreSQL cannot store or compare text containing NUL, so a search box or a form field
    carrying one turned any filter or save into a server error. No person types one into a form:
    it only arrives in crafted requests, which get a plain 400 answer and change nothing. Uploaded
    files are not looked at here (their names are checked where they are stored).

    The check runs as the view is about to be called, after CSRF and the login requirement have
    had their say, so no body is parsed here for a request that would be refused anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            refused = _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST))
        except (MultiPartParserError, OSError, ValueError):
            refused = False  # an unreadable body is the view's (and Django's) to answer
        if refused:
            return HttpResponseBadRequest("请求中含有非法字符（空字符），已拒绝，没有保存任何内容。",
                                          content_type="text/plain; charset=utf-8")
        return None


def is_storage_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in STORAGE_FULL_ERRNOS


class StorageFullMiddleware:
    """A full disk (or quota) says so, instead of the generic error page's "请稍后重试", which
    would not help: only an administrator can free space. Administrators are told at once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if not is_storage_full(exc):
            return None
        log.error("storage full while serving %s: %s", request.path, exc)
        storage_full_reported(path=request.path, error=str(exc))
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"ok": False, "error": STORAGE_FULL_MESSAGE}, status=507,
                                json_dumps_params={"ensure_ascii": False})
        return HttpResponse(render_to_string("storage_full.html"), status=507)


class NoStoreForSignedInMiddleware:
    """Every answer to a signed-in person carries Cache-Control: no-store (and no-cache, private,
    an expiry in the past): pages, htmx fragments, exports and file downloads alike.

    Nothing behind the login is public, and offices share computers: a page or a downloaded photo
    kept in the browser's cache or a proxy could be read by the next person at the desk after
    logout. One rule here, after the views, so a view cannot forget it; it overrides any caching
    header a view set. Static files never reach it (WhiteNoise answers them first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if "Cache-Control" in response:
                del response["Cache-Control"]
            add_never_cache_headers(response)
        return response


class PasswordChangeRequiredMiddleware:
    """A user signed in with a one-time password (an account the office created from its 人员名单)
    sees the password change page, and nothing else, until they have chosen their own."""

    ALLOWED = ("password_change", "password_change_done", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                messages.warning(request, "您正在使用创文办发放的一次性密码，请先设置自己的新密码。")
                return redirect("password_change")
        return self.get_response(request)
