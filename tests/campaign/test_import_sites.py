"""点位清单: export → import round trip, upsert by district + name, row errors in Chinese."""

from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest

from campaign import services
from campaign.models import Event, OrgUnit, Site, SiteType
from campaign.services.spreadsheets import parse_sites, sites_workbook, to_bytes

from ..factories import OrgUnitFactory

pytestmark = pytest.mark.django_db

HEADERS = ["点位名称", "类型", "区", "街道", "地址", "经度", "纬度", "包保单位"]


def site_types():
    return {t.name: t for t in SiteType.objects.all()}


def seed_sites(city):
    types = site_types()
    Site.objects.create(name="人民广场", site_type=types["公共广场"], district=city.east, street=city.unit_a,
                        address="东湖区人民路 1 号", longitude=Decimal("114.305215"), latitude=Decimal("30.592781"),
                        adopting_unit=city.bureau)
    Site.objects.create(name="湖滨农贸市场", site_type=types["集贸市场"], district=city.east, is_chronic=True,
                        adopting_unit=city.community_a)
    Site.objects.create(name="人民广场", site_type=types["公共广场"], district=city.north, street=city.unit_b,
                        longitude=Decimal("114.2"), latitude=Decimal("30.6"), is_active=False)


def site_snapshot():
    return sorted(
        (s.name, s.site_type_id, s.district_id, s.street_id, s.address, s.longitude, s.latitude, s.adopting_unit_id,
         s.is_chronic, s.is_active)
        for s in Site.objects.all()
    )


def sheet(rows, headers=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_site_list_round_trip_into_an_empty_database(city, office_clerk):
    seed_sites(city)
    before = site_snapshot()
    data = to_bytes(sites_workbook(Site.objects.all()))
    Site.objects.all().delete()

    parsed = parse_sites(data)
    assert parsed.messages == [] and parsed.counts() == {"新增": 3, "更新": 0, "无变化": 0}
    assert services.site_list_import(actor=office_clerk, parsed=parsed, filename="点位.xlsx") == (3, 0)

    assert site_snapshot() == before
    assert Event.objects.get(verb="site.import").summary == "导入点位清单《点位.xlsx》：新增 3 个，更新 0 个，无变化 0 个"


def test_importing_again_updates_by_district_and_name(city, office_clerk):
    seed_sites(city)
    workbook = sites_workbook(Site.objects.all())
    ws = workbook.active
    names = {(ws.cell(r, 3).value, ws.cell(r, 1).value): r for r in range(3, ws.max_row + 1)}
    ws.cell(names[("东湖区", "湖滨农贸市场")], 5, "湖滨路 88 号")
    ws.append(["江滩公园", "公园", "江北区", "江北街道", "", 114.31, 30.61, "江北街道"])

    parsed = parse_sites(to_bytes(workbook))

    assert parsed.counts() == {"新增": 1, "更新": 1, "无变化": 2}
    changed = next(r for r in parsed.rows if r.status == "更新")
    assert changed.changed == ["地址"]
    services.site_list_import(actor=office_clerk, parsed=parsed, filename="点位.xlsx")
    assert Site.objects.get(name="湖滨农贸市场").address == "湖滨路 88 号"
    assert Site.objects.get(name="江滩公园").adopting_unit == city.unit_b
    assert Site.objects.count() == 4


def test_missing_optional_columns_leave_existing_values_alone(city, office_clerk):
    seed_sites(city)
    parsed = parse_sites(sheet([["人民广场", "公共广场", "东湖区"]], headers=["点位名称", "类型", "区"]))
    assert parsed.counts() == {"新增": 0, "更新": 0, "无变化": 1}
    services.site_list_import(actor=office_clerk, parsed=parsed, filename="点位.xlsx")
    square = Site.objects.get(name="人民广场", district=city.east)
    assert square.address == "东湖区人民路 1 号" and square.adopting_unit == city.bureau


def test_site_row_errors_are_precise_and_nothing_is_written(city, office_clerk):
    seed_sites(city)
    OrgUnitFactory(name="北港街道", kind=OrgUnit.Kind.STREET, parent=city.north)
    before = site_snapshot()
    data = sheet([
        ["滨江公园", "公圆", "东湖区", "湖滨街道", "", "", "", "市城管局"],
        ["新华书店", "公共文化设施", "东湖新区", "", "", "", "", ""],
        ["北港码头", "景区", "东湖区", "北港街道", "", "", "", ""],
        ["江心岛", "景区", "江北区", "", "", "abc", "30.5", ""],
        ["观江台", "景区", "江北区", "", "", "30.5", "114.3", ""],
        ["望江楼", "景区", "江北区", "", "", "214.3", "30.5", ""],
        ["沙湖公园", "公园", "江北区", "", "", "114.3", "", ""],
        ["东湖公园", "公园", "东湖区", "", "", "", "", "市城官局"],
        ["东湖公园", "公园", "东湖区", "", "", "", "", ""],
        ["", "公园", "东湖区", "", "", "", "", ""],
    ])

    parsed = parse_sites(data)

    assert parsed.messages == [
        "第2行 类型“公圆”不存在，是否为“公园”？",
        "第3行 区“东湖新区”不存在，是否为“东湖区”？",
        "第4行 街道“北港街道”属于“江北区”，不在“东湖区”。",
        "第5行 经度“abc”不是数字，请填写十进制度数（如 114.305215）。",
        "第6行 经度“30.5”和纬度“114.3”可能填反了（经度在前，约 73～136；纬度约 3～54）。",
        "第7行 经度“214.3”超出中国境内范围（经度 73～136，纬度 3～54）。",
        "第8行 经度和纬度要同时填写（或同时留空）。",
        "第9行 包保单位“市城官局”不存在，是否为“市城管局”？",
        "第10行 点位“东湖公园”与第9行重复：同一区内点位名称不能相同。",
        "第11行 缺少点位名称。",
    ]
    with pytest.raises(Exception, match="文件中还有错误"):
        services.site_list_import(actor=office_clerk, parsed=parsed, filename="点位.xlsx")
    assert site_snapshot() == before and not Event.objects.filter(verb="site.import").exists()
