"""The pieces that read a cell: 完成时限 text, several names in one cell, titles, codes, and unit
and leader names against the reference data."""

from datetime import date, datetime

import pytest

from campaign.models import Membership, UnitAlias
from campaign.services.spreadsheets.deadlines import read_time
from campaign.services.spreadsheets.lookups import LeaderDirectory, NotFound, TimeLimitDirectory, UnitDirectory, Unknown
from campaign.services.spreadsheets.text import normalize_code, split_code, split_multi, split_title

from ..factories import person


@pytest.mark.parametrize(("text", "kind", "amount", "day"), [
    ("长期坚持", "standing", 0, None),
    ("常态化", "standing", 0, None),
    ("常态长效", "standing", 0, None),
    ("立即整改", "immediate", 0, None),
    ("立行立改", "immediate", 0, None),
    ("3个工作日", "workdays", 3, None),
    ("三个工作日内", "workdays", 3, None),
    ("７个工作日", "workdays", 7, None),
    ("24小时内", "hours", 24, None),
    ("15日内", "days", 15, None),
    ("10天", "days", 10, None),
    ("两周", "days", 14, None),
    ("1个月", "days", 30, None),
    ("2026年6月底前", "date", 0, date(2026, 6, 30)),
    ("6月底前", "date", 0, date(2027, 6, 30)),
    ("2月底", "date", 0, date(2027, 2, 28)),
    ("6月中旬", "date", 0, date(2027, 6, 20)),
    ("2026年第三季度", "date", 0, date(2026, 9, 30)),
    ("第四季度末", "date", 0, date(2027, 12, 31)),
    ("上半年", "date", 0, date(2027, 6, 30)),
    ("2026年9月30日", "date", 0, date(2026, 9, 30)),
    ("2026-09-30", "date", 0, date(2026, 9, 30)),
    ("2026.9.30", "date", 0, date(2026, 9, 30)),
    ("9.30", "date", 0, date(2027, 9, 30)),
    ("9月30日前", "date", 0, date(2027, 9, 30)),
    ("年底前", "date", 0, date(2027, 12, 31)),
    ("2026年底前", "date", 0, date(2026, 12, 31)),
    ("年内", "date", 0, date(2027, 12, 31)),
])
def test_time_limits_as_offices_write_them(text, kind, amount, day):
    meaning = read_time(None, text, 2027)
    assert (meaning.kind, meaning.amount, meaning.day) == (kind, amount, day)


@pytest.mark.parametrize("text", ["视情况而定", "尽快", "0个工作日", "13.45", "2026年2月30日", ""])
def test_time_text_that_means_nothing_known_is_not_guessed(text):
    assert read_time(None, text, 2026) is None


def test_an_excel_date_cell_is_its_date():
    assert read_time(datetime(2026, 10, 15, 0, 0), "2026-10-15", 2020).day == date(2026, 10, 15)


def test_names_split_by_every_separator_but_not_inside_brackets():
    cell = "张伟（市委常委、宣传部部长）、王建国(副市长)\n市城管局；市交通局，市文明办;东湖区,江北区"
    assert split_multi(cell) == ["张伟（市委常委、宣传部部长）", "王建国(副市长)", "市城管局", "市交通局", "市文明办",
                                 "东湖区", "江北区"]
    assert split_multi("市城管局 / 市交通局  东湖区", spaces=True, slashes=True) == ["市城管局", "市交通局", "东湖区"]
    assert split_multi("湖滨街道/和平社区") == ["湖滨街道/和平社区"]  # "上级/单位" names one unit
    assert split_multi("各区（县、市）、市城管局") == ["各区（县、市）", "市城管局"]


def test_titles_and_codes():
    assert split_title("张伟（市委常委、宣传部部长）") == ("张伟", "市委常委、宣传部部长")
    assert split_title("王建国(副市长) ") == ("王建国", "副市长")
    assert split_title("分管副市长") == ("分管副市长", "")
    assert [split_code(t) for t in ["一、公共秩序", "（二）市容环境", "③ 文明交通", "1.1 交通秩序", "1.交通秩序"]] == [
        (None, 1, "公共秩序"), (None, 2, "市容环境"), (None, 3, "文明交通"), ("1.1", None, "交通秩序"),
        ("1", None, "交通秩序"),
    ]
    assert [normalize_code(t) for t in ["一-1-1", "二.3.1", "２．３．１.", "（四）", "1—2—3"]] == [
        "1.1.1", "2.3.1", "2.3.1", "4", "1.2.3",
    ]


@pytest.fixture
def named(city, leader):
    UnitAlias.objects.create(name="市城市管理行政执法局", unit=city.bureau)
    return city


def test_unit_names_with_and_without_prefixes_governments_groups_and_aliases(named, settings):
    city = named
    units = UnitDirectory()
    assert units.resolve_many("城管局", "牵头单位") == [city.bureau]
    assert units.resolve_many("江城市城管局", "牵头单位") == [city.bureau]
    assert units.resolve_many("江城市城市管理局", "牵头单位") == [city.bureau]
    assert units.resolve_many("市城市管理行政执法局", "牵头单位") == [city.bureau]
    assert units.resolve_many("东湖区人民政府", "牵头单位") == [city.east]
    assert units.resolve_many("江北区政府", "牵头单位") == [city.north]
    assert units.resolve_many("东湖", "牵头单位") == [city.east]
    assert units.resolve_many("市 城 管 局", "牵头单位") == [city.bureau]
    assert units.resolve_many("各区人民政府", "责任单位") == [city.east, city.north]
    assert units.resolve_many("各街道（镇）", "责任单位") == [city.unit_a, city.unit_b]
    with pytest.raises(NotFound, match="代表 2 个单位"):
        units.resolve("各区", "牵头单位")
    with pytest.raises(Unknown) as asked:
        units.resolve_many("市城管理局局", "牵头单位")
    assert asked.value.suggestion == city.bureau and asked.value.kind == "unit"


def test_leaders_by_name_with_title_or_by_a_title_only_one_holds(named):
    city = named
    wang = person("wangjg", "leader", city.root, "王建国")
    Membership.objects.filter(user=wang).update(title="副市长")
    zhang = person("zhangw", "leader", city.root, "张伟")
    Membership.objects.filter(user=zhang).update(title="市委常委、宣传部部长")
    leaders = LeaderDirectory()
    assert leaders.resolve("王建国（副市长）") == wang
    assert leaders.resolve("张伟（市委常委、宣传部部长）") == zhang
    assert leaders.resolve("分管副市长") == wang and leaders.resolve("宣传部部长") == zhang

    li = person("lisi", "leader", city.root, "李四")
    Membership.objects.filter(user=li).update(title="副市长")
    with pytest.raises(Unknown) as asked:
        LeaderDirectory().resolve("分管副市长")
    assert sorted(u.full_name for u in asked.value.candidates) == ["李四", "王建国"]


def test_time_limit_profiles_are_found_by_meaning_or_made_once(db):
    limits = TimeLimitDirectory(2026)
    assert limits.resolve(None, "三个工作日")[0].name == "3个工作日"
    seven, _ = limits.resolve(None, "7个工作日")
    assert seven.pk is None and limits.resolve(None, "7 个工作日")[0] is seven
    profile, day = limits.resolve(None, "6月底前")
    assert (profile.name, day) == ("指定日期", date(2026, 6, 30))
    standing, _ = limits.resolve(None, "常态化")
    assert (standing.kind, standing.amount, standing.pk) == ("standing", 5, None)
    with pytest.raises(NotFound, match="不是有效的日期"):
        limits.resolve(None, "2026-02-30")
    with pytest.raises(Unknown):
        limits.resolve(None, "视情况而定")


def test_every_problem_of_a_row_is_reported_not_only_the_first(city, leader):
    from campaign.services.spreadsheets import parse_framework

    from .corpus_names import workbook

    data = workbook([
        [None, "1.1 交通秩序", "1.1.1 道路通行", "1.1.1.1", "机动车各行其道。", "现场看", "市城管局、东湖区", "",
         "", "", "2026-02-30"],
    ])
    parsed = parse_framework(data)
    assert parsed.messages == [
        "第2行 缺少测评类别。",
        "第2行 测评方法“现场看”无法识别，可填：实地考察、材料审核、问卷调查、网络调查、网上申报、入户调查。",
        "第2行 牵头单位只能填一个（本行填了 2 个：市城管局、东湖区）。",
        "第2行 完成时限“2026-02-30”不是有效的日期。",
    ]


def test_rows_without_codes_are_numbered_around_the_codes_the_office_wrote(city, leader):
    from campaign.services.spreadsheets import parse_framework

    from .corpus_names import workbook

    parsed = parse_framework(workbook([
        ["1 市容环境", "1.1 环境卫生", "1.1.1 街巷整洁", "", "没有编号的一条。", "实地考察", "", "", "", "", ""],
        [None, None, None, "1.1.1.1", "办公室编了号的一条。", "实地考察", "", "", "", "", ""],
    ]))
    assert [(n.code, n.text) for n in parsed.nodes.values() if n.level == 4] == [
        ("1.1.1.2", "没有编号的一条。"), ("1.1.1.1", "办公室编了号的一条。"),
    ]
    assert [(r.office, r.portal) for r in parsed.renumbered] == [("（无编号）", "1.1.1.2")]


@pytest.mark.parametrize(("typed", "method"), [
    ("实地考察", "实地考察"), ("实地考查", "实地考察"), ("材料审核", "材料审核"), ("问卷调查", "问卷调查"),
    ("网络调查", "网络调查"), ("网上申报", "网上申报"), ("入户调查", "入户调查"), ("入户问卷", "入户调查"),
])
def test_every_method_offices_write_is_understood(typed, method):
    from campaign.services.spreadsheets.lookups import resolve_method

    assert resolve_method(typed) == method
