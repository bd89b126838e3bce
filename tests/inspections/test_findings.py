"""Findings become tasks: routed, with before-photos, source from the round; no duplicates."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inspections import services
from inspections.models import Finding
from tasks.models import Priority, RectificationTask, State, TaskPhoto

from .kit import close_task, make_round, visit_with

pytestmark = pytest.mark.django_db

MET, FAILED, NA = "met", "failed", "na"


@pytest.fixture
def finding(field, office_clerk, inspector):
    rnd = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a, field.site_c], kind="暗访")
    visit_with(rnd, field.site_a, inspector, [MET, FAILED, MET, MET], notes={2: "东门果皮箱满溢"})
    return Finding.objects.get(round=rnd)


def test_each_failed_item_is_a_finding_with_its_photos(finding, field):
    assert finding.site == field.site_a
    assert finding.indicator == field.standards[1]
    assert finding.item.number == 2 and finding.note == "东门果皮箱满溢"
    assert finding.photos.count() == 1
    assert finding.task is None


def test_raising_routes_by_responsibility_and_carries_the_photos(finding, office_clerk, city):
    task = services.finding_raise_task(actor=office_clerk, finding=finding)
    assert task.lead_unit == city.bureau  # the matrix row on the parent content 8.1
    assert list(task.assisting_units.all()) == [city.unit_a]
    assert task.source == "暗访"
    assert task.site == finding.site and task.indicator == finding.indicator
    assert "东门果皮箱满溢" in task.title
    before = set(task.photos.filter(kind=TaskPhoto.Kind.BEFORE).values_list("evidence_id", flat=True))
    assert before == set(finding.photos.values_list("pk", flat=True))
    finding.refresh_from_db()
    assert finding.task == task and not finding.linked_existing


def test_the_same_site_and_standard_links_to_the_open_task(finding, field, office_clerk, inspector):
    task = services.finding_raise_task(actor=office_clerk, finding=finding)
    again = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a], name="复查督查")
    visit_with(again, field.site_a, inspector, [MET, FAILED, MET, MET])
    second = Finding.objects.get(round=again)
    linked = services.finding_raise_task(actor=office_clerk, finding=second)
    second.refresh_from_db()
    assert linked == task and second.linked_existing
    assert RectificationTask.objects.filter(site=field.site_a, indicator=finding.indicator).count() == 1


def test_a_finding_cannot_be_raised_twice(finding, office_clerk):
    services.finding_raise_task(actor=office_clerk, finding=finding)
    with pytest.raises(ValidationError, match="已交办"):
        services.finding_raise_task(actor=office_clerk, finding=finding)
    assert RectificationTask.objects.count() == 1


def test_without_a_responsible_unit_nothing_is_created(finding, field, office_clerk):
    field.content.responsibilities.all().delete()
    type(field.site_a).objects.filter(pk=field.site_a.pk).update(adopting_unit=None)
    with pytest.raises(ValidationError, match="责任单位"):
        services.finding_raise_task(actor=office_clerk, finding=finding)
    finding.refresh_from_db()
    assert finding.task is None and RectificationTask.objects.count() == 0


def test_bulk_raise_creates_one_task_per_site_and_standard(field, office_clerk, inspector, inspector2):
    rnd = make_round(actor=office_clerk, inspectors=[inspector, inspector2], sites=[field.site_a, field.site_b])
    visit_with(rnd, field.site_a, inspector, [FAILED, FAILED, MET, MET])
    visit_with(rnd, field.site_b, inspector2, [FAILED, MET, MET, NA])
    summary = services.round_raise_tasks(actor=office_clerk, round=rnd)
    assert len(summary.created) == 3 and not summary.linked and not summary.failed
    assert rnd.findings.pending().count() == 0
    assert {t.source for t in summary.created} == {"督查"}
    with pytest.raises(ValidationError, match="没有待交办"):
        services.round_raise_tasks(actor=office_clerk, round=rnd)


def fail_again(finding, field, office_clerk, inspector, *, days_after_closing: int):
    """The finding's task closed ``days_after_closing`` days ago; a new round fails the same site
    again. Returns the first task and the one raised from the new finding."""
    first = services.finding_raise_task(actor=office_clerk, finding=finding)
    close_task(first, when=timezone.now() - timedelta(days=days_after_closing))
    again = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a], name="再次督查")
    visit_with(again, field.site_a, inspector, [MET, FAILED, MET, MET])
    second = services.finding_raise_task(actor=office_clerk, finding=Finding.objects.get(round=again))
    second.refresh_from_db()
    return first, second


def test_failing_again_soon_after_closing_is_flagged_recurring(finding, field, office_clerk, inspector):
    first, second = fail_again(finding, field, office_clerk, inspector, days_after_closing=20)
    field.site_a.refresh_from_db()
    assert second != first and second.is_recurring
    assert field.site_a.recurring_since == timezone.localdate()


def test_failing_again_long_after_closing_is_not_recurring(finding, field, office_clerk, inspector):
    _, second = fail_again(finding, field, office_clerk, inspector, days_after_closing=200)
    assert not second.is_recurring and second.priority == Priority.NORMAL
    assert second.state == State.ASSIGNED
