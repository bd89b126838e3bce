"""Smoke test of the benchmark driver (bench/, run by scripts/bench.sh) on a handful of rows: the
city top-ups, the in-process timing, the naive baseline view, wrk against a live server, the jobs'
calendar helper and the table. The city-scale figures themselves come from scripts/bench.sh."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from archives.models import EvidenceItem
from bench import city as bench_city
from bench import figures, jobs, latency, load
from campaign.models import Indicator, Method, OrgUnit, Site
from tasks.models import TaskAction

from ..factories import make_task
from ..tasks.lifecycle_kit import reference


@pytest.fixture
def small_city(city, office_clerk, liaison_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ref = reference(city)
    Indicator.objects.filter(pk=ref.street.pk).update(methods=[Method.MATERIAL], evidence_categories=["活动"])
    tasks = [make_task(ref, actor=office_clerk, unit=city.unit_a, assisting=[city.bureau], title=f"占道经营 第{i}处")
             for i in range(3)]
    return tasks


@pytest.mark.django_db
def test_top_ups_reach_their_targets_and_a_rerun_adds_nothing(small_city, city, settings):
    units, sites, actions, evidence = (OrgUnit.objects.count(), Site.objects.count(), TaskAction.objects.count(),
                                       EvidenceItem.objects.count())
    assert bench_city.top_up_units(units + 2) == 2
    assert OrgUnit.objects.filter(parent=city.unit_a, kind=OrgUnit.Kind.COMMUNITY).count() >= 2
    assert bench_city.top_up_grids(units + 5) == 3  # the fifth level: 网格 under the communities
    assert OrgUnit.objects.filter(depth=4, parent__kind=OrgUnit.Kind.COMMUNITY).count() == 3
    assert bench_city.top_up_grids(units + 5) == 0
    assert bench_city.top_up_sites(sites + 3) == 3
    assert bench_city.top_up_actions(actions + 10) == 10
    assert bench_city.top_up_evidence(evidence + 7, image_files=3) == 7

    notes = TaskAction.objects.filter(action="assist")
    assert notes.count() == 10 and {n.actor_unit_id for n in notes} == {city.bureau.pk}
    assert all(n.task.assigned_at <= n.created_at for n in notes)
    added = EvidenceItem.objects.filter(kind=EvidenceItem.Kind.PHOTO, unit=city.unit_a)
    assert added.count() == 7 and added.values("file").distinct().count() == 3
    assert all((Path(settings.MEDIA_ROOT) / item.file.name).is_file() for item in added)
    assert all(item.indicators.exists() for item in added)

    targets = (OrgUnit.objects.count(), Site.objects.count(), TaskAction.objects.count(), EvidenceItem.objects.count())
    assert bench_city.top_up_units(targets[0]) == bench_city.top_up_sites(targets[1]) == 0
    assert bench_city.top_up_actions(targets[2]) == bench_city.top_up_evidence(targets[3], image_files=3) == 0


@pytest.mark.django_db
def test_the_timer_counts_queries_per_request_and_reports_percentiles(small_city, office_clerk):
    client = latency.client_for(office_clerk.username)
    timing = latency.measure(client, "/tasks/", requests=6, warmup=1).as_dict()
    assert timing["status"] == 200 and timing["requests"] == 6
    assert timing["queries_constant"] and timing["queries"] > 0
    assert 0 < timing["p50_ms"] <= timing["p95_ms"] <= timing["max_ms"]


@pytest.mark.django_db
@pytest.mark.urls("bench.urls")
def test_the_naive_baseline_lists_fifty_rows_with_an_exact_count_and_no_login(small_city, client):
    response = client.get("/bench/naive-tasks/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "共 3 条" in text and all(t.number in text for t in small_city)


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("bench.urls")
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk 未安装（scripts/bench.sh 会安装）")
def test_wrk_drives_a_live_server_and_counts_errors(live_server):
    # Django's test server resets some closed connections (wrk counts socket errors); gunicorn does not.
    ok = load.wrk(f"{live_server.url}/bench/naive-tasks/", seconds=1, connections=2, threads=1)
    assert ok["requests"] > 0 and ok["non_200"] == 0 and ok["rps"] > 0
    assert ok["errors"] == ok["non_200"] + ok["socket_errors"]
    refused = load.wrk(f"{live_server.url}/tasks/", seconds=1, connections=2, threads=1)  # no session: redirect
    assert refused["non_200"] == refused["requests"] > 0


@pytest.mark.django_db
def test_the_chase_ladder_runs_for_the_last_working_day():
    assert jobs.last_workday(date(2026, 11, 28)) == date(2026, 11, 27)  # Saturday → Friday
    assert jobs.last_workday(date(2026, 10, 5)) == date(2026, 9, 30)  # 国庆 holiday → the day before


def test_the_table_shows_misses_with_their_figure_and_says_what_was_not_measured():
    results = {"latency": {"tasks.default": {
        "office": {"status": 200, "p50_ms": 20.0, "p95_ms": 30.0, "queries": 13, "queries_constant": True},
        "leader": {"status": 200, "p50_ms": 40.0, "p95_ms": 75.5, "queries": 15, "queries_constant": True},
    }, "dashboard": {"liaison": {"status": 403}}}, "jobs": {"chase": {"error": "RuntimeError: boom"}}}
    rows = {r.figure: r for r in figures.rows(results)}
    assert rows["任务列表·默认 · office p95 (p50)"].met is True
    missed = rows["任务列表·默认 · leader p95 (p50)"]
    assert missed.met is False and missed.measured.startswith("75.5 ms")
    assert rows["领导驾驶舱 · liaison p95"].met is None
    assert "未测得（RuntimeError: boom）" in rows["督办阶梯（10 万件在办）"].measured
    assert rows["任务列表吞吐（32 并发）"].measured == "未测得（未运行）"
    text = figures.render(list(rows.values()))
    assert text.startswith("| 指标 | 实测 | 目标 | 达标 |") and "| 否 |" in text


@pytest.mark.django_db
def test_scoped_pages_are_the_visible_tasks_in_order_forwards_and_back(city, office_clerk, liaison_a, leader):
    """The scoped list is a union of branches (tasks/seek.py): it must page through exactly what
    visible_to gives, in order, for a liaison (lead + assisting) and a leader (+ 分管)."""
    from datetime import timedelta

    from django.utils import timezone

    from tasks.models import RectificationTask
    from tasks.selectors import TaskFilters, filtered_parts, seek_page

    ref = reference(city, leader=leader)
    start = timezone.now() - timedelta(days=2)
    for i in range(46):
        unit, assisting, boss = [(city.unit_a, (), None), (city.unit_b, (city.unit_a,), None),
                                 (city.unit_b, (), leader), (city.bureau, (), None)][i % 4]
        make_task(ref, actor=office_clerk, unit=unit, assisting=assisting, leader=boss, title=f"问题{i}",
                  assigned_at=start + timedelta(minutes=i))
    today = timezone.localdate()
    for user in (liaison_a, leader):
        expected = list(RectificationTask.objects.visible_to(user).order_by("-assigned_at", "-id")
                        .values_list("number", flat=True))
        parts = filtered_parts(user, TaskFilters(), today)
        assert len(parts) > 1
        seen, pages, page = [], [], seek_page(parts, size=20, today=today)
        assert page.count == len(expected)
        while True:
            pages.append([t.number for t in page.rows])
            seen += pages[-1]
            if not page.has_next:
                break
            page = seek_page(parts, size=20, after=page.next_cursor, today=today)
        assert seen == expected
        back = seek_page(parts, size=20, before=page.prev_cursor, today=today)
        assert [t.number for t in back.rows] == pages[-2]


@pytest.mark.django_db
def test_the_import_benchmark_workbooks_read_without_a_problem(city, leader):
    from bench import imports
    from campaign.services.spreadsheets import parse_framework, parse_sites

    framework = parse_framework(imports.framework_workbook(rows=30))
    assert framework.messages == [] and framework.counts()["测评标准"] == 30
    sites = parse_sites(imports.sites_workbook(rows=40))
    assert sites.messages == [] and sites.counts()["新增"] == 40
    assert [r.figure for r in figures.rows({"imports": {}})][-2:] == ["目标任务分解表 2000 行导入", "点位清单 20000 行导入"]
