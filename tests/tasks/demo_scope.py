"""What the demo's leader sees, checked against his 分管 rows (used by test_demo)."""

from django.db.models import Q

from campaign.models import Oversight, User
from tasks.models import RectificationTask


def assert_demo_leader_sees_only_what_he_oversees():
    leader = User.objects.get(username="leader")
    paths = list(Oversight.objects.active().filter(leader=leader).values_list("unit__path", flat=True))
    assert len(paths) == 5
    within = Q()
    for path in paths:
        within |= Q(lead_unit__path__startswith=path) | Q(assisting_units__path__startswith=path)
    expected = set(RectificationTask.objects.filter(within | Q(leader=leader)).values_list("pk", flat=True))
    visible = set(RectificationTask.objects.visible_to(leader).values_list("pk", flat=True))
    assert visible == expected
    # Tasks of units other leaders oversee, neither naming him nor involving his units, stay hidden.
    foreign = RectificationTask.objects.exclude(pk__in=expected)
    assert foreign.exists() and not foreign.filter(pk__in=visible).exists()
