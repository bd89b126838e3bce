"""The demo city: believable, idempotent, with working demo accounts. One full seed for all
checks (a seed of every app takes tens of seconds)."""

import pytest
from django.core.management import call_command

from campaign.models import Membership, OrgUnit, User

pytestmark = pytest.mark.django_db


def counts():
    return OrgUnit.objects.count(), User.objects.count(), Membership.objects.count()


def test_demo_city_is_believable_idempotent_and_its_accounts_log_in(client, capsys):
    call_command("seed_demo")
    first = counts()
    out = capsys.readouterr().out
    for account in ["office", "leader", "head", "liaison", "archivist", "inspector", "assessor"]:
        assert f"  {account} " in out
    assert "Demo@2026" in out
    assert OrgUnit.objects.filter(kind="district").count() == 4
    assert 14 <= OrgUnit.objects.filter(kind="street").count() <= 20
    assert 30 <= OrgUnit.objects.filter(kind="community").count() <= 50
    assert 25 <= OrgUnit.objects.filter(kind__in=["department", "window"]).count() <= 40
    assert 100 <= User.objects.count() <= 200
    for role, _label in Membership._meta.get_field("role").choices:
        assert Membership.objects.filter(role=role).exists(), role

    call_command("seed_demo")
    assert counts() == first

    call_command("seed_demo", "--if-empty")
    assert "跳过" in capsys.readouterr().out and counts() == first

    response = client.post("/accounts/login/", {"username": "office", "password": "Demo@2026"})
    assert response.status_code == 302 and response.url == "/"
    assert "工作台" in client.get("/").content.decode()
