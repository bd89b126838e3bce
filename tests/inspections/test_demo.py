"""The demo city's inspections: a checklist for every site type, past rounds with visits,
findings that raised tasks, a 回头看 with 反弹; running it twice adds nothing."""

import io
from types import SimpleNamespace

import pytest
from django.db.models import F

from campaign.models import SiteType
from demo import campaign as campaign_demo
from demo import inspections as demo
from demo.campaign import reference as demo_reference
from inspections.models import Checklist, ChecklistItem, Finding, InspectionRound, RecheckItem, Visit

pytestmark = pytest.mark.django_db


def test_demo_rounds_and_checklists(settings):
    ctx = SimpleNamespace(scale=1, stdout=io.StringIO())
    demo.seed(ctx)
    assert "跳过" in ctx.stdout.getvalue()  # no framework yet
    campaign_demo.seed_org(scale=1)
    demo_reference.seed(ctx)
    demo.seed(ctx)

    assert Checklist.objects.active().count() == SiteType.objects.count() == 26
    square = Checklist.objects.get(site_type__name="公共广场")
    assert 15 <= square.items.count() <= 20
    assert not square.items.exclude(indicator__methods__contains=["实地考察"]).exists()
    # Matched to the standards of the item's own site type where the framework has a fitting one.
    assert square.items.filter(indicator__site_types=square.site_type).count() * 2 >= square.items.count()
    items = ChecklistItem.objects.filter(checklist__status="active")
    assert items.filter(indicator__site_types=F("checklist__site_type")).count() * 3 >= items.count() * 2

    kinds = set(InspectionRound.objects.values_list("kind", flat=True))
    assert {"模拟测评", "督查", "回头看"} <= kinds
    past = InspectionRound.objects.filter(status="closed")
    assert past.count() >= 3
    assert Visit.objects.filter(round__in=past, status="submitted").count() > 60
    raised = Finding.objects.filter(round__in=past, task__isnull=False)
    assert raised.exists() and not Finding.objects.filter(round__in=past, task__isnull=True).exists()
    assert raised.first().task.photos.filter(kind="before").exists()
    assert RecheckItem.objects.filter(status__in=["confirmed", "rebound"]).exists()
    assert Finding.objects.filter(task__isnull=True, round__status="open").exists()  # waiting to be handed over
    assert Visit.objects.filter(status="draft").exists()

    counts = (Checklist.objects.count(), InspectionRound.objects.count(), Visit.objects.count(), Finding.objects.count())
    demo.seed(ctx)
    assert counts == (Checklist.objects.count(), InspectionRound.objects.count(), Visit.objects.count(),
                      Finding.objects.count())
