"""The round and visit pipelines (ROUND_MOVES, VISIT_MOVES): every legal move works; any other is
refused with its message and changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from campaign.models import Event
from inspections import services
from inspections.models import ROUND_MOVES, VISIT_MOVES, InspectionRound, Visit

from .kit import make_round, upload, visit_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def rnd(field, office_clerk, inspector):
    return make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a, field.site_b])


def test_the_tables_say_what_the_pipelines_are():
    assert {a: (m.sources, m.targets) for a, m in ROUND_MOVES.items()} == {
        "close": (("open",), ("closed",)), "start_visit": (("open",), ()), "fill_visit": (("open",), ()),
    }
    assert {a: (m.sources, m.targets) for a, m in VISIT_MOVES.items()} == {
        "edit": (("draft",), ()), "submit": (("draft",), ("submitted",)),
    }


def test_an_open_round_closes_and_a_closed_one_is_refused(rnd, office_clerk):
    closed = services.round_close(actor=office_clerk, round=rnd)
    assert closed.status == "closed" and closed.closed_at is not None
    events = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.round_close(actor=office_clerk, round=rnd)
    assert refused.value.messages == ["该轮次已经结束。"]
    assert InspectionRound.objects.get(pk=rnd.pk).closed_at == closed.closed_at
    assert Event.objects.count() == events


def test_a_closed_round_starts_no_visit(rnd, field, office_clerk, inspector):
    rnd = services.round_close(actor=office_clerk, round=rnd)
    with pytest.raises(ValidationError) as refused:
        services.visit_start(actor=inspector, round=rnd, site=field.site_a)
    assert refused.value.messages == ["该轮次已经结束，不能再开始检查。"]
    assert not Visit.objects.exists()


def test_a_draft_in_a_closed_round_can_no_longer_be_filled_in(rnd, field, office_clerk, inspector):
    visit = services.visit_start(actor=inspector, round=rnd, site=field.site_a)
    line = visit.results.order_by("number").first()
    services.round_close(actor=office_clerk, round=rnd)
    calls = [
        lambda: services.visit_save(actor=inspector, visit=visit, answers={line.pk: {"result": "met"}}),
        lambda: services.visit_add_photo(actor=inspector, visit=visit, line=line, file=upload()),
        lambda: services.visit_submit(actor=inspector, visit=visit, answers={line.pk: {"result": "met"}}),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.messages == ["该轮次已经结束，不能再填写。"]
    visit.refresh_from_db()
    line.refresh_from_db()
    assert (visit.status, line.result, visit.photos.count()) == ("draft", "", 0)


def test_a_submitted_visit_is_refused_every_change(rnd, field, inspector):
    visit = visit_with(rnd, field.site_a, inspector, ["met", "met", "failed", "na"])
    photo = visit.photos.get()
    line = visit.results.order_by("number").first()
    calls = [
        lambda: services.visit_save(actor=inspector, visit=visit, answers={line.pk: {"result": "failed"}}),
        lambda: services.visit_add_photo(actor=inspector, visit=visit, line=line, file=upload(colour=(1, 2, 3))),
        lambda: services.visit_remove_photo(actor=inspector, photo=photo),
        lambda: services.visit_submit(actor=inspector, visit=visit),
    ]
    events = Event.objects.count()
    for call in calls:
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.messages == ["这份检查已经提交，不能再修改。"]
    line.refresh_from_db()
    assert line.result == "met" and visit.photos.count() == 1 and visit.findings.count() == 1
    assert Visit.objects.get(pk=visit.pk).submitted_at == visit.submitted_at
    assert Event.objects.count() == events


def test_a_draft_is_edited_and_then_submitted(rnd, field, inspector):
    visit = services.visit_start(actor=inspector, round=rnd, site=field.site_a)
    assert visit.status == "draft" and visit.allows("edit") and rnd.allows("fill_visit")
    lines = list(visit.results.order_by("number"))
    services.visit_save(actor=inspector, visit=visit, answers={line.pk: {"result": "met"} for line in lines})
    photo = services.visit_add_photo(actor=inspector, visit=visit, line=lines[0], file=upload())
    services.visit_remove_photo(actor=inspector, photo=photo)
    submitted = services.visit_submit(actor=inspector, visit=visit)
    assert submitted.status == "submitted" and submitted.submitted_at is not None
    assert not submitted.allows("edit")
