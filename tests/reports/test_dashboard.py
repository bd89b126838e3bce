"""The leader dashboard: scope, figures, drill-down to the matching task list, queries, export."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign.models import OutboxJob
from reports.selectors.dashboard.selectors import best_and_worst, ranking
from reports.selectors.metrics.scopes import city_scope
from reports.services.snapshots import snapshot_take

from . import figures_kit as kit

pytestmark = pytest.mark.django_db
URL = "/reports/dashboard/"


@pytest.fixture
def ref(city, leader):
    data = kit.build(city, leader)
    snapshot_take()
    return data


def values(response) -> dict:
    html = response.content.decode()
    return dict(re.findall(r'data-testid="value-([a-z_]+)">([^<]*)<', html))


def card_url(response, key: str) -> str:
    html = response.content.decode()
    found = re.search(rf'href="([^"]+)" data-testid="card-{key}"', html)
    return found.group(1).replace("&amp;", "&")


def numbers_listed(client, url: str) -> set[str]:
    html = client.get(url).content.decode()
    return set(re.findall(r'data-testid="task-row" data-number="([^"]+)"', html))


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_liaison_may_not_open_the_dashboard(client_for, liaison_a, ref):
    assert client_for(liaison_a).get(URL).status_code == 403


def test_a_leader_sees_the_figures_of_their_own_scope(client_for, leader, ref):
    response = client_for(leader).get(URL)
    assert response.status_code == 200
    assert "陈建华（分管领导）" in response.content.decode()
    shown = values(response)
    assert shown["handed_over"] == "5" and shown["open"] == "1" and shown["red"] == "0" and shown["yellow"] == "1"
    assert shown["rectification_rate"] == "60.0%"


def test_a_leader_cannot_look_at_other_scopes(client_for, leader, city, office_clerk, ref):
    client = client_for(leader)
    assert client.get(URL, {"scope": "city"}).status_code == 404
    assert client.get(URL, {"scope": f"unit:{city.unit_b.pk}"}).status_code == 404
    assert client.get(URL, {"scope": f"leader:{office_clerk.pk}"}).status_code == 404
    assert client.get(URL, {"scope": f"unit:{city.bureau.pk}"}).status_code == 200


def test_every_leader_figure_drills_down_to_exactly_the_tasks_it_counts(client_for, leader, ref):
    client = client_for(leader)
    response = client.get(URL)
    assert numbers_listed(client, card_url(response, "handed_over")) == {"T-A1", "T-A2", "T-A4", "T-C1", "T-C2"}
    assert numbers_listed(client, card_url(response, "open")) == {"T-A4"}
    assert numbers_listed(client, card_url(response, "yellow")) == {"T-A4"}
    assert numbers_listed(client, card_url(response, "red")) == set()
    assert numbers_listed(client, card_url(response, "rectified")) == {"T-A1", "T-A2", "T-C2"}


def test_office_staff_switch_scope_and_the_figures_follow(client_for, office_clerk, city, ref):
    client = client_for(office_clerk)
    shown = values(client.get(URL))
    assert shown["handed_over"] == "8" and shown["red"] == "1" and shown["rebounds"] == "1"
    assert shown["rectification_rate"] == "42.9%"
    response = client.get(URL, {"scope": f"district:{city.east.pk}"})
    assert values(response)["handed_over"] == "4"
    assert numbers_listed(client, card_url(response, "red")) == {"T-A3"}
    north = client.get(URL, {"scope": f"district:{city.north.pk}"})
    assert numbers_listed(client, card_url(north, "rebounds")) == {"T-B1"}


def test_red_and_yellow_lists_link_to_the_tasks(client_for, office_clerk, ref):
    html = client_for(office_clerk).get(URL).content.decode()
    red = html.split('data-testid="list-red"')[1].split("</table>")[0]
    yellow = html.split('data-testid="list-yellow"')[1].split("</table>")[0]
    assert reverse("tasks:detail", args=[ref.a3.pk]) in red and "T-A3" in red
    assert "T-A4" in yellow and "T-A3" not in yellow


def test_units_are_ranked_best_and_worst_without_overlap(ref, city):
    rows = ranking(city_scope(), ref.today)
    assert [(r.rank, r.row.scope_name) for r in rows] == [(1, "市城市管理局"), (1, "湖滨街道"), (3, "江北街道")]
    best, worst = best_and_worst(rows)
    assert [r.row.scope_name for r in best] == ["市城市管理局"]
    assert [r.row.scope_name for r in worst] == ["江北街道"]


def test_the_dashboard_costs_the_same_queries_whatever_the_number_of_tasks(client_for, office_clerk, ref, city):
    client = client_for(office_clerk)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"scope": f"district:{city.east.pk}"})
    for n in range(30):
        kit._task(ref, f"T-X{n}", city.unit_a if n % 2 else city.community_a, assigned=-5, due=-1 if n % 3 else 3)
    snapshot_take()
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL, {"scope": f"district:{city.east.pk}"})
    assert values(response)["handed_over"] == "34"
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) <= 20


def test_without_snapshots_the_page_says_what_to_do(client_for, office_clerk, city):
    html = client_for(office_clerk).get(URL).content.decode()
    assert "还没有统计快照" in html and "立即更新统计" in html


def test_the_office_can_ask_for_a_fresh_snapshot(client_for, office_clerk, leader, ref, django_capture_on_commit_callbacks):
    response = client_for(office_clerk).post(reverse("reports:dashboard_refresh"), {"scope": "city"})
    assert response.status_code == 302
    assert OutboxJob.objects.filter(name="reports.take_snapshots").count() == 1


def test_a_leader_cannot_ask_for_a_fresh_snapshot(client_for, leader, ref):
    assert client_for(leader).post(reverse("reports:dashboard_refresh")).status_code == 403


def test_the_dashboard_tables_export_to_xlsx(client_for, office_clerk, ref):
    from openpyxl import load_workbook

    response = client_for(office_clerk).get(reverse("reports:dashboard_export"), {"scope": "city"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["主要指标", "单位排名", "红灯清单", "黄灯清单", "点位类型得分率"]
    ranked = [row[1] for row in book["单位排名"].iter_rows(min_row=3, values_only=True)]
    assert ranked == ["市城市管理局", "湖滨街道", "江北街道"]
    cards = {row[0]: row[1] for row in book["主要指标"].iter_rows(min_row=3, values_only=True)}
    assert cards["累计交办问题"] == "8" and cards["整改率"] == "42.9%"
    assert [row[0] for row in book["红灯清单"].iter_rows(min_row=3, values_only=True)] == ["T-A3"]


def test_the_week_view_compares_with_last_week(client_for, office_clerk, ref):
    html = client_for(office_clerk).get(URL, {"period": "week"}).content.decode()
    assert "本周新增" in html and "与上周比较" in html
