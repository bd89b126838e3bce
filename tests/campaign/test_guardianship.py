"""包挂/包保: the office keeps the list, a 包挂 leader reads his own rows and follows his community."""

from datetime import date

import pytest
from django.urls import reverse

from campaign.models import Event, Guardianship, Notification

from ..factories import guard, persona
from ..twice import assert_second_went_to_first, form_token, post_twice

pytestmark = pytest.mark.django_db


@pytest.fixture
def guardian(city):
    return persona("guardian", city)


def test_office_records_a_community_guardian_once_and_he_is_told(client_for, office_clerk, guardian, city):
    client = client_for(office_clerk)
    url = reverse("reference:guardianship_create")
    data = {"leader": guardian.pk, "unit": "", "community": city.community_a.pk, "site": "",
            "start": "2026-01-01", "end": "", "note": "每个社区一名包挂领导"}
    first, second = post_twice(client, url, data, form_token(client, url))
    assert_second_went_to_first(first, second)
    row = Guardianship.objects.get(leader=guardian)
    assert row.community == city.community_a
    assert Event.objects.filter(verb="guardianship.create").count() == 1
    assert Notification.objects.filter(recipient=guardian, title="包挂：和平社区").exists()
    assert city.community_a.path in type(guardian).objects.get(pk=guardian.pk).scope_paths


@pytest.mark.parametrize("change, message", [
    ({"unit": "UNIT"}, "只能选一项"),  # a leader and a unit at once
    ({"leader": ""}, "请在“包挂领导”和“包保单位”中选择一项"),
    ({"site": "SITE"}, "请在“包挂社区”和“包保点位”中选择一项"),
    ({"community": "STREET"}, "选择一个有效的选项"),  # only communities are offered
    ({"end": "2025-12-31"}, "截止日期不能早于起始日期"),
])
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(client_for, office_clerk, guardian, city, change,
                                                                message):
    from tests.inspections.kit import field_setup

    field = field_setup(city)
    values = {"UNIT": city.bureau.pk, "SITE": field.site_a.pk, "STREET": city.unit_a.pk}
    data = {"leader": guardian.pk, "unit": "", "community": city.community_a.pk, "site": "",
            "start": "2026-01-01", "end": "", "note": ""}
    data.update({k: values.get(v, v) for k, v in change.items()})
    response = client_for(office_clerk).post(reverse("reference:guardianship_create"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Guardianship.objects.exists()


def test_overlapping_periods_of_the_same_relation_are_refused(client_for, office_clerk, guardian, city):
    guard(guardian, community=city.community_a, start=date(2026, 1, 1))
    data = {"leader": guardian.pk, "unit": "", "community": city.community_a.pk, "site": "",
            "start": "2026-03-01", "end": "", "note": ""}
    response = client_for(office_clerk).post(reverse("reference:guardianship_create"), data)
    assert "有效期不能重叠" in response.content.decode() and Guardianship.objects.count() == 1


def test_a_guardian_reads_his_own_rows_and_others_are_kept_out(client_for, guardian, leader, liaison_a, city):
    mine = guard(guardian, community=city.community_a, note="我的包挂")
    guard(leader, community=city.community_a, note="别人的包挂", start=date(2021, 1, 1))
    page = client_for(guardian).get(reverse("reference:guardianship_list")).content.decode()
    assert "我的包挂" in page and "别人的包挂" not in page and "新增包挂包保" not in page
    assert client_for(guardian).get(reverse("reference:guardianship_edit", args=[mine.pk])).status_code == 403
    assert client_for(liaison_a).get(reverse("reference:guardianship_list")).status_code == 403


def test_an_ended_relation_takes_the_community_out_of_his_scope(client_for, office_clerk, guardian, city):
    row = guard(guardian, community=city.community_a)
    data = {"leader": guardian.pk, "unit": "", "community": city.community_a.pk, "site": "",
            "start": "2020-01-01", "end": "2020-12-31", "note": ""}
    response = client_for(office_clerk).post(reverse("reference:guardianship_edit", args=[row.pk]), data)
    assert response.status_code == 302
    assert city.community_a.path not in type(guardian).objects.get(pk=guardian.pk).scope_paths
    assert Event.objects.filter(verb="guardianship.update").exists()
