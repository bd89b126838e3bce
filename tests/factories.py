"""Builders for test data (factory_boy)."""

from datetime import date

import factory
from django.contrib.auth.hashers import make_password

from campaign.models import Membership, OrgUnit, Oversight, User

PASSWORD = "Test@pass2026"
_HASH = make_password(PASSWORD)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrgUnit.Kind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = _HASH


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(OrgUnitFactory)
    role = "liaison"


def person(username, role, unit, full_name=None):
    """A user holding one role in one unit."""
    user = UserFactory(username=username, full_name=full_name or username)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def oversee(leader, *units, start=date(2020, 1, 1), end=None):
    """The office's record that ``leader`` oversees (分管) each unit, in force from a fixed past
    date so that tests travelling in time still find it."""
    return [Oversight.objects.create(leader=leader, unit=unit, start=start, end=end) for unit in units]
