"""回头看: closed tasks queued by share (顽疾 sites always); a 反弹 opens a linked, escalated task."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from inspections import services
from inspections.models import Finding, RecheckItem
from tasks.models import Priority, RectificationTask, State

from .kit import close_task, make_round, visit_with

pytestmark = pytest.mark.django_db

MET, FAILED = "met", "failed"


def closed_tasks(field, office_clerk, inspector, *, sites):
    rnd = make_round(actor=office_clerk, inspectors=[inspector], sites=sites, name="首轮督查")
    for site in sites:
        visit_with(rnd, site, inspector, [FAILED, MET, MET, MET])
    summary = services.round_raise_tasks(actor=office_clerk, round=rnd)
    return [close_task(t, when=timezone.now() - timedelta(days=10)) for t in summary.created]


@override_settings(INSPECTIONS_RECHECK_SHARE=0)
def test_chronic_sites_are_always_queued_and_others_by_share(field, office_clerk, inspector):
    type(field.site_b).objects.filter(pk=field.site_b.pk).update(is_chronic=True)
    a_task, b_task = closed_tasks(field, office_clerk, inspector, sites=[field.site_a, field.site_b])
    assert services.recheck_queue_closed_tasks() == 1
    assert RecheckItem.objects.get(task=b_task).status == RecheckItem.Status.QUEUED
    assert RecheckItem.objects.get(task=a_task).status == RecheckItem.Status.SKIPPED
    assert services.recheck_queue_closed_tasks() == 0  # decided once per task


def test_the_share_draw_is_fixed_per_task():
    picks = [services.recheck_picked(n, 30) for n in range(1, 2001)]
    assert picks == [services.recheck_picked(n, 30) for n in range(1, 2001)]
    assert 0.25 < sum(picks) / len(picks) < 0.35
    assert all(services.recheck_picked(n, 100) for n in range(1, 50))


@override_settings(INSPECTIONS_RECHECK_SHARE=100)
def test_rebound_opens_a_linked_task_with_raised_priority(field, office_clerk, inspector, city):
    (old,) = closed_tasks(field, office_clerk, inspector, sites=[field.site_a])
    recheck_round = services.round_create(
        actor=office_clerk, name="11月回头看", kind="回头看", start_date=timezone.localdate(),
        end_date=timezone.localdate() + timedelta(days=7), inspectors=[inspector], sample_mode="recheck",
    )
    item = RecheckItem.objects.get(task=old)
    assert item.status == RecheckItem.Status.PLANNED and item.round == recheck_round
    assert list(recheck_round.planned.values_list("site", flat=True)) == [field.site_a.pk]
    visit = visit_with(recheck_round, field.site_a, inspector, [FAILED], notes={1: "果皮箱又满溢"})
    old.refresh_from_db()
    new = RectificationTask.objects.get(rebound_of=old)
    assert old.state == State.REBOUND
    assert new.priority == Priority.URGENT and new.priority > old.priority
    assert new.lead_unit == old.lead_unit == city.bureau
    assert new.is_recurring
    item.refresh_from_db()
    assert item.status == RecheckItem.Status.REBOUND and item.rebound_task == new
    rebound = Finding.objects.get(visit=visit)
    assert rebound.is_rebound and rebound.task == new
    assert new.photos.filter(kind="before").count() == 1
    field.site_a.refresh_from_db()
    assert field.site_a.recurring_since == timezone.localdate()


@override_settings(INSPECTIONS_RECHECK_SHARE=100)
def test_a_confirmed_fix_stays_closed(field, office_clerk, inspector):
    (old,) = closed_tasks(field, office_clerk, inspector, sites=[field.site_a])
    rnd = services.round_create(actor=office_clerk, name="回头看", kind="回头看", start_date=timezone.localdate(),
                                end_date=timezone.localdate(), inspectors=[inspector], sample_mode="recheck")
    visit_with(rnd, field.site_a, inspector, [MET])
    old.refresh_from_db()
    assert old.state == State.CLOSED
    assert RecheckItem.objects.get(task=old).status == RecheckItem.Status.CONFIRMED
    assert not RectificationTask.objects.filter(rebound_of=old).exists()


def test_a_recheck_round_needs_something_to_recheck(office_clerk, inspector, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="回头看清单为空"):
        services.round_create(actor=office_clerk, name="回头看", kind="回头看", start_date=timezone.localdate(),
                              end_date=timezone.localdate(), inspectors=[inspector], sample_mode="recheck")


@override_settings(INSPECTIONS_RECHECK_SHARE=100)
def test_the_daily_job_queues_newly_closed_tasks(field, office_clerk, inspector, settings):
    from inspections import jobs

    tasks = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "inspections.queue_rechecks" in tasks
    (closed,) = closed_tasks(field, office_clerk, inspector, sites=[field.site_a])
    assert jobs.queue_rechecks() == 1
    assert jobs.queue_rechecks() == 0
    assert RecheckItem.objects.get(task=closed).reason == RecheckItem.Reason.SAMPLED
