"""The 点位清单 goes through the same reader: a title, a 序号 column, 坐标 merged over 经度/纬度,
signatures below, and a column in the office's own words asked once on the mapping page."""

import openpyxl
import pytest

from campaign.models import ColumnMapping, Site

from .corpus_shapes import Shape, save
from .flow import import_through_ui

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def site_sheet(address_header: str = "详细地址") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "点位"
    ws["A1"] = "江城市创文实地考察点位清单"
    ws.merge_cells("A1:I1")
    ws.append(["序号", "点位名称", "点位类型", "所属区", "街道", address_header, "坐标", None, "包保单位"])
    ws.append([None, None, None, None, None, None, "经度", "纬度", None])
    for col in (1, 2, 3, 4, 5, 6, 9):
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    ws.merge_cells("G2:H2")
    ws.append([1, "人民广场", "公共广场", "东湖区", "湖滨街道", "人民路 1 号", 114.305215, 30.592849, "湖滨街道"])
    ws.append([2, "江滩公园", "公园", "江北区", "江北街道", "沿江大道 8 号", None, None, "江北街道"])
    ws.append(["填表人：周文明", None, None, None, None, "联系电话：0710-12345678"])
    return save(wb)


def test_a_site_list_in_the_offices_shape_imports(client_for, office_clerk):
    client = client_for(office_clerk)
    response = client.post("/imports/upload/sites/", {"file": _file("点位清单.xlsx", site_sheet())})
    assert response.status_code == 302 and "/mapping/" not in response.url
    preview = client.get(response.url).content.decode()
    assert "确认后将新增 2 个点位" in preview and "表头在第 2–3 行" in preview
    client.post(response.url + "confirm/")
    square = Site.objects.get(name="人民广场")
    assert str(square.longitude) == "114.305215" and square.street.name == "湖滨街道"
    assert square.address == "人民路 1 号" and Site.objects.count() == 2


def test_a_site_column_in_unusual_words_is_asked_once(client_for, office_clerk):
    client = client_for(office_clerk)
    shape = Shape("sites", "点位清单.xlsx", site_sheet("门牌位置"), mapping={"门牌位置": "address"})
    response = client.post("/imports/upload/sites/", {"file": _file(shape.filename, shape.data)})
    assert response.url.endswith("/mapping/")
    page = client.get(response.url)
    assert any(c.label == "门牌位置" and c.guess == "address" for c, _f in page.context["form"].rows())
    _preview, done = import_through_ui(client, shape, kind="sites")
    assert "导入成功：新增点位 2 个" in done.content.decode()
    assert Site.objects.get(name="江滩公园").address == "沿江大道 8 号"
    assert ColumnMapping.objects.get().kind == "sites"


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)

