"""批量交办: upload → preview with per-row errors and routing → confirm, all or nothing."""

import io
from datetime import date

import openpyxl
import pytest

from campaign.models import Notification, Responsibility, Site, SiteType
from tasks.models import NumberSequence, RectificationTask
from tasks.services import bulk

from .ladder_kit import reference, travel

TODAY = date(2026, 6, 15)  # a Monday

GOOD_ROWS = [
    # 标题, 问题描述, 测评标准编号, 点位名称, 区, 来源, 牵头单位, 配合单位, 分管领导, 时限, 完成日期, 紧急程度
    ["湖滨路共享单车乱停放", "早高峰人行道被占", "1.2.3", "湖滨路", "东湖区", "督查", "", "", "", "", "", ""],
    ["江北菜市场占道经营", "", "1.2.3", "", "", "暗访", "江北街道", "市城管局", "", "3个工作日", "", "紧急"],
    ["湖滨路护栏破损", "", "１.２.３", "湖滨路", "", "12345热线", "湖滨街道", "", "陈建华", "", "2026-07-10", ""],
]


def workbook(rows, headers=bulk.HEADERS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, data: bytes, name="交办.xlsx"):
    return client.post("/tasks/bulk/", {"file": _named(data, name)})


def _named(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@pytest.fixture
def world(db, city, leader, liaison_a, head_a, liaison_b):
    ref = reference()
    site = Site.objects.create(name="湖滨路", site_type=SiteType.objects.get(name="主次干道"), district=city.east,
                               street=city.unit_a, adopting_unit=city.unit_a)
    row = Responsibility.objects.create(indicator=ref.standard, lead_unit=city.bureau, leader=leader,
                                        time_limit=ref.days5)
    row.assisting_units.set([city.unit_a])
    ref.site = site
    return ref


def test_the_template_has_every_column_and_drop_downs(client_for, office_clerk):
    response = client_for(office_clerk).get("/tasks/bulk/template/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [c.value.rstrip("*") for c in wb["批量交办"][1]]
    assert headers == bulk.HEADERS
    assert "填写说明" in wb.sheetnames
    assert any("督查" in (v.formula1 or "") for v in wb["批量交办"].data_validations.dataValidation)


def test_only_office_staff_may_hand_over_in_bulk(client, client_for, liaison_a, world):
    assert client.get("/tasks/bulk/").status_code == 302
    liaison = client_for(liaison_a)
    for url in ["/tasks/bulk/", "/tasks/bulk/template/"]:
        assert liaison.get(url).status_code == 403
    assert liaison.post("/tasks/bulk/", {"file": _named(workbook(GOOD_ROWS), "a.xlsx")}).status_code == 403
    assert not RectificationTask.objects.exists()


def test_preview_shows_the_routing_and_saves_nothing(client_for, office_clerk, city, world):
    with travel(TODAY, 10):
        page = upload(client_for(office_clerk), workbook(GOOD_ROWS)).content.decode()
    assert "共 3 行，全部检查通过" in page
    assert "市城市管理局" in page and "按责任分工（按测评标准）" in page  # row 1: routed
    assert "确认交办 3 件" in page
    assert not RectificationTask.objects.exists()


def test_confirm_creates_every_task_routed_and_notified(client_for, office_clerk, city, leader, liaison_b, world):
    client = client_for(office_clerk)
    with travel(TODAY, 10):
        upload(client, workbook(GOOD_ROWS))
        token = client.session["tasks_bulk_handover"]["token"]
        response = client.post("/tasks/bulk/confirm/", {"token": token})
    assert response.status_code == 302
    tasks = list(RectificationTask.objects.order_by("number"))
    assert [t.number for t in tasks] == ["ZG-2026-00001", "ZG-2026-00002", "ZG-2026-00003"]
    first, second, third = tasks
    assert first.lead_unit == city.bureau and first.leader == leader and first.site == world.site
    assert list(first.assisting_units.all()) == [city.unit_a]
    assert first.due_date == date(2026, 6, 23)  # 5 working days after Mon 15 Jun (端午 19 Jun is a holiday)
    assert second.lead_unit == city.unit_b and list(second.assisting_units.all()) == [city.bureau]
    assert second.priority == 2 and second.source == "暗访"
    assert third.due_date == date(2026, 7, 10) and third.time_limit.name == "指定日期" and third.source == "12345"
    assert Notification.objects.filter(recipient=liaison_b, title__contains=second.number).exists()
    assert "tasks_bulk_handover" not in client.session
    # The same confirmation posted again creates nothing more.
    with travel(TODAY, 10):
        client.post("/tasks/bulk/confirm/", {"token": token})
    assert RectificationTask.objects.count() == 3


PLANTED = [
    ["正常的一行", "", "1.2.3", "湖滨路", "", "督查", "", "", "", "", "", ""],
    ["标准编号写错", "", "9.9.9", "", "", "督查", "湖滨街道", "", "", "5个工作日", "", ""],
    ["点位写错", "", "1.2.3", "湖滨大道", "东湖区", "巡查", "", "", "", "", "", ""],
    ["单位写错", "", "1.2.3", "", "", "督查", "湖滨街到", "", "", "5个工作日", "", ""],
    ["时限和日期写错", "", "1.2.3", "", "", "督查", "湖滨街道", "", "", "两周", "2026-13-40", ""],
    ["来源写错", "", "1.2.3", "", "", "电话", "湖滨街道", "", "", "", "2026-06-01", "很急"],
]


def test_planted_errors_are_explained_per_row_and_nothing_is_created(client_for, office_clerk, world):
    client = client_for(office_clerk)
    with travel(TODAY, 10):
        page = upload(client, workbook(PLANTED)).content.decode()
        token = client.session["tasks_bulk_handover"]["token"]
        client.post("/tasks/bulk/confirm/", {"token": token})
    assert "共 6 行，其中 <strong>5</strong> 行有" in page
    for message in [
        "测评标准编号“9.9.9”在当前测评体系中不存在",
        "未找到点位“湖滨大道”（东湖区）",
        "未找到单位“湖滨街到”。您是不是要找：湖滨街道？",
        "时限“两周”无效，请填写：",
        "完成日期“2026-13-40”无法识别，请按 2026-06-30 的格式填写。",
        "来源“电话”无效，请填写：督查、暗访",
        "完成日期 2026-06-01 早于今天，请修改。",
        "紧急程度“很急”无效",
    ]:
        assert message in page, message
    assert "确认交办" not in page
    assert not RectificationTask.objects.exists()


def test_a_failure_while_creating_rolls_back_every_row(office_clerk, world, monkeypatch):
    rows = [{**dict(zip(bulk.FIELDS, r, strict=True)), "row": i + 2} for i, r in enumerate(GOOD_ROWS)]
    calls = {"n": 0}
    real = bulk.task_create

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise bulk.TransitionError("整改期限早于交办日期，请修改。")
        return real(**kwargs)

    monkeypatch.setattr(bulk, "task_create", flaky)
    with travel(TODAY, 10):
        checks = bulk.check_rows(rows)
        assert all(c.ok for c in checks)
        with pytest.raises(bulk.TransitionError, match="第 4 行：整改期限早于交办日期，请修改。 没有交办任何任务。"):
            bulk.bulk_handover(actor=office_clerk, checks=checks)
    assert not RectificationTask.objects.exists()
    assert not NumberSequence.objects.filter(key="task", last__gt=0).exists()  # numbers given back


def test_confirm_checks_again_when_the_day_has_moved_on(client_for, office_clerk, world):
    rows = [["明天到期的问题", "", "1.2.3", "", "", "督查", "湖滨街道", "", "", "", "2026-06-15", ""]]
    client = client_for(office_clerk)
    with travel(TODAY, 20):
        upload(client, workbook(rows))
        token = client.session["tasks_bulk_handover"]["token"]
    with travel(date(2026, 6, 16), 7):  # the next morning, within the session's 12 hours
        page = client.post("/tasks/bulk/confirm/", {"token": token}).content.decode()
    assert "完成日期 2026-06-15 早于今天" in page and "表格中还有错误，没有交办任何任务。" in page
    assert not RectificationTask.objects.exists()


def _xlsx_without_header():
    return workbook([["a", "b"], ["c", "d"]], headers=["随便", "什么"])


@pytest.mark.parametrize(("data", "message"), [
    (b"", "上传的文件是空的"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "这是旧版 Excel（.xls）"),
    (b"PK\x03\x04 this is not really a zip", "不是有效的 Excel"),
    ("标题,来源\n问题,督查\n".encode(), "不是有效的 Excel"),
    ("header_only", "表格只有表头，没有数据"),
    ("no_header", "没有找到表头"),
    ("missing_columns", "表头缺少必需的列：测评标准编号、来源"),
])
def test_an_unusable_file_gets_a_clear_message(client_for, office_clerk, world, data, message):
    if data == "header_only":
        data = workbook([])
    elif data == "no_header":
        data = _xlsx_without_header()
    elif data == "missing_columns":
        data = workbook([["问题", "描述"]], headers=["标题", "问题描述", "点位名称"])
    client = client_for(office_clerk)
    page = upload(client, data).content.decode()
    assert message in page
    assert "tasks_bulk_handover" not in client.session
    assert not RectificationTask.objects.exists()


def test_same_unit_names_are_told_apart_by_their_parent(office_clerk, city, world):
    from tests.factories import OrgUnitFactory

    OrgUnitFactory(name="和平社区", kind="community", parent=city.unit_b)
    row = {"title": "楼道杂物", "description": "", "standard": "1.2.3", "site": "", "district": "", "source": "自查",
           "lead_unit": "和平社区", "assisting": "", "leader": "", "time_limit": "5个工作日", "due_date": "",
           "priority": "", "row": 2}
    with travel(TODAY, 10):
        check = bulk.check_rows([row])[0]
        assert "有 2 个单位叫“和平社区”，请写成“上级单位/单位”" in check.errors[0]
        check = bulk.check_rows([{**row, "lead_unit": "湖滨街道/和平社区"}])[0]
    assert check.ok and check.values["lead_unit"] == city.community_a
