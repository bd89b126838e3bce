"""Each corpus sheet (tests/imports/corpus_shapes.py) goes in unedited through the office's flow:
upload → column mapping where asked → preview without a single problem → confirm, and the database
holds exactly the three standards and their responsibilities."""

import pytest

from campaign.models import ColumnMapping, Event, Framework

from . import corpus_shapes
from .flow import assert_corpus_imported, import_through_ui, upload

pytestmark = pytest.mark.django_db

SHAPES = {shape.name: shape for shape in corpus_shapes.all_shapes()}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("name", [n for n, s in SHAPES.items() if s.mapping is None])
def test_a_sheet_in_the_offices_own_shape_imports_unedited(client_for, office_clerk, leader, name):
    preview, done = import_through_ui(client_for(office_clerk), SHAPES[name])
    assert "检查通过" in preview, preview
    assert "导入成功" in done.content.decode()
    assert_corpus_imported()
    assert not ColumnMapping.objects.exists()


def test_signatures_and_notes_below_the_data_are_not_rows(client_for, office_clerk, leader):
    preview, _done = import_through_ui(client_for(office_clerk), SHAPES["title-notes-signatures"])
    assert "表头在第 4 行，共 3 行数据" in preview
    assert "填表人" not in preview and "审核人" not in preview


def test_every_sheet_of_a_sheet_per_area_workbook_is_read(client_for, office_clerk, leader):
    preview, _done = import_through_ui(client_for(office_clerk), SHAPES["sheet-per-area"])
    assert "工作表“公共秩序” 2 行、工作表“市容环境” 1 行" in preview


def test_a_two_row_band_reads_each_sub_column_under_its_group(client_for, office_clerk, leader):
    client = client_for(office_clerk)
    response = upload(client, "分解表.xlsx", SHAPES["two-row-band"].data)
    page = client.get(response.url).content.decode()
    assert "表头在第 1–2 行" in page and "未识别的列" not in page


def test_unusual_header_words_are_asked_once_and_remembered(client_for, office_clerk, leader):
    client = client_for(office_clerk)
    shape = SHAPES["unusual-words"]
    first = upload(client, shape.filename, shape.data)
    assert first.status_code == 302 and first.url.endswith("/mapping/")
    page = client.get(first.url)
    text = page.content.decode()
    assert "表格中有几列系统不能确定含义" in text and "办理时限要求" in text
    guesses = {column.label: column.guess for column, _f in page.context["form"].rows()}
    assert guesses["标准条目"] == "text" and guesses["办理时限要求"] == "time" and guesses["考核方法"] == "methods"
    assert not Framework.objects.exists()

    preview, done = import_through_ui(client, shape)
    assert "检查通过" in preview and "导入成功" in done.content.decode()
    assert_corpus_imported()
    mapping = ColumnMapping.objects.get(kind="framework")
    assert mapping.fields["承办单位"] == "lead" and mapping.confirmed_by == office_clerk
    assert Event.objects.filter(verb="import.mapping").count() == 1

    # The same header again: no question, read by the remembered mapping, with a way to change it.
    again = upload(client, "任务清单（第二版）.xlsx", shape.data, name="2027年版", year=2027)
    assert again.status_code == 302 and "/mapping/" not in again.url
    preview = client.get(again.url).content.decode()
    assert "已按上次确认的对应关系读取" in preview and "修改列的对应关系" in preview


def test_a_messy_sheet_asks_only_about_the_words_it_does_not_know(client_for, office_clerk, leader):
    client = client_for(office_clerk)
    shape = SHAPES["messy-office-sheet"]
    page = client.get(upload(client, shape.filename, shape.data).url)
    columns = {column.label: column for column, _f in page.context["form"].rows()}
    assert columns["测评标准/编号"].field == "code" and columns["测评标准/内容"].field == "text"
    assert columns["责任分工/责任单位"].field == "responsible" and columns["序号"].skip
    assert columns["考核方法"].guess == "methods" and columns["办理时限要求"].guess == "time"
    assert "表头在第 3–4 行" in page.content.decode()
    preview, done = import_through_ui(client, shape)
    assert "检查通过" in preview and "导入成功" in done.content.decode()
    assert_corpus_imported()


def test_a_wrong_mapping_answer_is_refused_and_nothing_is_remembered(client_for, office_clerk, leader):
    client = client_for(office_clerk)
    shape = SHAPES["unusual-words"]
    response = upload(client, shape.filename, shape.data)
    page = client.get(response.url)
    data = {bound.html_name: (bound.value() or "") for _c, bound in page.context["form"].rows()}
    names = {column.label: bound.html_name for column, bound in page.context["form"].rows()}
    data[names["承办单位"]] = "responsible"  # 责任单位 is already another column's
    data[names["标准条目"]] = ""
    refused = client.post(response.url, data)
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "“责任单位”只能对应一列，现在「承办单位」和「责任单位」都选了它。" in text
    assert "请指出哪一列是：测评标准" in text
    assert not ColumnMapping.objects.exists() and not Framework.objects.exists()


def test_the_mapping_page_is_the_uploaders_own(client, client_for, office_clerk, leader):
    from ..factories import person

    response = upload(client_for(office_clerk), "任务清单.xlsx", SHAPES["unusual-words"].data)
    other = person("clerk2", "office", office_clerk.memberships.first().unit, "吴敏")
    client.force_login(other)
    assert client.get(response.url).status_code == 404
    assert client.post(response.url, {}).status_code == 404
    assert not ColumnMapping.objects.exists()
