"""测评体系 pages: the tree, search, editions, one page per standard, and the office's edits."""

import pytest
from django.urls import reverse

from campaign.models import Event, Framework, Indicator, Responsibility, SiteType

from .reference_data import edition, node, row, site, small_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(city):
    return small_tree()


def test_anonymous_users_are_sent_to_login(client, tree):
    for url in [reverse("reference:indicators"), reverse("reference:indicator_detail", args=[tree.cleaning.pk]),
                reverse("reference:indicator_edit", args=[tree.cleaning.pk]), reverse("reference:framework_list"),
                reverse("reference:indicator_create", args=[tree.framework.pk]), reverse("reference:framework_create"),
                reverse("reference:framework_edit", args=[tree.framework.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_every_user_can_browse_the_tree_with_lead_units(client_for, liaison_a, tree, city):
    row(tree.content, city.unit_a)
    page = client_for(liaison_a).get(reverse("reference:indicators")).content.decode()
    for text in ["公共文明与城市环境", "8.1", "道路环境卫生", "8.1.1", "道路保洁", "果皮箱设置", "负面清单", "湖滨街道"]:
        assert text in page, text
    assert "新增版块" not in page  # only office staff edit


def test_search_by_code_finds_the_standard(client_for, liaison_a, tree):
    response = client_for(liaison_a).get(reverse("reference:indicators"), {"q": "8.1.2"})
    results = response.context["results"]
    assert [indicator for indicator, _trail in results] == [tree.bins]
    assert "8 市容环境" in results[0][1]


def test_search_by_words_looks_in_names_and_texts(client_for, liaison_a, tree):
    client = client_for(liaison_a)
    found = [i for i, _ in client.get(reverse("reference:indicators"), {"q": "油污"}).context["results"]]
    assert found == [tree.cleaning]
    page = client.get(reverse("reference:indicators"), {"q": "不存在的词"}).content.decode()
    assert "没有编号或文字匹配" in page


def test_an_older_edition_is_shown_read_only_and_labelled(client_for, office_clerk, tree):
    old = edition(name="江城市测评细则（2023年版）", year=2023, active=False)
    node(old, None, "A", "旧版块")
    client = client_for(office_clerk)
    page = client.get(reverse("reference:indicators"), {"framework": old.pk}).content.decode()
    assert "旧版块" in page and "历史版本" in page and "仅供查阅" in page
    assert "新增版块" not in page
    current = client.get(reverse("reference:indicators")).content.decode()
    assert "公共文明与城市环境" in current and "（历史版本·只读）" in current and "新增版块" in current


def test_standard_page_shows_everything_about_it(client_for, office_clerk, tree, city, leader):
    row(tree.content, city.bureau, leader=leader, responsible=[city.east], assisting=[city.unit_a])
    row(tree.cleaning, city.unit_b, site_type=tree.square)
    site(city, "中山广场")
    page = client_for(office_clerk).get(reverse("reference:indicator_detail", args=[tree.cleaning.pk])).content.decode()
    for text in ["主次干道路面干净", "实地考察", "2 分", "公共广场", "主次干道", "计划", "特色和成效",
                 "沿用上级指标", "市城市管理局", "陈建华", "东湖区", "江北街道", "在公共广场类点位发现的问题按此行交办",
                 "中山广场"]:
        assert text in page, text
    negative = client_for(office_clerk).get(reverse("reference:indicator_detail", args=[tree.stalls.pk]))
    assert "出现即扣分" in negative.content.decode()


def test_sites_of_the_standards_types_are_paginated_and_scoped(client_for, office_clerk, liaison_b, tree, city):
    for n in range(25):
        site(city, f"广场{n:02d}")
    site(city, "江北广场", district=city.north, street=city.unit_b, adopting=city.unit_b)
    office = client_for(office_clerk)
    url = reverse("reference:indicator_detail", args=[tree.bins.pk])
    first = office.get(url).context["page"]
    assert first.paginator.count == 26 and len(first.object_list) == 20
    assert len(office.get(url, {"page": 2}).context["page"].object_list) == 6
    other = client_for(liaison_b).get(url).context["page"]
    assert [s.name for s in other.object_list] == ["江北广场"]


def test_office_edits_a_standard_with_an_audit_event(client_for, office_clerk, tree):
    toilet = SiteType.objects.get(name="室外公厕")
    response = client_for(office_clerk).post(reverse("reference:indicator_edit", args=[tree.bins.pk]), {
        "code": "8.1.2", "name": "果皮箱设置与清运", "text": "果皮箱设置合理", "methods": ["实地考察", "材料审核"],
        "points": "1.5", "site_types": [tree.square.pk, toilet.pk], "evidence_categories": ["计划", "活动"],
        "extra_categories": "清运记录、巡查台账", "is_negative": "", "sort_order": "2",
    })
    assert response.status_code == 302
    bins = Indicator.objects.get(pk=tree.bins.pk)
    assert bins.name == "果皮箱设置与清运" and bins.methods == ["实地考察", "材料审核"]
    assert bins.evidence_categories == ["计划", "活动", "清运记录", "巡查台账"]
    assert set(bins.site_types.all()) == {tree.square, toilet}
    event = Event.objects.for_object(bins).get()
    assert event.actor == office_clerk and event.changes["名称"] == ["果皮箱设置", "果皮箱设置与清运"]
    assert "室外公厕" in event.changes["适用点位类型"][1]


def test_only_office_staff_edit_indicators(client_for, liaison_a, leader, tree):
    for user in (liaison_a, leader):
        client = client_for(user)
        assert client.get(reverse("reference:indicator_edit", args=[tree.bins.pk])).status_code == 403
        assert client.post(reverse("reference:indicator_create", args=[tree.framework.pk]),
                           {"code": "Z", "name": "x"}).status_code == 403
        assert client.post(reverse("reference:framework_activate", args=[tree.framework.pk])).status_code == 403
        assert client.get(reverse("reference:framework_list")).status_code == 403
        assert client.post(reverse("reference:framework_create"), {"name": "x", "year": "2027"}).status_code == 403
        assert client.post(reverse("reference:framework_edit", args=[tree.framework.pk]),
                           {"name": "x", "year": "2026"}).status_code == 403
    assert Framework.objects.get().name == tree.framework.name and not Event.objects.exists()


def test_editing_an_inactive_edition_is_refused(client_for, office_clerk, tree):
    old = edition(name="旧版", year=2023, active=False)
    area = node(old, None, "A", "旧版块")
    response = client_for(office_clerk).post(reverse("reference:indicator_edit", args=[area.pk]),
                                             {"code": "A", "name": "改名"}, follow=True)
    assert "历史版本（已停用），仅供查阅，不能修改" in response.content.decode()
    assert Indicator.objects.get(pk=area.pk).name == "旧版块"
    assert not Event.objects.exists()


def test_new_child_codes_must_follow_the_parent_and_be_unique(client_for, office_clerk, tree):
    client = client_for(office_clerk)
    url = reverse("reference:indicator_create", args=[tree.framework.pk]) + f"?parent={tree.content.pk}"
    wrong = client.post(url, {"code": "9.1.3", "name": "新标准"})
    assert "编号应以上级编号“8.1.”开头" in wrong.content.decode()
    taken = client.post(url, {"code": "8.1.2", "name": "新标准"})
    assert "已有编号为“8.1.2”的指标" in taken.content.decode()
    assert client.post(url, {"code": "8.1.3", "name": "垃圾清运", "methods": ["实地考察"]}).status_code == 302
    created = Indicator.objects.get(code="8.1.3")
    assert created.level == Indicator.Level.STANDARD and created.parent == tree.content
    assert created.path == "B/8/8.1/8.1.3/" and created.sort_order == 3


def test_recoding_an_indicator_moves_its_subtree(client_for, office_clerk, tree):
    client_for(office_clerk).post(reverse("reference:indicator_edit", args=[tree.item.pk]),
                                  {"code": "9", "name": "市容环境"})
    assert Indicator.objects.get(pk=tree.cleaning.pk).path == "B/9/8.1/8.1.1/"


def test_activating_an_edition_deactivates_the_previous_one(client_for, office_clerk, tree):
    new = edition(name="2027年版", year=2027, active=False)
    response = client_for(office_clerk).post(reverse("reference:framework_activate", args=[new.pk]))
    assert response.status_code == 302
    assert list(Framework.objects.filter(is_active=True)) == [new]
    assert Event.objects.for_object(tree.framework).get().verb == "framework.deactivate"
    assert Event.objects.for_object(new).get().verb == "framework.activate"


def test_a_new_edition_can_copy_the_active_tree_and_matrix(client_for, office_clerk, tree, city):
    row(tree.content, city.bureau, responsible=[city.east])
    response = client_for(office_clerk).post(reverse("reference:framework_create"), {
        "name": "江城市测评体系（2027年版）", "year": "2027", "note": "", "copy_active": "on"})
    assert response.status_code == 302
    new = Framework.objects.get(year=2027)
    assert not new.is_active and new.indicators.count() == tree.framework.indicators.count()
    copied = new.indicators.get(code="8.1.1")
    assert copied.path == "B/8/8.1/8.1.1/" and set(copied.site_types.all()) == {tree.square, tree.road}
    copied_row = Responsibility.objects.get(indicator__framework=new)
    assert copied_row.lead_unit == city.bureau and list(copied_row.responsible_units.all()) == [city.east]


def test_framework_details_of_an_old_edition_cannot_be_edited(client_for, office_clerk, tree):
    old = edition(name="旧版", year=2023, active=False)
    response = client_for(office_clerk).post(reverse("reference:framework_edit", args=[old.pk]),
                                             {"name": "新名字", "year": "2023"}, follow=True)
    assert "仅供查阅" in response.content.decode() and Framework.objects.get(pk=old.pk).name == "旧版"


def test_an_edition_named_with_its_year_is_not_labelled_with_it_twice():
    assert str(Framework(name="测评体系（2026年版）", year=2026)) == "测评体系（2026年版）"
    assert str(Framework(name="全国文明城市测评体系", year=2021)) == "全国文明城市测评体系（2021）"
