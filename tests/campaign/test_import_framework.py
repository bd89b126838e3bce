"""目标任务分解表: export a seeded tree + matrix with merged category cells, import it into an empty
database and get exactly the same; planted errors give precise row messages and change nothing."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from openpyxl.styles import Font

from campaign import services
from campaign.models import (
    Event,
    Framework,
    Indicator,
    OrgUnit,
    Responsibility,
    Site,
    SiteType,
    TimeLimit,
)
from campaign.services.spreadsheets import framework_workbook, parse_framework, to_bytes

from ..factories import OrgUnitFactory, person

pytestmark = pytest.mark.django_db

# (code, name) per level; standards get (code, text); lists say what hangs below.
TREE = [
    ("1", "公共秩序", [
        ("1.1", "交通秩序", [
            ("1.1.1", "道路通行秩序良好", [
                ("1.1.1.1", "机动车、非机动车各行其道，主次干道无乱停乱放。"),
                ("1.1.1.2", "主要交通路口设置文明交通劝导岗；行人遵守交通信号。"),
            ]),
            ("1.1.2", "公共交通文明有序", [("1.1.2.1", "公交站点候车秩序良好，乘客排队上车。")]),
        ]),
        ("1.2", "窗口服务", [
            ("1.2.1", "窗口单位服务规范", [
                ("1.2.1.1", "政务大厅、医院、银行网点等窗口单位公示服务承诺。"),
                ("1.2.1.2", "窗口工作人员文明用语，无推诿刁难。"),
            ]),
        ]),
    ]),
    ("2", "市容环境", [
        ("2.1", "环境卫生", [
            ("2.1.1", "背街小巷整洁", [
                ("2.1.1.1", "背街小巷路面无积存垃圾、无乱堆乱放。"),
                ("2.1.1.10", "垃圾分类投放设施完好，分类标识清晰。"),
            ]),
            ("2.1.2", "公厕管理", []),
        ]),
    ]),
    ("3", "负面清单", []),
]


def build_units(city):
    units = {
        "交警": OrgUnitFactory(name="市公安局交通警察支队", short_name="市交警支队", parent=city.root),
        "交通": OrgUnitFactory(name="市交通运输局", short_name="市交通局", parent=city.root),
        "文明办": OrgUnitFactory(name="市委宣传部（市文明办）", short_name="市文明办", parent=city.root),
        "政务": OrgUnitFactory(name="市政务服务和数据管理局", short_name="市政务服务局", parent=city.root),
        # A namesake of 湖滨街道/和平社区: the export must tell them apart ("江北街道/和平社区").
        "和平B": OrgUnitFactory(name="和平社区", kind=OrgUnit.Kind.COMMUNITY, parent=city.unit_b),
    }
    units.update(bureau=city.bureau, east=city.east, north=city.north, a=city.unit_a, community_a=city.community_a)
    return units


def build_tree(city, leader):
    """A small but real edition: 3 areas, 3 items, 5 contents, 7 standards, with every kind of
    responsibility row (standard, content level, site type, single site, dates, namesakes)."""
    units = build_units(city)
    second = person("leader2", "leader", city.root, "李卫东")
    # Two leaders with the same name: the export falls back to the user name.
    twin_a, twin_b = person("wangfang1", "leader", city.east, "王芳"), person("wangfang2", "leader", city.north, "王芳")
    framework = Framework.objects.create(name="2026年版测评体系", year=2026, is_active=True)
    park = SiteType.objects.get(name="公园")
    square = Site.objects.create(name="人民广场", site_type=SiteType.objects.get(name="公共广场"), district=city.east)
    nodes = {}

    def add(code, name, level, parent, text="", **extra):
        node = Indicator(framework=framework, parent=parent, level=level, code=code, name=name, text=text,
                         sort_order=len(nodes) + 1, **extra)
        node.save()
        nodes[code] = node
        return node

    for area_code, area_name, items in TREE:
        area = add(area_code, area_name, 1, None, evidence_categories=[])
        for item_code, item_name, contents in items:
            item = add(item_code, item_name, 2, area, evidence_categories=[])
            for content_code, content_name, standards in contents:
                content = add(content_code, content_name, 3, item, evidence_categories=[])
                for std_code, std_text in standards:
                    add(std_code, std_text.split("，")[0].split("、")[0], 4, content, text=std_text,
                        methods=["实地考察"])
    nodes["1.1.1.2"].methods = ["实地考察", "问卷调查"]
    nodes["1.1.1.2"].points = Decimal("2.50")
    nodes["1.1.1.2"].save()
    nodes["1.2.1.1"].methods, nodes["1.2.1.1"].evidence_categories = ["材料审核"], ["计划", "活动"]
    nodes["1.2.1.1"].save()
    nodes["2.1.1.10"].is_negative = True
    nodes["2.1.1.10"].save()
    nodes["1.1.1.1"].site_types.set(SiteType.objects.filter(name__in=["主次干道", "主要交通路口"]))
    nodes["2.1.1.1"].site_types.set([SiteType.objects.get(name="背街小巷")])
    limits = {t.name: t for t in TimeLimit.objects.all()}

    def duty(code, lead, responsible=(), assisting=(), who=None, limit=None, **extra):
        row = Responsibility.objects.create(indicator=nodes[code], lead_unit=lead, leader=who,
                                            time_limit=limits.get(limit), **extra)
        row.responsible_units.set(responsible)
        row.assisting_units.set(assisting)
        return row

    duty("1.1.1.1", units["交警"], [units["east"], units["north"]], [units["bureau"], units["交通"]], leader, "3个工作日")
    duty("1.1.1.1", units["bureau"], [units["a"]], [], leader, "24小时", site_type=park)
    duty("1.1.1.1", units["a"], [units["community_a"], units["和平B"]], [], twin_a, "立即", site=square)
    duty("1.1.1.2", units["交警"], [units["交通"]], [], leader, "5个工作日", note="节假日加密劝导岗")
    duty("1.1.2", units["交通"], [units["east"]], [], second, "13个工作日")
    duty("1.1.2.1", units["交通"], [], [units["交警"]], twin_b, "指定日期", deadline=date(2026, 6, 30))
    duty("1.2.1.1", units["政务"], [units["east"], units["north"]], [units["文明办"]], second, "指定日期")
    duty("1.2.1.2", units["政务"], [], [], None, None)
    duty("2.1.1.1", units["bureau"], [units["east"], units["north"], units["a"]], [], leader, "3个工作日")
    return framework


def snapshot(framework=None):
    """Everything the import must reproduce, independent of primary keys."""
    indicators = Indicator.objects.all() if framework is None else framework.indicators.all()
    tree = sorted(
        (i.code, i.level, i.name, i.text, i.parent.code if i.parent else None, list(i.methods), i.points,
         sorted(t.name for t in i.site_types.all()), list(i.evidence_categories), i.is_negative, i.path)
        for i in indicators.select_related("parent").prefetch_related("site_types")
    )
    rows = Responsibility.objects.filter(indicator__in=indicators).select_related(
        "indicator", "site_type", "site", "leader", "lead_unit", "time_limit")
    matrix = sorted(
        (r.indicator.code, r.site_type.name if r.site_type else "", r.site.name if r.site else "",
         r.leader.username if r.leader else "", r.lead_unit_id or 0,
         sorted(r.responsible_units.values_list("pk", flat=True)),
         sorted(r.assisting_units.values_list("pk", flat=True)),
         r.time_limit.name if r.time_limit else "", r.deadline or date.min, r.note)
        for r in rows
    )
    return tree, matrix


def empty_database(framework):
    Responsibility.objects.all().delete()
    Indicator.objects.filter(framework=framework).delete()
    framework.delete()


def exported(framework) -> bytes:
    return to_bytes(framework_workbook(framework))


@pytest.fixture
def seeded(city, leader):
    return build_tree(city, leader)


def test_export_merges_category_cells_like_offices_do(seeded):
    ws = openpyxl.load_workbook(BytesIO(exported(seeded)))["目标任务分解表"]
    assert [ws.cell(2, c).value for c in range(1, 12)] == [
        "测评类别", "测评项目", "测评内容", "标准编号", "测评标准", "测评方法", "牵头单位", "责任单位", "配合单位",
        "分管领导", "完成时限"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # 公共秩序 covers the rows of 1.1.1.1 (3 rows: base, park, square), 1.1.1.2, 1.1.2 (2), 1.2.1.1, 1.2.1.2.
    assert "A3:A10" in merged and ws["A3"].value == "1 公共秩序"
    assert "C3:C6" in merged and ws["C3"].value == "1.1.1 道路通行秩序良好"
    assert ws["G3"].value == "市交警支队" and ws["H3"].value == "东湖区、江北区"
    assert ws["I3"].value == "市城管局、市交通局" and ws["K3"].value == "3个工作日"
    assert "和平社区" in ws["H5"].value and "江北街道/和平社区" in ws["H5"].value
    assert "填写说明" in ws.parent.sheetnames


def test_export_imports_into_an_empty_database_as_the_same_tree_and_matrix(seeded, office_clerk):
    data, before = exported(seeded), snapshot(seeded)
    empty_database(seeded)
    assert not Indicator.objects.exists() and not Responsibility.objects.exists()

    parsed = parse_framework(data)
    assert parsed.messages == []
    framework = services.framework_import(actor=office_clerk, parsed=parsed, filename="分解表.xlsx",
                                          name="2026年版测评体系", year=2026, activate=True)

    assert snapshot(framework) == before
    assert framework.is_active and Framework.objects.count() == 1
    event = Event.objects.get(verb="framework.import")
    assert "测评标准 7" in event.summary and "责任分工 9 条" in event.summary and event.actor == office_clerk


def test_the_same_file_with_five_planted_changes_asks_renumbers_and_changes_nothing(seeded, office_clerk):
    data = exported(seeded)
    empty_database(seeded)
    workbook = openpyxl.load_workbook(BytesIO(data))
    ws = workbook["目标任务分解表"]
    rows = {ws.cell(r, 4).value: r for r in range(3, ws.max_row + 1) if ws.cell(r, 4).value}
    ws.cell(rows["1.1.1.2"], 7, "市城官局")           # unknown unit, close to 市城管局
    ws.cell(rows["1.2.1.2"], 4, "1.2.1.1")            # duplicate standard code
    ws.cell(rows["2.1.1.1"], 4).value = None          # missing code
    ws.cell(rows["1.1.2.1"], 11, "7个工作日")          # no such time limit yet
    ws.cell(rows["2.1.1.10"], 10, "陈建化")            # unknown leader, close to 陈建华
    ws.cell(rows["2.1.1.10"], 11, "3个工作日")
    buffer = BytesIO()
    workbook.save(buffer)

    parsed = parse_framework(buffer.getvalue())

    assert parsed.messages == []
    assert [(q.kind, q.text, q.message) for q in parsed.questions] == [
        ("unit", "市城官局", "牵头单位“市城官局”不存在，是否为“市城管局”？"),
        ("leader", "陈建化", "分管领导“陈建化”不存在，是否为“陈建华”？"),
    ]
    assert [(r.row, r.office, r.portal) for r in parsed.renumbered] == [
        (rows["1.2.1.2"], "1.2.1.1", "1.2.1.2"), (rows["2.1.1.1"], "（无编号）", "2.1.1.1"),
    ]
    assert [t.name for t in parsed.new_time_limits] == ["7个工作日"]
    with pytest.raises(Exception, match="文件中还有错误"):
        services.framework_import(actor=office_clerk, parsed=parsed, filename="x.xlsx", name="x", year=2026)
    assert not Framework.objects.exists() and not Indicator.objects.exists() and not Responsibility.objects.exists()
    assert not Event.objects.filter(verb="framework.import").exists()
    assert not TimeLimit.objects.filter(name="7个工作日").exists()


def office_sheet(rows, header_row=3):
    """A workbook the way an office writes it: a title, header on row 3, merged categories."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "分解表"
    ws["A1"] = "江城市2026年创建全国文明城市目标任务分解表"
    ws.merge_cells("A1:J1")
    ws["A2"] = "（按“谁分管、谁负责”原则分解）"
    headers = ["版  块", "测评项目", "测评内容", "测评标准", "考评方式", "牵头部门", "责任单位（部门）", "配合单位",
               "分管市领导", "完 成 时 限"]
    for col, text in enumerate(headers, start=1):
        ws.cell(header_row, col, text).font = Font(bold=True)
    for offset, values in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(offset, col, value)
    return workbook


def test_office_layout_with_synonyms_merged_and_blank_cells_and_mixed_separators(city, leader):
    build_units(city)
    workbook = office_sheet([
        ["一、公共秩序", "交通秩序", "道路通行秩序良好", "1.1.1.1 机动车各行其道。", "实地", "市交警支队",
         "东湖区，江北区", "市城管局;市交通局", "陈建华", "三个工作日"],
        [None, None, None, "1.1.1.2 行人遵守交通信号。", "实地考察、问卷", "市交警支队", "东湖区\n江北区",
         "", "陈建华", "3 个工作日"],
        [None, None, "公共交通文明有序", "1.1.2.1 公交站点候车有序。", "实地考察", "市交通局", "", "",
         "陈建华", date(2026, 6, 30)],
        ["二、市容环境", "环境卫生", "背街小巷整洁", "2.1.1.1 路面无积存垃圾。", "实地考察", "市城管局",
         "东湖区、 江北区", "", "陈建华", "立即"],
    ])
    workbook.active.merge_cells("A4:A6")
    workbook.active.merge_cells("B4:B6")
    buffer = BytesIO()
    workbook.save(buffer)

    parsed = parse_framework(buffer.getvalue())

    assert parsed.messages == []
    assert parsed.table.header_row == 3
    assert [(n.code, n.level, n.name, n.parent) for n in parsed.nodes.values()] == [
        ("1", 1, "公共秩序", None), ("1.1", 2, "交通秩序", "1"), ("1.1.1", 3, "道路通行秩序良好", "1.1"),
        ("1.1.1.1", 4, "机动车各行其道", "1.1.1"), ("1.1.1.2", 4, "行人遵守交通信号", "1.1.1"),
        ("1.1.2", 3, "公共交通文明有序", "1.1"), ("1.1.2.1", 4, "公交站点候车有序", "1.1.2"),
        ("2", 1, "市容环境", None), ("2.1", 2, "环境卫生", "2"), ("2.1.1", 3, "背街小巷整洁", "2.1"),
        ("2.1.1.1", 4, "路面无积存垃圾", "2.1.1"),
    ]
    first, second, third, fourth = parsed.duties
    assert [u.name for u in first.responsible] == ["东湖区", "江北区"]
    assert [u.short_name for u in first.assisting] == ["市城管局", "市交通局"]
    assert first.time_limit.name == second.time_limit.name == "3个工作日"
    assert parsed.nodes["1.1.1.2"].methods == ["实地考察", "问卷调查"]
    assert (third.time_limit.name, third.deadline) == ("指定日期", date(2026, 6, 30))
    assert fourth.time_limit.name == "立即" and fourth.leader == leader


def test_two_row_header_with_code_and_text_under_one_merged_title(city, leader):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    for col, text in enumerate(["测评类别", "测评项目", "测评内容", "测评标准", None, "牵头单位"], start=1):
        ws.cell(1, col, text)
    ws.merge_cells("D1:E1")
    ws.cell(2, 4, "编号")
    ws.cell(2, 5, "内容")
    ws.append(["1 公共秩序", "1.1 交通秩序", "1.1.1 道路通行", "1.1.1.1", "机动车各行其道。", "市城管局"])
    buffer = BytesIO()
    workbook.save(buffer)

    parsed = parse_framework(buffer.getvalue())

    assert parsed.messages == []
    assert parsed.nodes["1.1.1.1"].text == "机动车各行其道。"
    assert parsed.duties[0].lead_unit == city.bureau


def test_row_problems_are_reported_in_chinese_with_suggestions(city, leader):
    OrgUnitFactory(name="和平社区", kind=OrgUnit.Kind.COMMUNITY, parent=city.unit_b)
    person("wangfang1", "leader", city.east, "王芳")
    person("wangfang2", "leader", city.north, "王芳")
    workbook = office_sheet([
        ["1 公共秩序", "1.1 交通秩序", "1.1.1 道路通行", "1.1.1.1 机动车各行其道。", "现场看", "市城管局、和平社区",
         "", "", "王芳", "长期坚持"],
        [None, None, None, "1.1.1.2 行人遵守交通信号。", "实地考察", "城管局", "湖滨街道/和平社区", "",
         "wangfang1", "2026-02-30"],
        ["2 市容环境", None, None, "2.1.1.1 路面无积存垃圾。", "", "", "", "", "", ""],
    ])
    buffer = BytesIO()
    workbook.save(buffer)

    messages = parse_framework(buffer.getvalue()).messages

    # 长期坚持 is a standing duty and 城管局 is 市城管局: neither is a problem any more.
    assert messages == [
        "第4行 测评方法“现场看”无法识别，可填：实地考察、材料审核、问卷调查、网络调查、网上申报、入户调查。",
        "第4行 牵头单位只能填一个（本行填了 2 个：市城管局、和平社区）。",
        "第4行 分管领导“王芳”有 2 位同名领导，请改填用户名（wangfang1、wangfang2）。",
        "第5行 完成时限“2026-02-30”不是有效的日期。",
        "第6行 缺少测评项目。",
    ]


def test_the_demo_city_tree_matrix_and_sites_round_trip_through_excel():
    """The full demo data (≈160 standards, ≈600 sites, the whole matrix) survives export → empty
    database → import unchanged."""
    import io
    from types import SimpleNamespace

    from campaign.models import User
    from campaign.services.spreadsheets import parse_sites, sites_workbook
    from demo import campaign as demo
    from demo.campaign import reference as demo_reference

    demo.seed_org(scale=1)
    demo_reference.seed(SimpleNamespace(scale=1, stdout=io.StringIO()))
    office = User.objects.get(username="office")
    active = Framework.active()
    tree_file, sites_file = exported(active), to_bytes(sites_workbook(Site.objects.all()))
    before, sites_before = snapshot(active), sorted(Site.objects.values_list(
        "name", "site_type", "district", "street", "address", "longitude", "latitude", "adopting_unit",
        "is_chronic", "is_active"))
    assert sum(1 for row in before[0] if row[1] == 4) >= 150 and len(before[1]) >= 60
    assert any(row[1] for row in before[1]) and any(row[2] for row in before[1])  # site-type and site rows

    Responsibility.objects.all().delete()
    Indicator.objects.all().delete()
    Framework.objects.all().delete()
    assert_planted_errors_are_reported(tree_file)
    assert not Indicator.objects.exists() and not Responsibility.objects.exists()
    parsed = parse_framework(tree_file)
    assert parsed.messages == []
    framework = services.framework_import(actor=office, parsed=parsed, filename="demo.xlsx", name=active.name,
                                          year=active.year, activate=True)
    assert snapshot(framework) == before

    Site.objects.all().delete()
    sites = parse_sites(sites_file)
    assert sites.messages == [] and services.site_list_import(actor=office, parsed=sites, filename="s.xlsx")
    assert sorted(Site.objects.values_list(
        "name", "site_type", "district", "street", "address", "longitude", "latitude", "adopting_unit",
        "is_chronic", "is_active")) == sites_before


def assert_planted_errors_are_reported(data: bytes) -> None:
    workbook = openpyxl.load_workbook(BytesIO(data))
    ws = workbook["目标任务分解表"]
    rows = {}
    for r in range(3, ws.max_row + 1):
        rows.setdefault(ws.cell(r, 4).value, r)
    ws.cell(rows["1.1.1"], 7, "市文明力")
    ws.cell(rows["1.1.2"], 4, "1.1.1")
    ws.cell(rows["1.1.3"], 4).value = None
    ws.cell(rows["2.1.1"], 11, "两周")
    ws.cell(rows["5.1.3"], 10, "陈建化")
    buffer = BytesIO()
    workbook.save(buffer)
    parsed = parse_framework(buffer.getvalue())
    assert parsed.messages == []
    assert [q.message for q in parsed.questions] == [
        "牵头单位“市文明力”不存在，是否为“市文明办”？", "分管领导“陈建化”不存在，是否为“陈建华”？",
    ]
    assert [(r.row, r.office) for r in parsed.renumbered] == [(rows["1.1.2"], "1.1.1"), (rows["1.1.3"], "（无编号）")]
    assert [(t.name, t.kind, t.amount) for t in parsed.new_time_limits] == [("14日", "days", 14)]
