"""Login throttling by address as well as by account (on top of django-axes).

Axes locks one account on one address after AXES_FAILURE_LIMIT failures. Password spraying
turns that around: one address tries one or two passwords on many accounts, and never trips a
per-account lock. This handler also counts an address's failures across all usernames (from the
rows axes keeps anyway) and locks the address for the same cool-off once they reach
AXES_ADDRESS_FAILURE_LIMIT. That limit is higher than the per-account one because a whole
office often shares one public address: one person's typos must not lock out their colleagues.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressThrottlingHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            request.axes_address_locked = True  # the lock page says it is the address, not the account
            return max(failures, get_failure_limit(request, credentials))
        return failures


def address_failures(request) -> int:
    """Failed logins from the request's address within the cool-off, whatever the username."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address,
                                            attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind PROXY_COUNT reverse proxies that each append
    to X-Forwarded-For, the entry the outermost of them wrote (earlier entries can be forged)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    return hops[-count] if len(hops) >= count else remote
