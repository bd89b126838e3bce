"""Rounds: reproducible samples, explicit lists, coverage, who visits what, permissions."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaign.models import Site, SiteType
from inspections import selectors, services
from inspections.models import InspectionRound

from .kit import make_round, visit_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_sites(city, field):
    road = SiteType.objects.get(name="主次干道")
    Site.objects.bulk_create(
        [Site(name=f"广场{n}", site_type=field.square, district=city.east if n % 2 else city.north) for n in range(12)]
        + [Site(name=f"道路{n}", site_type=road, district=city.east) for n in range(8)]
    )
    return road


def random_round(office_clerk, inspector, site_types, seed, districts=()):
    today = timezone.localdate()
    return services.round_create(actor=office_clerk, name=f"模拟测评{seed}", kind="模拟测评", start_date=today,
                                 end_date=today + timedelta(days=5), inspectors=[inspector], sample_mode="random",
                                 site_types=site_types, districts=districts, per_type=3, seed=seed)


def planned_ids(rnd):
    return sorted(rnd.planned.values_list("site_id", flat=True))


def test_a_random_sample_is_reproducible_from_its_seed(many_sites, field, office_clerk, inspector):
    first = random_round(office_clerk, inspector, [field.square, many_sites], seed=42)
    again = random_round(office_clerk, inspector, [field.square, many_sites], seed=42)
    other = random_round(office_clerk, inspector, [field.square, many_sites], seed=7)
    assert first.sample_seed == 42 and len(planned_ids(first)) == 6
    assert planned_ids(first) == planned_ids(again) != planned_ids(other)


def test_a_sample_without_a_seed_records_the_one_it_drew(many_sites, field, office_clerk, inspector):
    rnd = random_round(office_clerk, inspector, [field.square], seed=None)
    assert rnd.sample_seed is not None
    replay = random_round(office_clerk, inspector, [field.square], seed=rnd.sample_seed)
    assert planned_ids(replay) == planned_ids(rnd)


def test_the_sample_keeps_to_the_chosen_districts(many_sites, field, office_clerk, inspector, city):
    rnd = random_round(office_clerk, inspector, [field.square, many_sites], seed=3, districts=[city.north])
    assert set(Site.objects.filter(pk__in=planned_ids(rnd)).values_list("district", flat=True)) == {city.north.pk}
    assert len(planned_ids(rnd)) == 3  # 3 of the 7 squares in 江北区; it has no roads


def test_people_must_hold_the_inspector_or_assessor_role(field, office_clerk, liaison_a):
    with pytest.raises(ValidationError, match="没有督查员"):
        make_round(actor=office_clerk, inspectors=[liaison_a], sites=[field.site_a])
    assert not InspectionRound.objects.exists()


def test_coverage_and_distribution(field, office_clerk, inspector, inspector2):
    rnd = make_round(actor=office_clerk, inspectors=[inspector, inspector2],
                     sites=[field.site_a, field.site_b, field.site_c])
    assert services.round_distribute(actor=office_clerk, round=rnd) == 3
    assert rnd.planned.filter(assignee=inspector).count() + rnd.planned.filter(assignee=inspector2).count() == 3
    planned_a = rnd.planned.get(site=field.site_a)
    visit_with(rnd, field.site_a, planned_a.assignee, ["met"] * 4)
    coverage = selectors.round_coverage(rnd, office_clerk)
    assert (coverage["total"].visited, coverage["total"].planned) == (1, 3)
    east = next(r for r in coverage["by_district"] if r.label == "东湖区")
    assert (east.visited, east.planned) == (1, 2)


def test_an_assessor_sees_only_their_rounds(client_for, field, office_clerk, inspector, assessor):
    theirs = make_round(actor=office_clerk, assessors=[assessor], sites=[field.site_a], kind="模拟测评", name="第三方模拟测评")
    other = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_b], name="内部督查")
    client = client_for(assessor)
    listing = client.get(reverse("inspections:index")).content.decode()
    assert "第三方模拟测评" in listing and "内部督查" not in listing
    assert client.get(reverse("inspections:round_detail", args=[theirs.pk])).status_code == 200
    for name in ("round_detail", "round_report", "round_report_xlsx", "visit_pick"):
        assert client.get(reverse(f"inspections:{name}", args=[other.pk])).status_code == 404
    assert client.get(reverse("inspections:round_create")).status_code == 403
    assert client.get(reverse("inspections:checklist_list")).status_code == 403
    assert client.get(reverse("inspections:recheck_list")).status_code == 403
    visit = visit_with(other, field.site_b, inspector, ["met"] * 4)
    assert client.get(reverse("inspections:visit_detail", args=[visit.pk])).status_code == 404


def test_only_the_office_creates_rounds(client_for, inspector, leader, liaison_a, office_clerk, field):
    for user in (inspector, leader, liaison_a):
        assert client_for(user).get(reverse("inspections:round_create")).status_code == 403
    client = client_for(office_clerk)
    today = timezone.localdate()
    response = client.post(reverse("inspections:round_create"), {
        "name": "12月督查", "kind": "督查", "start_date": today, "end_date": today + timedelta(days=3),
        "inspectors": [inspector.pk], "sample_mode": "explicit", "sites_text": "人民广场\n江北区/江滩广场",
    })
    rnd = InspectionRound.objects.get(name="12月督查")
    assert response.status_code == 302
    assert set(rnd.planned.values_list("site__name", flat=True)) == {"人民广场", "江滩广场"}


def test_unknown_site_names_are_named_back(client_for, office_clerk, inspector, field):
    today = timezone.localdate()
    page = client_for(office_clerk).post(reverse("inspections:round_create"), {
        "name": "12月督查", "kind": "督查", "start_date": today, "end_date": today,
        "inspectors": [inspector.pk], "sample_mode": "explicit", "sites_text": "人民广场\n不存在的广场",
    }).content.decode()
    assert "找不到这些点位：不存在的广场" in page
    assert not InspectionRound.objects.exists()


def test_liaisons_have_no_inspection_pages(client_for, liaison_a, field, office_clerk, inspector):
    rnd = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a])
    client = client_for(liaison_a)
    assert client.get(reverse("inspections:index")).status_code == 403
    assert client.get(reverse("inspections:round_detail", args=[rnd.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, field, office_clerk, inspector):
    rnd = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a])
    for url in (reverse("inspections:index"), reverse("inspections:round_detail", args=[rnd.pk]),
                reverse("inspections:checklist_list")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_round_create_names_every_problem_under_its_argument(field, office_clerk, assessor):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.round_create(actor=office_clerk, name=" ", kind="回头看", start_date=today,
                              end_date=today - timedelta(days=1), assessors=[assessor], sample_mode="random")
    assert refused.value.message_dict == {
        "name": ["请填写轮次名称。"],
        "end_date": ["结束日期不能早于开始日期。"],
        "assessors": ["回头看由督查员复查（需确认整改或登记反弹），请不要安排第三方测评员。"],
        "sample_mode": ["“回头看”轮次请选择“回头看清单”；其他类型请按类型随机抽取或指定点位。"],
    }
    assert not InspectionRound.objects.exists()


def test_the_round_form_shows_the_services_refusals_on_its_fields(client_for, office_clerk, field):
    today = timezone.localdate()
    response = client_for(office_clerk).post(reverse("inspections:round_create"), {
        "name": "12月督查", "kind": "督查", "start_date": today, "end_date": today - timedelta(days=1),
        "sample_mode": "random", "site_types": [], "per_type": "",
    })
    form = response.context["form"]
    assert form.errors == {
        "end_date": ["结束日期不能早于开始日期。"],
        "inspectors": ["请至少选择一名督查员或第三方测评员。"],
        "site_types": ["请至少选择一种点位类型。"],
        "per_type": ["请填写每类抽取的点位数。"],
    }
    assert "请至少选择一种点位类型" in response.content.decode()
    assert not InspectionRound.objects.exists()
