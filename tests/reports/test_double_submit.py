"""生成卷宗, 生成简报 and 印发通报 take effect once, however often the button is pressed."""

from datetime import timedelta

import pytest
from django.urls import reverse

from reports.models import Bulletin, ReportRun, Summary
from tasks.models import ChaseNotice

from ..twice import assert_second_went_to_first, form_token, post_twice
from . import figures_kit as kit

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref(city, leader, media):
    data = kit.build(city, leader)
    task = data.a3
    ChaseNotice.objects.create(task=task, kind=ChaseNotice.Kind.BULLETIN, due_date=task.due_date,
                               year=data.today.year, seq=1, number=f"创文办通〔{data.today.year}〕1号",
                               issued_on=data.today - timedelta(days=1))
    return data


def test_a_double_click_on_generate_dossier_makes_one_run(client_for, inspector, dossier_data,
                                                         django_capture_on_commit_callbacks):
    client = client_for(inspector)
    token = form_token(client, reverse("reports:index"))
    data = {"indicator": dossier_data.standards[0].pk, "unit": dossier_data.unit.pk, "date_from": "2026-01-01",
            "date_to": "2026-12-31", "categories": ["活动", "计划"], "compiler": "湖滨街道办事处"}
    with django_capture_on_commit_callbacks(execute=False):
        first, second = post_twice(client, reverse("reports:dossier_request"), data, token)
    assert_second_went_to_first(first, second)
    run = ReportRun.objects.get()
    assert first.url == reverse("reports:run_detail", args=[run.pk])


def test_a_summary_requested_twice_is_made_once(client_for, office_clerk, ref):
    client = client_for(office_clerk)
    token = form_token(client, reverse("reports:summary_list"))
    data = {"scope": "city", "preset": "custom", "start": ref.today - timedelta(days=20), "end": ref.today}
    first, second = post_twice(client, reverse("reports:summary_new"), data, token)
    assert_second_went_to_first(first, second)
    assert Summary.objects.count() == 1


def test_a_bulletin_of_a_selection_requested_twice_is_issued_once(client_for, office_clerk, ref, city):
    client = client_for(office_clerk)
    token = form_token(client, reverse("reports:bulletin_new"), {"unit": city.east.pk, "preview": "1"})
    first, second = post_twice(client, reverse("reports:bulletin_new"), {"unit": city.east.pk}, token)
    assert_second_went_to_first(first, second)
    assert Bulletin.objects.count() == 1


def test_issuing_the_waiting_chase_entries_twice_issues_one_bulletin(client_for, office_clerk, ref):
    client = client_for(office_clerk)
    token = form_token(client, reverse("reports:bulletin_list"))
    first, second = post_twice(client, reverse("reports:bulletin_from_chase"), {}, token)
    assert_second_went_to_first(first, second)
    assert Bulletin.objects.count() == 1
