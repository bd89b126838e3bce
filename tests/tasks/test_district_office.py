"""区创文办: a district's own office hands over, approves and verifies within its district; the city
office sees everything and may step in; another district's office sees and touches nothing of it;
the districts' figures add up to the city's without counting a task twice."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaign.models import Role
from reports.services.snapshots import snapshot_take
from tasks.models import RectificationTask, State, TransitionError, TransitionForbidden
from tasks.services import office_contacts, task_transition
from tests.factories import make_task, person

from .lifecycle_kit import later, photo_upload, reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref(city, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return reference(city, leader=leader)


@pytest.fixture
def north_clerk(city):
    """A clerk of 江北区's own 创文办."""
    return person("north_clerk", Role.DISTRICT_OFFICE, city.north, "江北区创文办")


def total(response) -> int:
    found = re.search(r'data-testid="total">共 (\d+) 条', response.content.decode())
    return int(found.group(1))


def test_a_district_office_hands_over_approves_an_extension_verifies_and_closes(
        ref, city, district_clerk, liaison_a, office_clerk, client_for):
    client = client_for(district_clerk)
    page = client.get(reverse("tasks:create")).content.decode()
    assert "湖滨街道" in page and "和平社区" in page
    assert "江北街道" not in page and "市城市管理局" not in page  # only its district's units are offered
    response = client.post(reverse("tasks:create"), {
        "title": "和平社区楼道堆物", "source": "督查", "indicator": ref.street.pk, "site": ref.square.pk,
        "lead_unit": city.unit_a.pk, "assisting_units": [city.community_a.pk], "time_limit": ref.days5.pk,
        "priority": 1, "due_date": "",
    })
    task = RectificationTask.objects.get()
    assert response.status_code == 302 and task.handed_by_unit == city.east and task.created_by == district_clerk
    assert office_contacts(task) == [district_clerk]

    task_transition(task=task, actor=liaison_a, action="sign")
    task_transition(task=task, actor=liaison_a, action="request_extension", note="材料采购", proposed_date=later(40))
    # The todo card and the list show the request to the office that handed the task over.
    assert "延期申请待审批" in client.get(reverse("home")).content.decode()
    response = client.post(reverse("tasks:approve_extension", args=[task.pk]), {"note": "同意"})
    task.refresh_from_db()
    assert response.status_code == 302 and task.state == State.IN_PROGRESS and task.due_date == later(40)

    task_transition(task=task, actor=liaison_a, action="submit", note="已清理", files=[photo_upload()])
    response = client.post(reverse("tasks:approve", args=[task.pk]), {"note": "核查属实"})
    task.refresh_from_db()
    assert response.status_code == 302 and task.state == State.CLOSED


def test_a_district_office_hands_over_only_within_its_district(ref, city, district_clerk):
    with pytest.raises(TransitionError, match="不在本区范围内"):
        make_task(ref, actor=district_clerk, unit=city.unit_b)
    with pytest.raises(TransitionError, match="不在本区范围内"):
        make_task(ref, actor=district_clerk, unit=city.bureau)
    with pytest.raises(TransitionError, match="配合单位江北街道不在本区范围内"):
        make_task(ref, actor=district_clerk, unit=city.unit_a, assisting=[city.unit_b])
    assert not RectificationTask.objects.exists()


def test_the_office_that_handed_over_decides_and_the_city_may_step_in(
        ref, city, district_clerk, office_clerk, liaison_a):
    by_city = make_task(ref, actor=office_clerk, unit=city.unit_a, due=later(20))
    by_district = make_task(ref, actor=district_clerk, unit=city.community_a, due=later(20))
    assert by_city.handed_by_unit is None and by_district.handed_by_unit == city.east
    community = person("liaison_c", Role.LIAISON, city.community_a, "和平社区联络员")
    for task, liaison in ((by_city, liaison_a), (by_district, community)):
        task_transition(task=task, actor=liaison, action="sign")
        task_transition(task=task, actor=liaison, action="request_extension", note="工程量大",
                        proposed_date=later(45))
    # The city handed this one over: the district sees it but does not approve it.
    with pytest.raises(TransitionForbidden):
        task_transition(task=by_city, actor=district_clerk, action="approve_extension")
    assert not any(t.code == "park" for t in by_city.allowed_actions(district_clerk, today=later(0)))
    # The city steps in on the district's task.
    task_transition(task=by_district, actor=office_clerk, action="approve_extension")
    by_district.refresh_from_db()
    assert by_district.due_date == later(45)


def test_a_district_office_reassigns_only_within_its_district(ref, city, district_clerk, client_for):
    task = make_task(ref, actor=district_clerk, unit=city.community_a, due=later(20))
    community = person("liaison_c", Role.LIAISON, city.community_a, "和平社区联络员")
    task_transition(task=task, actor=community, action="request_return", note="属街道职责")
    client = client_for(district_clerk)
    form = client.get(reverse("tasks:reassign", args=[task.pk])).content.decode()
    assert "湖滨街道" in form and "江北街道" not in form
    with pytest.raises(TransitionError, match="本区范围内"):
        task_transition(task=task, actor=district_clerk, action="reassign", new_unit=city.unit_b)
    task_transition(task=task, actor=district_clerk, action="reassign", new_unit=city.unit_a)
    task.refresh_from_db()
    assert task.lead_unit == city.unit_a and task.state == State.ASSIGNED


def test_another_district_sees_and_touches_nothing(ref, city, district_clerk, north_clerk, office_clerk, client_for):
    east_task = make_task(ref, actor=district_clerk, unit=city.unit_a, due=later(20), title="东湖MARK")
    north_task = make_task(ref, actor=north_clerk, unit=city.unit_b, due=later(20), title="江北MARK")
    north = client_for(north_clerk)
    for url in (reverse("tasks:detail", args=[east_task.pk]), reverse("tasks:park", args=[east_task.pk])):
        assert north.get(url).status_code == 404
    assert north.post(reverse("tasks:park", args=[east_task.pk]),
                      {"note": "x", "review_date": later(30).isoformat()}).status_code == 404
    listing = north.get(reverse("tasks:index")).content.decode()
    assert "江北MARK" in listing and "东湖MARK" not in listing
    east = client_for(district_clerk)
    assert east.get(reverse("tasks:detail", args=[north_task.pk])).status_code == 404
    sheet = load_workbook(io.BytesIO(b"".join(east.get(reverse("tasks:export")).streaming_content))).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row}
    assert any("东湖MARK" in c for c in cells) and not any("江北MARK" in c for c in cells)
    # The city sees both.
    listing = client_for(office_clerk).get(reverse("tasks:index")).content.decode()
    assert "江北MARK" in listing and "东湖MARK" in listing


def test_the_districts_figures_add_up_to_the_citys(ref, city, district_clerk, north_clerk, office_clerk, client_for):
    make_task(ref, actor=office_clerk, unit=city.unit_a, assisting=[city.bureau], due=later(20))
    make_task(ref, actor=office_clerk, unit=city.unit_b, assisting=[city.unit_a], due=later(20))
    make_task(ref, actor=office_clerk, unit=city.bureau, assisting=[city.unit_a, city.unit_b], due=later(20))
    make_task(ref, actor=district_clerk, unit=city.community_a, due=later(20))
    make_task(ref, actor=north_clerk, unit=city.unit_b, due=later(20))
    snapshot_take()
    url = reverse("tasks:index")
    city_total = total(client_for(office_clerk).get(url))
    east, north = total(client_for(district_clerk).get(url)), total(client_for(north_clerk).get(url))
    departments = total(client_for(office_clerk).get(url, {"unit": city.bureau.pk}))
    assert (city_total, east, north, departments) == (5, 2, 2, 1)
    assert city_total == east + north + departments

    def handed_over(user, scope=""):
        html = client_for(user).get(reverse("reports:dashboard"), {"scope": scope} if scope else {}).content.decode()
        return int(re.search(r'data-testid="value-handed_over">([^<]*)<', html).group(1))

    assert handed_over(office_clerk) == 5
    assert handed_over(district_clerk) == 2 and handed_over(north_clerk) == 2
    assert handed_over(office_clerk, f"unit:{city.bureau.pk}") == 1
    # A district office's dashboard is its district's: the city's scope and another district's are not.
    assert client_for(district_clerk).get(reverse("reports:dashboard"), {"scope": "city"}).status_code == 404
    assert client_for(district_clerk).get(reverse("reports:dashboard"),
                                          {"scope": f"district:{city.north.pk}"}).status_code == 404
