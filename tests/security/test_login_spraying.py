"""Password spraying: many accounts tried from one address are stopped as a whole, not only each
account on its own, while the rest of an office behind that address is not locked by one person."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="10.0.0.7", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **headers)


def test_thirty_accounts_tried_from_one_address_lock_that_address(client, office_clerk, liaison_a):
    answers = [login(client, f"user{i:02d}", "wenming2026").status_code for i in range(30)]
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit < 30
    assert answers[:limit - 1] == [200] * (limit - 1)
    assert set(answers[limit:]) == {429}
    locked = login(client, "clerk", PASSWORD)  # even the right password, from that address
    assert locked.status_code == 429 and "该网络地址" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert login(client, "liaison_a", PASSWORD, ip="10.0.0.8").status_code == 302  # elsewhere: fine


def test_a_few_mistakes_on_a_shared_office_address_lock_nobody_else(client, office_clerk, liaison_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "clerk", "wrong-password")
    assert login(client, "liaison_a", PASSWORD).status_code == 302


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, office_clerk):
    for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        login(client, f"user{i:02d}", "x", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    assert login(client, "clerk", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Another citizen of the same proxy (another client address) is not affected.
    assert login(client, "clerk", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 302
