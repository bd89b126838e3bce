"""责任分工: the scoped matrix, its filters, the office's row form and the routing check."""

from datetime import date

import pytest
from django.urls import reverse

from campaign.models import Event, Notification, Responsibility, SiteType, TimeLimit

from ..factories import OrgUnitFactory, oversee, person
from .reference_data import edition, node, row, site, small_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(city, leader):
    """Three rows: the leader oversees 8.1 (led by 市城管局); 8.1.2 is led by 湖滨街道 (unit A);
    8.2 is led by a bureau nobody here belongs to, with 江北街道 (unit B) assisting."""
    tree = small_tree()
    police = OrgUnitFactory(name="市公安局", kind="department", parent=city.root)
    rows = {
        "mine": row(tree.content, city.bureau, leader=leader, responsible=[city.east]),
        "unit_a": row(tree.bins, city.unit_a),
        "other": row(tree.order, police, assisting=[city.unit_b]),
    }
    return tree, rows, police


def shown(response):
    return {r.pk for r in response.context["rows"]}


def test_anonymous_users_are_sent_to_login(client, matrix):
    _tree, rows, _police = matrix
    for url in [reverse("reference:matrix"), reverse("reference:responsibility_create"),
                reverse("reference:responsibility_edit", args=[rows["mine"].pk]), reverse("reference:routing_check")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    response = client.post(reverse("reference:responsibility_delete", args=[rows["mine"].pk]))
    assert response.status_code == 302 and Responsibility.objects.filter(pk=rows["mine"].pk).exists()


def test_office_sees_the_whole_matrix(client_for, office_clerk, matrix):
    _tree, rows, _police = matrix
    response = client_for(office_clerk).get(reverse("reference:matrix"))
    assert shown(response) == {r.pk for r in rows.values()}
    page = response.content.decode()
    assert "陈建华" in page and "市公安局" in page and "新增分工" in page


def test_a_leader_sees_only_their_scope(client_for, leader, matrix):
    _tree, rows, _police = matrix
    response = client_for(leader).get(reverse("reference:matrix"))
    assert shown(response) == {rows["mine"].pk}
    page = response.content.decode()
    assert "市公安局" not in page and "新增分工" not in page and "共 1 行" in page


def test_a_liaison_sees_the_rows_naming_their_unit(client_for, liaison_a, liaison_b, matrix):
    _tree, rows, _police = matrix
    assert shown(client_for(liaison_a).get(reverse("reference:matrix"))) == {rows["unit_a"].pk}
    assert shown(client_for(liaison_b).get(reverse("reference:matrix"))) == {rows["other"].pk}


def test_matrix_filters_by_unit_role_leader_and_area(client_for, office_clerk, leader, matrix, city):
    tree, rows, police = matrix
    client = client_for(office_clerk)
    url = reverse("reference:matrix")
    assert shown(client.get(url, {"unit": city.unit_b.pk, "role": "assist"})) == {rows["other"].pk}
    assert shown(client.get(url, {"unit": city.unit_b.pk, "role": "lead"})) == set()
    assert shown(client.get(url, {"unit": police.pk, "role": "lead"})) == {rows["other"].pk}
    assert shown(client.get(url, {"unit": city.east.pk, "role": "responsible"})) == {rows["mine"].pk}
    assert shown(client.get(url, {"leader": leader.pk})) == {rows["mine"].pk}
    assert shown(client.get(url, {"q": "8.1"})) == {rows["mine"].pk, rows["unit_a"].pk}
    other_area = node(tree.framework, None, "A", "思想道德建设")
    row(node(tree.framework, other_area, "1", "理想信念教育"), city.bureau)
    assert shown(client.get(url, {"area": tree.area.pk})) == {r.pk for r in rows.values()}
    assert "筛选结果 3 行（共 4 行）" in client.get(url, {"area": tree.area.pk}).content.decode()


def test_matrix_rows_follow_the_tree_order(client_for, office_clerk, city):
    framework = edition()
    area = node(framework, None, "B", "公共文明")
    item = node(framework, area, "8", "市容环境")
    contents = [node(framework, item, code, f"内容{code}") for code in ["8.10", "8.2", "8.9"]]
    for content in contents:
        row(content, city.bureau)
    row(contents[1], city.unit_a, site_type=SiteType.objects.get(name="公共广场"))
    response = client_for(office_clerk).get(reverse("reference:matrix"))
    assert [(r.indicator.code, r.site_type_id is not None) for r in response.context["rows"]] == [
        ("8.2", False), ("8.2", True), ("8.9", False), ("8.10", False)]


def form_data(tree, city, **overrides):
    data = {"indicator": tree.cleaning.pk, "site_type": "", "site": "", "leader": "", "lead_unit": city.bureau.pk,
            "responsible_units": [city.east.pk, city.north.pk], "assisting_units": [city.unit_a.pk],
            "time_limit": TimeLimit.objects.get(name="3个工作日").pk, "deadline": "", "note": ""}
    data.update(overrides)
    return data


def test_office_adds_a_row_and_the_named_people_are_told(client_for, office_clerk, leader, liaison_a, matrix, city):
    tree, _rows, _police = matrix
    response = client_for(office_clerk).post(reverse("reference:responsibility_create"),
                                             form_data(tree, city, leader=leader.pk))
    assert response.status_code == 302
    created = Responsibility.objects.get(indicator=tree.cleaning)
    assert set(created.responsible_units.all()) == {city.east, city.north}
    assert list(created.assisting_units.all()) == [city.unit_a] and created.leader == leader
    assert Event.objects.for_object(created).get().verb == "responsibility.create"
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"leader", "liaison_a"} <= told


def test_office_edits_a_row_with_an_audit_trail(client_for, office_clerk, matrix, city):
    tree, rows, _police = matrix
    data = form_data(tree, city, indicator=tree.content.pk, responsible_units=[city.unit_b.pk], assisting_units=[])
    assert client_for(office_clerk).post(reverse("reference:responsibility_edit", args=[rows["mine"].pk]),
                                         data).status_code == 302
    event = Event.objects.for_object(rows["mine"]).get()
    assert event.changes["责任单位"] == ["东湖区", "江北街道"]
    assert event.changes["完成时限"] == ["5个工作日", "3个工作日"]
    assert list(Responsibility.objects.get(pk=rows["mine"].pk).responsible_units.all()) == [city.unit_b]


def test_row_validation_speaks_chinese_and_changes_nothing(client_for, office_clerk, matrix, city):
    tree, rows, _police = matrix
    client = client_for(office_clerk)
    url = reverse("reference:responsibility_create")
    square = site(city, "中山广场")
    both = client.post(url, form_data(tree, city, site_type=tree.square.pk, site=square.pk)).content.decode()
    assert "只能限定点位类型或单个点位之一" in both
    date_limit = TimeLimit.objects.get(name="指定日期").pk
    no_date = client.post(url, form_data(tree, city, time_limit=date_limit)).content.decode()
    assert "“指定日期”时限需要填写完成日期" in no_date
    stray = client.post(url, form_data(tree, city, deadline="2026-12-31")).content.decode()
    assert "只有“指定日期”时限才填写完成日期" in stray
    taken = client.post(url, form_data(tree, city, indicator=tree.bins.pk)).content.decode()
    assert "已有一行分工" in taken and "湖滨街道" in taken
    lead_assists = client.post(url, form_data(tree, city, assisting_units=[city.bureau.pk])).content.decode()
    assert "已是牵头单位，不能同时作为配合单位" in lead_assists
    assert Responsibility.objects.count() == 3 and not Event.objects.exists()
    ok = client.post(url, form_data(tree, city, time_limit=date_limit, deadline="2026-12-31"))
    assert ok.status_code == 302
    assert Responsibility.objects.get(indicator=tree.cleaning).deadline == date(2026, 12, 31)


def test_rows_of_an_old_edition_cannot_be_changed(client_for, office_clerk, matrix, city):
    old = edition(name="旧版", year=2023, active=False)
    old_row = row(node(old, node(old, None, "A", "旧版块"), "1", "旧项目"), city.bureau)
    client = client_for(office_clerk)
    response = client.post(reverse("reference:responsibility_delete", args=[old_row.pk]), follow=True)
    assert "仅供查阅，不能修改" in response.content.decode() and Responsibility.objects.filter(pk=old_row.pk).exists()


def test_office_deletes_a_row(client_for, office_clerk, matrix):
    tree, rows, _police = matrix
    response = client_for(office_clerk).post(reverse("reference:responsibility_delete", args=[rows["unit_a"].pk]))
    assert response.status_code == 302 and not Responsibility.objects.filter(pk=rows["unit_a"].pk).exists()
    assert Event.objects.for_object(tree.bins).get().verb == "responsibility.delete"


def test_only_office_staff_change_the_matrix(client_for, leader, liaison_a, inspector, matrix, city):
    tree, rows, _police = matrix
    for user in (leader, liaison_a, inspector):
        client = client_for(user)
        assert client.get(reverse("reference:responsibility_create")).status_code == 403
        assert client.post(reverse("reference:responsibility_edit", args=[rows["unit_a"].pk]),
                           form_data(tree, city)).status_code == 403
        assert client.post(reverse("reference:responsibility_delete", args=[rows["unit_a"].pk])).status_code == 403
    assert Responsibility.objects.count() == 3


def test_routing_check_shows_the_answer_and_the_rule(client_for, office_clerk, inspector, matrix, city):
    tree, _rows, _police = matrix
    square = site(city, "中山广场")
    row(tree.cleaning, city.unit_b, site_type=tree.square)
    url = reverse("reference:routing_check")
    response = client_for(office_clerk).get(url, {"indicator": tree.cleaning.pk, "site": square.pk})
    assert response.context["routing"].rule == "site_type"
    page = response.content.decode()
    assert "江北街道" in page and "按点位类型" in page
    inherited = client_for(inspector).get(url, {"indicator": tree.cleaning.pk})
    assert inherited.context["routing"].rule == "ancestor" and "市城市管理局" in inherited.content.decode()


def test_routing_check_is_for_office_and_inspectors(client_for, liaison_a, leader, matrix):
    for user in (liaison_a, leader):
        assert client_for(user).get(reverse("reference:routing_check")).status_code == 403


def test_people_without_a_role_see_an_empty_matrix(client_for, outsider, matrix):
    response = client_for(outsider).get(reverse("reference:matrix"))
    assert response.status_code == 200 and shown(response) == set()


def test_a_unit_the_leader_oversees_widens_their_matrix(client_for, matrix, city):
    _tree, rows, police = matrix
    deputy = person("deputy", "leader", city.root, "副市长")
    assert shown(client_for(deputy).get(reverse("reference:matrix"))) == set()  # his post alone shows nothing
    oversee(deputy, police)
    assert shown(client_for(deputy).get(reverse("reference:matrix"))) == {rows["other"].pk}
