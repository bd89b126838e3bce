"""Workbooks shaped the way offices really fill in the cells of a 目标任务分解表 (generated with
openpyxl, nothing stored): group names, leaders with titles, free-text time limits, Chinese
ordinals, absent codes, three- and four-level trees, old names and mixed separators. One header
row each: the layouts around the header are the reader's corpus; these are about the cells.

``units_and_leaders(city)`` adds the units and leaders the sheets name to the reference city."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

import openpyxl

from campaign.models import Membership, OrgUnit, UnitAlias

from ..factories import OrgUnitFactory, person

HEADER = ["测评类别", "测评项目", "测评内容", "标准编号", "测评标准", "测评方法", "牵头单位", "责任单位", "配合单位",
          "分管领导", "完成时限"]


def units_and_leaders(city):
    """市文旅局 (once 市文化广电新闻出版局), 市交通局, 市委宣传部 (市文明办); 王建国 the only 副市长,
    张伟 市委常委、宣传部部长."""
    made = {
        "文旅": OrgUnitFactory(name="市文化和旅游局", short_name="市文旅局", kind=OrgUnit.Kind.DEPARTMENT, parent=city.root),
        "交通": OrgUnitFactory(name="市交通运输局", short_name="市交通局", kind=OrgUnit.Kind.DEPARTMENT, parent=city.root),
        "宣传": OrgUnitFactory(name="市委宣传部", short_name="市文明办", kind=OrgUnit.Kind.DEPARTMENT, parent=city.root),
    }
    UnitAlias.objects.create(name="市文化广电新闻出版局", unit=made["文旅"], note="2019年机构改革前的名称")
    made["王建国"] = person("wangjg", "leader", city.root, "王建国")
    Membership.objects.filter(user=made["王建国"]).update(title="副市长")
    made["张伟"] = person("zhangw", "leader", city.root, "张伟")
    Membership.objects.filter(user=made["张伟"]).update(title="市委常委、宣传部部长")
    return made


def workbook(rows, header=HEADER, title="目标任务分解表") -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def group_names() -> bytes:
    """Responsibility written as groups: 各区人民政府, 各成员单位, 各街道（镇）, X区人民政府, 市直各部门."""
    return workbook([
        ["1 公共秩序", "1.1 交通秩序", "1.1.1 道路通行", "1.1.1.1", "主次干道无乱停乱放。", "实地考察", "市交通局",
         "各区人民政府", "各成员单位", "王建国", "3个工作日"],
        [None, None, None, "1.1.1.2", "背街小巷停车有序。", "实地考察", "东湖区人民政府", "各街道（镇）", "",
         "王建国", "5个工作日"],
        [None, None, "1.1.2 窗口服务", "1.1.2.1", "窗口单位公示服务承诺。", "材料审核", "市城管局", "市直各部门",
         "各区（县、市）", "张伟", "立即"],
    ])


def leaders_with_titles() -> bytes:
    """Leaders as offices write them: with a title in brackets (the 、 inside is not a separator),
    by title alone, with a full-width bracket and stray blanks."""
    return workbook([
        ["1 思想道德", "1.1 理想信念", "1.1.1 理论武装", "1.1.1.1", "理论学习制度健全。", "材料审核", "市文明办",
         "", "", "张伟（市委常委、宣传部部长）", "13个工作日"],
        [None, None, None, "1.1.1.2", "基层宣讲常态开展。", "材料审核", "市文明办", "", "", "王建国(副市长)",
         "13个工作日"],
        [None, None, None, "1.1.1.3", "网络宣传专栏。", "网络调查", "市文明办", "", "", "分管副市长", "5个工作日"],
        [None, None, None, "1.1.1.4", "公益广告刊播。", "实地考察", "市文明办", "", "", " 宣传部部长 ", "5个工作日"],
        [None, None, None, "1.1.1.5", "志愿服务记录。", "材料审核", "市文明办", "", "", "李晓明（市长助理）",
         "5个工作日"],
    ])


def free_text_time_limits() -> bytes:
    """完成时限 as typed over the years, an Excel date cell among them, and one nobody can read."""
    texts = ["长期坚持", "常态化", "立即整改", "3个工作日", "7个工作日", "15日内", "1个月", "2026年6月底前", "6月底前",
             "2026年第三季度", "2026年9月30日", "9.30", "年底前", datetime(2026, 10, 15), "视情况而定"]
    rows = []
    for number, text in enumerate(texts, start=1):
        first = number == 1
        rows.append(["1 市容环境" if first else None, "1.1 环境卫生" if first else None,
                     "1.1.1 街巷整洁" if first else None, f"1.1.1.{number}", f"第{number}条标准内容。", "实地考察",
                     "市城管局", "东湖区", "", "", text])
    return workbook(rows)


def chinese_ordinals() -> bytes:
    """Codes written as ordinals in the cells (一、（一）1.①), numbered within each parent, a
    four-level tree, the code column left empty."""
    return workbook([
        ["一、思想道德建设", "（一）理想信念教育", "1.理论武装", None, "①党委理论学习中心组制定年度学习计划。", "材料审核",
         "市文明办", "", "", "", ""],
        [None, None, None, None, "②组建基层理论宣讲队伍。", "材料审核", "市文明办", "", "", "", ""],
        [None, None, "2.公益广告", None, "①公益广告设置规范、数量充足。", "实地考察", "市城管局", "", "", "", ""],
        [None, "（二）未成年人思想道德建设", "1.学校德育", None, "①中小学开齐道德与法治课程。", "材料审核",
         "市文明办", "", "", "", ""],
        ["二、市容环境", "（一）环境卫生", "1.背街小巷", None, "①路面无积存垃圾。", "实地考察", "市城管局", "东湖区",
         "", "", ""],
        [None, None, None, None, "②垃圾分类设施完好。", "实地考察", "市城管局", "江北区", "", "", ""],
    ])


def absent_codes_three_levels() -> bytes:
    """A three-level sheet (类别/项目/标准, no 测评内容, no codes at all): the portal numbers it."""
    return workbook([
        ["公共秩序", "交通秩序", "机动车各行其道。", "市交通局", "5个工作日"],
        ["公共秩序", "交通秩序", "行人遵守交通信号。", "市交通局", "5个工作日"],
        ["公共秩序", "窗口服务", "窗口单位公示服务承诺。", "市城管局", "立即"],
        ["市容环境", "环境卫生", "路面无积存垃圾。", "市城管局", "3个工作日"],
    ], header=["测评类别", "测评项目", "测评标准", "牵头单位", "完成时限"])


def old_names_and_aliases() -> bytes:
    """Units written by a former name, with and without the city's prefix, by a name the portal
    does not know (answered in the preview: an alias of 市文旅局; a new unit 市数据局)."""
    return workbook([
        ["1 文化服务", "1.1 公共文化", "1.1.1 场馆开放", "1.1.1.1", "公共文化场馆免费开放。", "实地考察",
         "市文化广电新闻出版局", "城管局", "江城市交通运输局", "", "5个工作日"],
        [None, None, None, "1.1.1.2", "图书馆服务规范。", "网上申报、入户调查", "市文化广电旅游局", "东湖", "", "",
         "5个工作日"],
        [None, None, None, "1.1.1.3", "数据开放平台运行。", "网络调查", "市数据局", "市文化广电旅游局", "", "",
         "5个工作日"],
    ])


def mixed_separators() -> bytes:
    """Several units in one cell split by 、，；/ blanks and line breaks, full-width letters and
    stray blanks inside names, codes written "一-1-1"."""
    return workbook([
        ["一、公共秩序", "（一）交通秩序", "1.道路通行", "一-1-1-1", "机动车各行其道。", "实地考察", " 市 城管局 ",
         "东湖区、江北区；市城管局\n市交通局 / 市文旅局", "市交通局，市文明办", "", "3个工作日"],
        [None, None, None, "一-1-1-2", "行人遵守交通信号。", "实地考察", "市交通局",
         "东湖区 江北区", "市城管局;市文明办", "", "３个工作日"],
    ])


CORPUS = {
    "group_names": group_names,
    "leaders_with_titles": leaders_with_titles,
    "free_text_time_limits": free_text_time_limits,
    "chinese_ordinals": chinese_ordinals,
    "absent_codes_three_levels": absent_codes_three_levels,
    "old_names_and_aliases": old_names_and_aliases,
    "mixed_separators": mixed_separators,
}
