"""督办文书 pages: who sees which notice, the filters, and the printable PDF."""

import subprocess
from datetime import date

import pytest

from tasks.models import ChaseNotice
from tasks.services.chase import chase_run

from .ladder_kit import reference, task_due, travel


@pytest.fixture
def notices(db, city, office_clerk, leader, head_a, liaison_a):
    """Unit A: a task due 30 Sep 2026 with a 催办 of 8 Oct; unit B: one with a 临期提醒."""
    ref = reference()
    task_a = task_due(ref, actor=office_clerk, unit=city.unit_a, due=date(2026, 9, 30), leader=leader,
                       title="湖滨路人行道共享单车乱停放")
    task_b = task_due(ref, actor=office_clerk, unit=city.unit_b, due=date(2026, 10, 9), title="江北菜市场占道经营")
    with travel(date(2026, 10, 8)):
        chase_run()
    return {
        "urge": ChaseNotice.objects.get(task=task_a, kind="urge"),
        "reminder": ChaseNotice.objects.get(task=task_b, kind="reminder"),
    }


def test_anonymous_is_sent_to_login(client, notices):
    response = client.get("/tasks/chase/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_user_without_a_role_is_refused(client_for, outsider, notices):
    assert client_for(outsider).get("/tasks/chase/").status_code == 403


def test_office_sees_every_notice_and_filters_by_kind(client_for, office_clerk, notices):
    client = client_for(office_clerk)
    page = client.get("/tasks/chase/").content.decode()
    assert "创文办催〔2026〕1号" in page and "创文办提〔2026〕1号" in page
    page = client.get("/tasks/chase/", {"kind": "urge"}).content.decode()
    assert "创文办催〔2026〕1号" in page and "创文办提〔2026〕1号" not in page


def test_filters_by_unit_and_date(client_for, office_clerk, city, notices):
    client = client_for(office_clerk)
    page = client.get("/tasks/chase/", {"unit": city.unit_b.pk}).content.decode()
    assert "创文办提〔2026〕1号" in page and "创文办催〔2026〕1号" not in page
    page = client.get("/tasks/chase/", {"date_from": "2026-10-09"}).content.decode()
    assert "没有符合条件的督办文书" in page


def test_a_unit_sees_only_its_own_notices(client_for, head_a, liaison_b, notices):
    page = client_for(head_a).get("/tasks/chase/").content.decode()
    assert "创文办催〔2026〕1号" in page and "创文办提〔2026〕1号" not in page
    other = client_for(liaison_b)
    assert other.get(f"/tasks/chase/{notices['urge'].pk}/").status_code == 404
    assert other.get(f"/tasks/chase/{notices['urge'].pk}/pdf/").status_code == 404


def test_the_notice_page_shows_the_document(client_for, head_a, leader, notices):
    page = client_for(head_a).get(f"/tasks/chase/{notices['urge'].pk}/").content.decode()
    assert "整改任务催办通知" in page and "湖滨街道：" in page
    assert "超期工作日" in page and "1 个工作日" in page
    assert f"抄送：{leader}（分管领导）" in page
    assert "系统发出催办通知 创文办催〔2026〕1号" in page  # the audit trail


def test_the_notice_prints_as_pdf(client_for, office_clerk, notices, tmp_path):
    response = client_for(office_clerk).get(f"/tasks/chase/{notices['urge'].pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    for expected in ["创文办催〔2026〕1号", "整改任务催办通知", "湖滨街道：", notices["urge"].task.number,
                     "湖滨路人行道共享单车乱停放", "2026年9月30日", "超期工作日", "1个工作日", "2026年10月8日",
                     "第1页共1页"]:
        assert expected in flat, expected
