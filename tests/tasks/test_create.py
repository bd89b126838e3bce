"""新建交办: the routing proposal, the form, before-photos, and refusals that leave nothing behind."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archives.models import EvidenceItem
from tasks.models import NumberSequence, RectificationTask, TaskPhoto

from .lifecycle_kit import later, photo_upload, reference


@pytest.fixture
def ref(city, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return reference(city, leader=leader)


def test_choosing_a_standard_proposes_its_units_and_says_which_rule_matched(ref, city, office_clerk, client_for):
    client = client_for(office_clerk)
    by_standard = client.get(reverse("tasks:routing"), {"indicator": ref.street.pk})
    page = by_standard.content.decode()
    assert "按测评标准" in page
    assert by_standard.context["form"]["lead_unit"].value() == city.unit_a.pk
    assert by_standard.context["form"]["assisting_units"].value() == [city.bureau.pk]

    at_square = client.get(reverse("tasks:routing"), {"indicator": ref.street.pk, "site": ref.square.pk})
    assert "按点位类型" in at_square.content.decode()
    assert at_square.context["form"]["lead_unit"].value() == city.bureau.pk
    assert "按“5个工作日”计算" in at_square.content.decode()

    nothing = client.get(reverse("tasks:routing"), {"indicator": ref.litter.pk})
    assert "请手工选择" in nothing.content.decode()


def test_site_search_and_due_hint(ref, office_clerk, client_for):
    client = client_for(office_clerk)
    options = client.get(reverse("tasks:site_options"), {"site_q": "人民"}).content.decode()
    assert "人民广场（东湖区）" in options
    assert "没有找到匹配的点位" in client.get(reverse("tasks:site_options"), {"site_q": "不存在"}).content.decode()
    hint = client.get(reverse("tasks:due_hint"), {"time_limit": ref.fixed.pk}).content.decode()
    assert "请填写整改期限" in hint


def form(ref, city, **overrides):
    data = {
        "title": "人民广场东侧共享单车乱停放", "description": "东侧出入口堆积约30辆", "source": "督查",
        "indicator": ref.street.pk, "site": ref.square.pk, "lead_unit": city.bureau.pk,
        "assisting_units": [city.unit_a.pk], "time_limit": ref.days5.pk, "priority": 2, "due_date": "",
    }
    data.update(overrides)
    return data


def test_the_office_hands_over_a_task_with_before_photos(ref, city, office_clerk, client_for):
    data = form(ref, city, before_photos=[photo_upload("a.jpg"), photo_upload("b.jpg", (200, 30, 30))])
    response = client_for(office_clerk).post(reverse("tasks:create"), data)
    task = RectificationTask.objects.get()
    assert response.status_code == 302 and response["Location"] == task.get_absolute_url()
    assert task.lead_unit == city.bureau and list(task.assisting_units.all()) == [city.unit_a]
    assert task.priority == 2 and task.site == ref.square and task.created_by == office_clerk
    assert task.photos.filter(kind=TaskPhoto.Kind.BEFORE).count() == 2
    item = task.photos.first().evidence
    assert item.unit == city.bureau and task.number in item.subject
    page = client_for(office_clerk).get(task.get_absolute_url()).content.decode()
    assert "已交办" in page and task.number in page


def test_an_edited_due_date_wins_over_the_time_limit(ref, city, office_clerk, client_for):
    client_for(office_clerk).post(reverse("tasks:create"), form(ref, city, due_date=later(60).isoformat()))
    assert RectificationTask.objects.get().due_date == later(60)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"lead_unit": ""}, "这个字段是必填项"),
    ({"time_limit": "fixed", "due_date": ""}, "请填写整改期限"),
    ({"due_date": "2020-01-01"}, "早于交办日期"),
    ({"before_photos": "html"}, "照片"),
])
def test_bad_input_is_explained_and_nothing_is_stored(ref, city, office_clerk, client_for, overrides, message,
                                                      settings):
    if overrides.get("time_limit") == "fixed":
        overrides["time_limit"] = ref.fixed.pk
    if overrides.get("before_photos") == "html":
        overrides["before_photos"] = [photo_upload("ok.jpg"), SimpleUploadedFile(
            "evil.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")]
    response = client_for(office_clerk).post(reverse("tasks:create"), form(ref, city, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RectificationTask.objects.exists()
    assert not EvidenceItem.objects.exists()
    assert not NumberSequence.objects.filter(last__gt=0).exists()
