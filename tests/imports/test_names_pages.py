"""单位组与别名: office only; a group stands for units of a kind or listed ones; an alias may not
take a unit's own name; every change is audited."""

import pytest
from django.urls import reverse

from campaign.models import Event, UnitAlias, UnitGroup

pytestmark = pytest.mark.django_db


def test_anonymous_and_other_roles_cannot_open_the_page(client, client_for, liaison_a, leader):
    assert client.get(reverse("reference:names")).status_code == 302
    assert client_for(liaison_a).get(reverse("reference:names")).status_code == 403
    assert client_for(leader).post(reverse("reference:unit_alias_create"), {"name": "x"}).status_code == 403


def test_the_default_groups_are_listed_with_their_members(client_for, office_clerk, city):
    page = client_for(office_clerk).get(reverse("reference:names")).content.decode()
    assert "各区人民政府" in page and "各成员单位" in page and "东湖区、江北区" in page


def test_office_adds_edits_and_deletes_an_alias(client_for, office_clerk, city):
    client = client_for(office_clerk)
    response = client.post(reverse("reference:unit_alias_create"), {"name": "市城管执法局", "unit": city.bureau.pk,
                                                                     "note": "旧称"})
    assert response.status_code == 302
    alias = UnitAlias.objects.get(name="市城管执法局")
    assert alias.unit == city.bureau and alias.created_by == office_clerk
    client.post(reverse("reference:unit_alias_edit", args=[alias.pk]), {"name": "市城管执法局", "unit": city.east.pk})
    alias.refresh_from_db()
    assert alias.unit == city.east
    client.post(reverse("reference:unit_alias_delete", args=[alias.pk]))
    assert not UnitAlias.objects.exists()
    assert list(Event.objects.filter(verb__startswith="unitalias").values_list("verb", flat=True).order_by("pk")) == [
        "unitalias.create", "unitalias.update", "unitalias.delete"]


def test_an_alias_cannot_take_a_units_name_and_a_group_must_stand_for_units(client_for, office_clerk, city):
    client = client_for(office_clerk)
    page = client.post(reverse("reference:unit_alias_create"), {"name": "市城管局", "unit": city.east.pk})
    assert "“市城管局”已是单位“市城市管理局”的名称，不能再用作别名。" in page.content.decode()
    page = client.post(reverse("reference:unit_group_create"), {"name": "各有关单位"})
    assert "请选择单位类型，或至少列出一个单位" in page.content.decode()
    assert not UnitAlias.objects.exists() and not UnitGroup.objects.filter(name="各有关单位").exists()


def test_a_group_of_listed_units(client_for, office_clerk, city):
    client = client_for(office_clerk)
    response = client.post(reverse("reference:unit_group_create"),
                           {"name": "各有关单位", "units": [city.bureau.pk, city.east.pk]})
    assert response.status_code == 302
    group = UnitGroup.objects.get(name="各有关单位")
    assert set(group.members()) == {city.east, city.bureau}
    assert Event.objects.filter(verb="unitgroup.create").exists()
