import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nav_groups(client):
    """The navigation groups (UI.md: 工作台, 整改任务, 督查检查, …) the user is shown."""
    return [group["label"] for group in client.get("/").context["nav_menu"]]


def nav_entries(client):
    return [entry["label"] for group in client.get("/").context["nav_menu"] for entry in group["entries"]]


def test_each_role_sees_its_own_navigation(client_for, office_clerk, liaison_a, archivist_a, inspector, assessor):
    office = nav_groups(client_for(office_clerk))
    assert {"工作台", "整改任务", "督查检查", "台账资料", "报表与卷宗", "基础数据"} <= set(office)
    liaison = nav_groups(client_for(liaison_a))
    assert "整改任务" in liaison and "督查检查" not in liaison and "领导驾驶舱" not in liaison
    # A unit sees the 督查通报 that name it, but builds no dossiers and edits no reference data.
    liaison_entries = nav_entries(client_for(liaison_a))
    assert "报表与卷宗" not in liaison_entries and "新建交办" not in liaison_entries
    assert "工作日历" not in liaison_entries
    assert "台账资料" in nav_groups(client_for(archivist_a))
    assert "督查检查" in nav_groups(client_for(inspector))
    assessor_nav = nav_groups(client_for(assessor))
    assert "督查检查" in assessor_nav and "整改任务" not in assessor_nav


def test_home_shows_units_and_roles(client_for, liaison_a):
    page = client_for(liaison_a).get(reverse("home")).content.decode()
    assert "工作台" in page
    assert "湖滨街道" in page and "联络员" in page


def test_user_without_units_is_told_what_to_do(client_for, outsider):
    page = client_for(outsider).get(reverse("home")).content.decode()
    assert "还没有被分配到任何单位" in page
