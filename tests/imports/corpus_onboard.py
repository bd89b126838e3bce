"""Onboarding sheets shaped the way a 创文办 really keeps them, generated with openpyxl (no binary
files in the repository): titles and notes above the header, a 序号 column, blank spacer
columns, group headings merged across the row, 上级单位 merged down over a district's streets,
phones typed five different ways, names with the post in brackets, coordinates in decimal, in
degrees-minutes-seconds and in one 经纬度 column, and notes and signatures under the table.

Every workbook builds on the reference city of tests/factories.py (江城市, 市创文办, 东湖区 → 湖滨街道
→ 和平社区, 江北区 → 江北街道, 市城市管理局/市城管局)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _title(ws, text: str, width: int, row: int = 1) -> None:
    ws.cell(row, 1, text).font = Font(bold=True, size=16)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.cell(row, 1).alignment = Alignment(horizontal="center")


def _heading(ws, row: int, text: str, width: int) -> None:
    """A group heading merged across the whole row (“一、市直部门”)."""
    ws.cell(row, 1, text).font = Font(bold=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


# --- 单位通讯录 ---------------------------------------------------------------------------------

UNITS_HEADER = ["序号", "单位名称", "简称", "上级单位", "单位类型", None, "办公电话", "办公地址", "联系人", "联系人手机"]
# (单位名称, 简称, 上级单位, 类型, 办公电话, 地址, 联系人, 联系人手机); None under 上级单位 = merged from above.
UNITS_DISTRICTS = [
    ("东湖区", None, "江城市", "区（县）", "0710-3221000", "东湖区政务中心2楼", "李明", "138 0013 8001"),
    ("湖滨街道", None, "东湖区", "街道", "(0710)3225100", "湖滨路18号", "王芳", "138-0013-8002"),
    ("滨江街道", None, None, "街道", "0710 3225200", "滨江大道9号", "陈静", "+86 13800138003"),
    ("东湖区文明办", None, None, None, "0710-3221010转8001", "东湖区政务中心3楼", "周洁", 13800138004),
    ("和平社区", None, "湖滨街道", "社区", "3225101", "和平路2号", "吴桐", "13800138005"),
    ("新华社区", None, "滨江街道", None, None, "新华路6号", "郑好", "１３８００１３８００６"),
    ("江北区", None, "江城市", "区", None, None, None, None),
]
UNITS_DEPARTMENTS = [
    ("市城市管理局", "市城管局", "江城市", "部门", "0710 3210000", "市政大道66号", "赵强", "138 0013 8007"),
    ("江城市文化广电和旅游局", "市文旅局", None, "市直部门", "0710-3210100", "文化路1号", "钱多", "13800138008"),
    ("市公安局交通警察支队", "市交警支队", None, "市直单位", "0710-3210200", "交通路3号", "孙立", "13800138009"),
    ("市政务服务中心", None, None, "窗口单位", "0710-3210300", "市民之家", "李响", "13800138010"),
]


def units_directory() -> bytes:
    """江城市创文成员单位通讯录: districts and streets, then the city departments, each group under
    a merged heading, 上级单位 merged down, a spacer column, a note and signatures below."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "通讯录"
    width = len(UNITS_HEADER)
    _title(ws, "江城市创建全国文明城市成员单位通讯录", width)
    ws.cell(2, 1, "填报单位：江城市创文办          更新时间：2026年3月")
    for col, label in enumerate(UNITS_HEADER, start=1):
        ws.cell(3, col, label)
    row = 4
    number = 1
    for heading, group in (("一、区县及街道社区", UNITS_DISTRICTS), ("二、市直部门", UNITS_DEPARTMENTS)):
        _heading(ws, row, heading, width)
        row += 1
        merge_from = None
        for values in group:
            ws.cell(row, 1, number)
            name, short, parent, kind, phone, address, contact, mobile = values
            for col, value in zip((2, 3, 4, 5, 7, 8, 9, 10), (name, short, parent, kind, phone, address, contact, mobile),
                                  strict=True):
                ws.cell(row, col, value)
            if parent is None and merge_from is None:
                merge_from = row - 1
            if parent is not None and merge_from is not None:
                ws.merge_cells(start_row=merge_from, start_column=4, end_row=row - 1, end_column=4)
                merge_from = None
            row += 1
            number += 1
        if merge_from is not None:
            ws.merge_cells(start_row=merge_from, start_column=4, end_row=row - 1, end_column=4)
    ws.cell(row + 1, 1, "注：上级单位为本表中单位的，可合并单元格填写。")
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=width)
    ws.cell(row + 2, 2, "填表人：张三")
    return _save(workbook)


UNITS_EXPECTED_NEW = {"滨江街道", "东湖区文明办", "新华社区", "江城市文化广电和旅游局", "市公安局交通警察支队", "市政务服务中心"}


# --- 人员名单 ---------------------------------------------------------------------------------

PEOPLE_HEADER = ["序号", "姓名", "所在单位", "职务", "系统角色", "手机号码", "备注"]
PEOPLE = [
    ("王建国（副市长）", "江城市", None, "分管领导", "138 0013 8101", None),
    ("张伟", "市创文办", "主任", "创文办工作人员", "+86 138-0013-8102", None),
    ("李娜", "湖滨街道", "党政办联络员", None, 13800138103, "角色按职务识别"),
    ("赵敏", "湖滨街道", "文明办干事", "联络员、资料员", "138-0013-8104", None),
    ("刘洋", "东湖区", "宣传部副部长", "单位负责人", 13800138105.0, None),
    ("刘洋", "江北区", "挂职副主任", "联络员", "13800138105", "同一人在两个单位任职"),
    ("孙强", "市城管局", "市容科科长", "联络员", "0086 13800138106", None),
    ("钱芳", "和平社区", "社区书记", "单位负责人", "１３８００１３８１０７", None),
]


def people_list() -> bytes:
    """人员名单 with a title, the header over 序号, posts in brackets after names, roles missing
    where the 职务 says it, one person on two rows, and phones typed every way offices type them."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "人员名单"
    _title(ws, "江城市创文工作人员名单", len(PEOPLE_HEADER))
    for col, label in enumerate(PEOPLE_HEADER, start=1):
        ws.cell(2, col, label)
    for offset, values in enumerate(PEOPLE):
        ws.cell(3 + offset, 1, offset + 1)
        for col, value in enumerate(values, start=2):
            ws.cell(3 + offset, col, value)
    ws.cell(4 + len(PEOPLE), 1, "说明：账号由系统生成，一次性密码由创文办当面交给本人。")
    ws.merge_cells(start_row=4 + len(PEOPLE), start_column=1, end_row=4 + len(PEOPLE), end_column=len(PEOPLE_HEADER))
    return _save(workbook)


# --- 点位清单 ---------------------------------------------------------------------------------

SITES_HEADER = ["序号", "点位名称", "点位类型", "所属区", "所属街道", "详细地址", "经纬度", "包保单位"]
SITES = [
    ("人民广场", "公共广场", "东湖区", "湖滨街道", "人民路1号", "114.305215,30.592781", "市城管局"),
    ("湖滨农贸市场", "集贸市场", "东湖区", "湖滨街道", "湖滨路88号", "30.601234, 114.312345", "湖滨街道"),
    ("江滩公园", "公园", "江北区", "江北街道", "沿江大道", "E114°18′18.8″ N30°35′34.0″", "江北街道"),
    ("滨江路口", "主要交通路口", "东湖区", None, "滨江大道与人民路交叉口", "东经114度19分1.2秒，北纬30度36分2.4秒", "市城管局"),
    ("火车站广场", "公共广场", "江北区", None, None, None, "市城管局"),
]


def sites_list() -> bytes:
    """点位清单 with coordinates in one 经纬度 column written four ways and a 包保单位 for each site."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "点位"
    _title(ws, "江城市创文实地考察点位清单", len(SITES_HEADER))
    ws.cell(2, 1, "（经纬度取自地图，包保单位为该点位的包保责任单位）")
    for col, label in enumerate(SITES_HEADER, start=1):
        ws.cell(3, col, label)
    for offset, values in enumerate(SITES):
        ws.cell(4 + offset, 1, offset + 1)
        for col, value in enumerate(values, start=2):
            ws.cell(4 + offset, col, value)
    return _save(workbook)


SITES_DMS_HEADER = ["点位名称", "类型", "区", "街道", "地址", "经度", "纬度", "包保责任单位"]
SITES_DMS = [
    ("东湖公交总站", "公交站点", "东湖区", "湖滨街道", "东湖路1号", "114°18'18.77\"E", "30°35'34.01\"N", "市城管局"),
    ("和平小区", "小区", "东湖区", "湖滨街道", "和平路5号", "114.3125E", "30.6012N", "和平社区"),
    ("江北公厕", "室外公厕", "江北区", "江北街道", "江北路2号", "114度17分", "30度37分", "江北街道"),
]


def sites_dms() -> bytes:
    """点位清单 with longitude and latitude in separate columns, in degrees-minutes-seconds."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "点位清单"
    ws.append(SITES_DMS_HEADER)
    for values in SITES_DMS:
        ws.append(list(values))
    return _save(workbook)


# --- 测评体系 alone (no responsibility columns) ------------------------------------------------

FRAMEWORK_ONLY = [
    ("1 公共秩序", "1.1 交通秩序", "1.1.1 道路通行", "1.1.1.1 机动车、非机动车各行其道", "实地考察"),
    (None, None, None, "1.1.1.2 主要路口设置文明交通劝导岗", "实地考察、问卷调查"),
    (None, "1.2 公共场所秩序", "1.2.1 广场秩序", "1.2.1.1 广场无乱摆摊点", "实地考察"),
    ("2 志愿服务", "2.1 志愿服务站", "2.1.1 站点建设", "2.1.1.1 社区设志愿服务站", "材料审核"),
]


def framework_only() -> bytes:
    """The 测评体系 as a city keeps it apart from the duties: categories, items, contents and
    standards with their methods, no 牵头单位 or 时限."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "测评体系"
    _title(ws, "全国文明城市测评体系（2026年版）", 5)
    ws.append(["测评类别", "测评项目", "测评内容", "测评标准", "测评方法"])
    for values in FRAMEWORK_ONLY:
        ws.append(list(values))
    for col in (1, 2, 3):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    return _save(workbook)
