import pytest
from django.contrib import admin

from campaign.models import Event, OrgUnit
from campaign.services.admin_audit import AuditedAdmin

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_admin_is_audited():
    unaudited = [model.__name__ for model, model_admin in admin.site._registry.items()
                 if model._meta.app_label in {"campaign", "archives", "tasks", "inspections", "reports"}
                 and not isinstance(model_admin, AuditedAdmin)]
    assert unaudited == []


def test_an_admin_edit_leaves_an_audit_event(client, city):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    url = f"/admin/campaign/orgunit/{city.unit_a.pk}/change/"
    response = client.post(url, {
        "name": "湖滨街道办事处", "short_name": "湖滨街道", "kind": "street", "phone": "0710-1234567",
        "address": "", "sort_order": 0, "is_active": "on",
        "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0,
        "memberships-MIN_NUM_FORMS": 0, "memberships-MAX_NUM_FORMS": 1000,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert OrgUnit.objects.get(pk=city.unit_a.pk).name == "湖滨街道办事处"
    event = Event.objects.for_object(city.unit_a).get()
    assert event.actor == root and event.verb == "admin.change" and "湖滨街道办事处" in event.summary


def test_admin_unit_list_shows_the_tree(client, city):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get("/admin/campaign/orgunit/").content.decode()
    assert page.index("东湖区") < page.index("湖滨街道") < page.index("和平社区") < page.index("江北区")
