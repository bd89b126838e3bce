import pytest
from django.urls import reverse

from campaign.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_login(client, city):
    for url in ["/", reverse("campaign:unit_list"), reverse("campaign:unit_detail", args=[city.unit_a.pk]),
                reverse("campaign:inbox"), reverse("campaign:profile"), reverse("tasks:index")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_liaison_gets_404_for_another_units_page(client_for, liaison_a, city):
    client = client_for(liaison_a)
    assert client.get(reverse("campaign:unit_detail", args=[city.unit_b.pk])).status_code == 404
    assert client.get(reverse("campaign:unit_detail", args=[city.root.pk])).status_code == 404
    own = client.get(reverse("campaign:unit_detail", args=[city.unit_a.pk]))
    assert own.status_code == 200
    assert "湖滨街道" in own.content.decode()


def test_liaison_sees_own_unit_and_below_in_directory(client_for, liaison_a, city):
    page = client_for(liaison_a).get(reverse("campaign:unit_list")).content.decode()
    assert "湖滨街道" in page and "和平社区" in page
    assert "江北街道" not in page and "东湖区" not in page and "市城市管理局" not in page


def test_liaison_can_open_a_unit_below_their_own(client_for, liaison_a, city):
    response = client_for(liaison_a).get(reverse("campaign:unit_detail", args=[city.community_a.pk]))
    assert response.status_code == 200


def test_office_staff_see_every_unit(client_for, office_clerk, city):
    client = client_for(office_clerk)
    page = client.get(reverse("campaign:unit_list")).content.decode()
    for unit in OrgUnit.objects.all():
        assert unit.name in page
    assert client.get(reverse("campaign:unit_detail", args=[city.unit_b.pk])).status_code == 200


def test_visible_to_queryset_matches_tree(liaison_a, liaison_b, office_clerk, outsider, city):
    assert set(OrgUnit.objects.visible_to(liaison_a)) == {city.unit_a, city.community_a}
    assert set(OrgUnit.objects.visible_to(liaison_b)) == {city.unit_b}
    assert OrgUnit.objects.visible_to(office_clerk).count() == OrgUnit.objects.count()
    assert not OrgUnit.objects.visible_to(outsider).exists()


def test_subtree_query_uses_the_path_prefix(city):
    assert list(city.community_a.ancestors()) == [city.root, city.east, city.unit_a]
    assert city.community_a.is_within(city.east) and not city.unit_b.is_within(city.east)


def test_module_landing_pages_follow_roles(client_for, archivist_a, inspector):
    archivist = client_for(archivist_a)
    assert archivist.get(reverse("archives:index")).status_code == 200
    assert archivist.get(reverse("inspections:index")).status_code == 403
    assert archivist.get(reverse("reports:index")).status_code == 403
