"""The task list: filters, search, keyset pages, capped counts, constant queries, the 整改台账 export
and the 工作台 to-do cards."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tasks import selectors
from tasks.models import RectificationTask, State
from tasks.services import task_transition

from ..factories import make_task
from .lifecycle_kit import later, photo_upload, reference


@pytest.fixture
def ref(city, leader):
    return reference(city, leader=leader)


@pytest.fixture
def many(ref, city, office_clerk):
    """60 tasks of unit A (half at the square), 5 of unit B; assigned one hour apart."""
    start = timezone.now() - timedelta(days=3)
    made = []
    for i in range(65):
        unit = city.unit_a if i < 60 else city.unit_b
        made.append(make_task(ref, actor=office_clerk, unit=unit, title=f"共享单车乱停放 第{i}处",
                              site=ref.square if i % 2 else None, assigned_at=start + timedelta(hours=i)))
    return made


def numbers(response):
    return [t.number for t in response.context["page"].rows]


def test_query_count_does_not_grow_with_the_page_size(many, client_for, office_clerk, liaison_a):
    for user in (office_clerk, liaison_a):
        client = client_for(user)
        client.get(reverse("tasks:index"))  # warm caches (content types, sessions)
        counts = []
        for size in (20, 50, 100):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("tasks:index"), {"size": size})
            assert len(response.context["page"].rows) == min(size, 65 if user == office_clerk else 60)
            counts.append(len(queries))
        assert counts[0] == counts[1] == counts[2], counts
        assert counts[0] <= 16, [q["sql"][:120] for q in queries.captured_queries]


def test_query_count_stays_constant_on_filtered_pages(many, client_for, office_clerk):
    client = client_for(office_clerk)
    params = {"state": "open", "light": "green", "site_type": many[1].site.site_type_id, "q": "单车"}
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("tasks:index"), {**params, "size": 20})
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("tasks:index"), {**params, "size": 100})
    assert len(small) == len(large)


def test_keyset_pages_walk_every_task_once_forwards_and_back(many, client_for, office_clerk):
    client = client_for(office_clerk)
    seen, pages, response = [], [], client.get(reverse("tasks:index"), {"size": 20})
    while True:
        page = response.context["page"]
        pages.append(numbers(response))
        seen += numbers(response)
        if not page.has_next:
            break
        response = client.get(reverse("tasks:index"), {"size": 20, "after": page.next_cursor})
    assert len(seen) == len(set(seen)) == 65
    assert seen == [t.number for t in RectificationTask.objects.order_by("-assigned_at", "-id")]
    assert [len(p) for p in pages] == [20, 20, 20, 5]
    back = client.get(reverse("tasks:index"), {"size": 20, "before": response.context["page"].prev_cursor})
    assert numbers(back) == pages[2]
    assert back.context["page"].has_prev and back.context["page"].has_next


def test_the_due_date_sort_pages_by_due_date(ref, city, office_clerk, client_for):
    for days in (9, 3, 7, 1, 5):
        make_task(ref, actor=office_clerk, unit=city.unit_a, due=later(days), title=f"期限{days}")
    client = client_for(office_clerk)
    first = client.get(reverse("tasks:index"), {"sort": "due", "size": 20})
    assert [t.title for t in first.context["page"].rows] == ["期限1", "期限3", "期限5", "期限7", "期限9"]


def test_counts_are_capped_instead_of_counting_everything(many, client_for, office_clerk, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 50)
    response = client_for(office_clerk).get(reverse("tasks:index"))
    assert "共 50 条以上" in response.content.decode()
    response = client_for(office_clerk).get(reverse("tasks:index"), {"unit": many[-1].lead_unit_id})
    assert "共 5 条" in response.content.decode()


def test_filters_narrow_the_list(ref, city, office_clerk, liaison_a, leader, client_for):
    today = timezone.localdate()
    late = make_task(ref, actor=office_clerk, unit=city.unit_a, title="超期的盲道问题", site=ref.square,
                     assigned_at=timezone.now() - timedelta(days=30), due=today - timedelta(days=20),
                     source="暗访")
    RectificationTask.objects.filter(pk=late.pk).update(due_date=today - timedelta(days=2),
                                                        yellow_from=today - timedelta(days=4))
    fresh = make_task(ref, actor=office_clerk, unit=city.unit_b, title="新交办的垃圾桶满溢", leader=leader,
                      due=later(30), source="12345")
    task_transition(task=fresh, actor=_liaison_b(city), action="sign")
    client = client_for(office_clerk)

    def listed(**params):
        return {t.title for t in client.get(reverse("tasks:index"), params).context["page"].rows}

    assert listed() == {late.title, fresh.title}
    assert listed(state=State.IN_PROGRESS) == {fresh.title}
    assert listed(light="red") == listed(overdue="1") == {late.title}
    assert listed(light="green") == {fresh.title}
    assert listed(unit=city.east.pk) == {late.title}  # the district and the units below it
    assert listed(leader=leader.pk) == {fresh.title}
    assert listed(standard="5.1") == listed(standard="5.1.1") == {late.title, fresh.title}
    assert listed(standard="5.2") == set()
    assert listed(site_type=ref.square_type.pk) == listed(district=city.east.pk) == {late.title}
    assert listed(source="12345") == {fresh.title}
    assert listed(due_from=today.isoformat()) == {fresh.title}
    assert listed(assigned_to=(today - timedelta(days=10)).isoformat()) == {late.title}
    assert listed(q="盲道") == {late.title}
    assert listed(q=fresh.number) == {fresh.title}
    assert listed(q="满溢", state="open") == {fresh.title}
    assert listed(state="nonsense", light="purple") == {late.title, fresh.title}  # bad values are ignored


def _liaison_b(city):
    from tests.factories import person

    return person("liaison_b2", "liaison", city.unit_b, "江北联络员")


def test_the_list_shows_lights_and_working_days_left(ref, city, office_clerk, client_for):
    make_task(ref, actor=office_clerk, unit=city.unit_a, title="还有时间", due=later(40))
    page = client_for(office_clerk).get(reverse("tasks:index")).content.decode()
    assert 'data-light="green"' in page
    assert "还剩" in page and "个工作日" in page


def test_search_is_served_by_the_trigram_indexes(ref, city, office_clerk):
    make_task(ref, actor=office_clerk, unit=city.unit_a, title="人民广场东侧垃圾桶满溢")
    qs = RectificationTask.objects.search("垃圾桶满溢")
    with connection.cursor() as cursor:
        # A tiny table is read whole; forbid that to see which index the query can use.
        cursor.execute("SET enable_seqscan = off")
        sql, params = qs.order_by().query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "task_title_trgm" in plan and "task_description_trgm" in plan, plan
    assert list(qs.values_list("title", flat=True)) == ["人民广场东侧垃圾桶满溢"]


def test_export_gives_the_ledger_with_the_office_columns(ref, city, office_clerk, liaison_a, client_for, settings,
                                                         tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = make_task(ref, actor=office_clerk, unit=city.unit_a, title="=HYPERLINK(\"http://x\")", site=ref.square,
                     assisting=[city.bureau], due=later(10))
    task_transition(task=task, actor=liaison_a, action="sign")
    task_transition(task=task, actor=liaison_a, action="submit", note="已清理并设置围挡", files=[photo_upload()])
    task_transition(task=task, actor=office_clerk, action="approve")
    make_task(ref, actor=office_clerk, unit=city.unit_b, title="别的单位的问题")

    response = client_for(liaison_a).get(reverse("tasks:export"), {"state": "closed"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("序号", "编号", "问题描述", "测评标准", "点位", "牵头单位", "配合单位", "分管领导", "交办日期",
                       "整改期限", "状态", "亮灯", "销号日期", "整改情况")
    assert len(rows) == 3  # title, header, one task: the other unit's task is not exported
    row = dict(zip(rows[1], rows[2], strict=True))
    assert row["编号"] == task.number and row["点位"] == "人民广场"
    assert row["牵头单位"] == "湖滨街道" and row["配合单位"] == "市城市管理局"
    assert row["状态"] == "已销号" and row["整改情况"] == "已清理并设置围挡"
    assert row["问题描述"].startswith("=HYPERLINK")  # kept as text, not turned into a formula
    assert sheet.cell(row=3, column=3).data_type == "s"


def test_home_shows_to_do_cards_that_open_the_filtered_list(ref, city, office_clerk, liaison_a, client_for):
    make_task(ref, actor=office_clerk, unit=city.unit_a, title="待签收一")
    signed = make_task(ref, actor=office_clerk, unit=city.unit_a, title="待整改一")
    task_transition(task=signed, actor=liaison_a, action="sign")
    make_task(ref, actor=office_clerk, unit=city.unit_b, title="别人的")

    cards = {c["label"]: c for c in client_for(liaison_a).get(reverse("home")).context["todos"]}
    assert cards["待签收"]["count"] == 1 and cards["待整改"]["count"] == 1
    listed = client_for(liaison_a).get(cards["待签收"]["url"])
    assert [t.title for t in listed.context["page"].rows] == ["待签收一"]
    assert "待签收" in listed.content.decode()

    office_cards = {c["label"] for c in client_for(office_clerk).get(reverse("home")).context["todos"]}
    assert {"待核查", "退回申请待处理", "延期申请待审批", "已超期"} <= office_cards


def test_an_empty_list_says_what_to_do(client_for, office_clerk, liaison_a, city):
    assert "新建交办" in client_for(office_clerk).get(reverse("tasks:index")).content.decode()
    page = client_for(liaison_a).get(reverse("tasks:index")).content.decode()
    assert "创文办交办给本单位的问题会出现在这里" in page
