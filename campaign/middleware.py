"""Request hygiene shared by every page."""

from django.http import HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import add_never_cache_headers

NUL = "\x00"


def _has_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values if isinstance(value, str))
               for key, values in data.lists())


class RejectNulCharactersMiddleware:
    """Refuse a query string or form field that contains a NUL character.

    PostgreSQL cannot store or compare text containing NUL, so a search box or a form field
    carrying one turned any filter or save into a server error. No person types one into a form:
    it only arrives in crafted requests, which get a plain 400 answer and change nothing. Uploaded
    files are not looked at here (their names are checked where they are stored)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST))
        except (MultiPartParserError, OSError, ValueError):
            refused = False  # an unreadable body is the view's (and Django's) to answer
        if refused:
            return HttpResponseBadRequest("请求中含有非法字符（空字符），已拒绝，没有保存任何内容。",
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)


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
