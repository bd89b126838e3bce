"""The demo city's organisation: units, people and roles. Deterministic (seeded random) and
idempotent: running it twice leaves the same rows."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from campaign.models import Membership, OrgUnit, Role, User
from demo.campaign.guardianship import seed_guardian_leaders
from demo.campaign.oversight import seed_oversight

DEMO_PASSWORD = "Demo@2026"

DISTRICTS = {
    "东湖区": ["湖滨街道", "东湖街道", "望江街道", "新华街道", "青山街道"],
    "江北区": ["江北街道", "汉江街道", "北港街道", "柳林街道"],
    "南山区": ["南山街道", "石桥街道", "桃源街道", "云峰镇"],
    "西城区": ["西关街道", "鼓楼街道", "文昌街道"],
}
COMMUNITY_NAMES = [
    "和平", "幸福", "光明", "建设", "团结", "朝阳", "春晖", "安居", "锦绣", "翠园", "育才", "丰收", "兴业",
    "迎宾", "永安", "长青", "金桥", "碧水", "康乐", "向阳", "新村", "荷花", "枫林", "书香", "同心",
]
DEPARTMENTS = [
    ("市委宣传部（市文明办）", "市文明办"), ("市城市管理局", "市城管局"), ("市交通运输局", "市交通局"),
    ("市公安局", "市公安局"), ("市公安局交通警察支队", "市交警支队"), ("市住房和城乡建设局", "市住建局"),
    ("市市场监督管理局", "市市场监管局"), ("市教育局", "市教育局"), ("市卫生健康委员会", "市卫健委"),
    ("市文化广电旅游局", "市文旅局"), ("市民政局", "市民政局"), ("市商务局", "市商务局"),
    ("市生态环境局", "市生态环境局"), ("市自然资源和规划局", "市自然资源局"), ("市水务局", "市水务局"),
    ("市园林绿化局", "市园林局"), ("共青团江城市委", "团市委"), ("市妇女联合会", "市妇联"),
    ("市总工会", "市总工会"), ("市融媒体中心", "市融媒体中心"), ("市消防救援支队", "市消防支队"),
    ("市政务服务和数据管理局", "市政务服务局"),
]
WINDOWS = [
    ("江城市第一人民医院", "市一医院"), ("江城市中心医院", "市中心医院"), ("江城火车站", "火车站"),
    ("江城长途汽车客运站", "长途汽车站"), ("工商银行江城分行", "工行江城分行"), ("建设银行江城分行", "建行江城分行"),
    ("江城市图书馆", "市图书馆"), ("市民服务中心政务大厅", "政务大厅"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯婷雪琳晨阳欣怡子涵志强海燕春梅晓东佳慧俊峰"

# (username, full name, role, unit short name, title) — the documented demo accounts.
DEMO_ACCOUNTS = [
    ("office", "周文明", Role.OFFICE, "市创文办", "督查科科长"),
    ("leader", "陈建华", Role.LEADER, "市城管局", "分管副市长"),
    ("head", "刘志强", Role.UNIT_HEAD, "湖滨街道", "党工委书记"),
    ("liaison", "王晓东", Role.LIAISON, "湖滨街道", "创城办主任"),
    ("archivist", "李婷", Role.ARCHIVIST, "湖滨街道", "资料员"),
    ("inspector", "赵海燕", Role.INSPECTOR, "市创文办", "督查员"),
    ("assessor", "孙佳慧", Role.ASSESSOR, "第三方测评组", "测评员"),
    ("liaison2", "杨俊峰", Role.LIAISON, "江北街道", "创城办主任"),
]
# The demo leader oversees these units (their 分管 scope).
LEADER_UNITS = ["市城管局", "市住建局", "市交通局", "市园林局", "东湖区"]


@dataclass
class Seeder:
    scale: int = 1
    rng: random.Random = field(default_factory=lambda: random.Random(20261124))
    units: dict[str, OrgUnit] = field(default_factory=dict)
    password_hash: str = ""
    used_names: set[str] = field(default_factory=set)

    def unit(self, name, kind, parent=None, short="", phone=""):
        obj, _ = OrgUnit.objects.get_or_create(
            parent=parent, name=name,
            defaults={"kind": kind, "short_name": short, "phone": phone or self.phone_number(office=True)},
        )
        self.units[short or name] = obj
        return obj

    def phone_number(self, office=False):
        if office:
            return f"0710-{self.rng.randint(8000000, 8999999)}"
        return f"1{self.rng.choice('3578')}{self.rng.randint(100000000, 999999999)}"

    def person_name(self):
        while True:
            name = self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice([1, 2])))
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def user(self, username, full_name=None):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username, full_name=full_name or self.person_name(),
                phone=self.phone_number(), password=self.password_hash, email="",
            )
        self.used_names.add(user.full_name)
        return user

    def member(self, user, unit, role, title=""):
        Membership.objects.get_or_create(user=user, unit=unit, role=role, defaults={"title": title})


def seed_org(*, scale: int = 1) -> Seeder:
    """Build the office, districts, streets, communities, departments, windows and people."""
    s = Seeder(scale=scale)
    s.password_hash = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        _seed_units(s)
        _seed_people(s)
    return s


def _seed_units(s: Seeder) -> None:
    city = s.unit("江城市", OrgUnit.Kind.CITY, short="江城市")
    office = s.unit("江城市创建全国文明城市工作指挥部办公室", OrgUnit.Kind.OFFICE, city, short="市创文办")
    s.unit("第三方测评组", OrgUnit.Kind.DEPARTMENT, office, short="第三方测评组")
    for district, streets in DISTRICTS.items():
        d = s.unit(district, OrgUnit.Kind.DISTRICT, city, short=district)
        for copy in range(s.scale):
            for street in streets:
                name = street if copy == 0 else f"{street}{copy + 1}"
                st = s.unit(name, OrgUnit.Kind.STREET, d, short=name)
                for i in range(2 + (len(name) + copy) % 2 + (1 if street.endswith("镇") else 0)):
                    base = COMMUNITY_NAMES[(sum(map(ord, name)) + i) % len(COMMUNITY_NAMES)]
                    suffix = "村" if street.endswith("镇") else "社区"
                    s.unit(f"{base}{suffix}", OrgUnit.Kind.COMMUNITY, st)
    for name, short in DEPARTMENTS:
        s.unit(name, OrgUnit.Kind.DEPARTMENT, city, short=short)
    for name, short in WINDOWS:
        s.unit(name, OrgUnit.Kind.WINDOW, city, short=short)


def _seed_people(s: Seeder) -> None:
    for username, full_name, role, unit_short, title in DEMO_ACCOUNTS:
        s.member(s.user(username, full_name), s.units[unit_short], role, title)
    leader = User.objects.get(username="leader")
    for short in LEADER_UNITS:
        s.member(leader, s.units[short], Role.LEADER, "分管副市长")
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        User.objects.create(username="admin", full_name="系统管理员", password=s.password_hash,
                            is_staff=True, is_superuser=True)
    office = s.units["市创文办"]
    for i in range(1, 5):
        s.member(s.user(f"cwb{i:02d}"), office, Role.OFFICE, "工作人员")
    for i in range(1, 4):
        s.member(s.user(f"dcy{i:02d}"), office, Role.INSPECTOR, "督查员")
    # Each district's own 创文办 (区创文办): qcwb01 is 东湖区's, qcwb02 江北区's, and so on.
    for i, district in enumerate(DISTRICTS, start=1):
        s.member(s.user(f"qcwb{i:02d}"), s.units[district], Role.DISTRICT_OFFICE, "区创文办工作人员")
    for i, short in enumerate(["市文明办", "市住建局", "市公安局"], start=1):
        s.member(s.user(f"ld{i:02d}"), s.units["江城市"], Role.LEADER, "市领导")
        s.member(User.objects.get(username=f"ld{i:02d}"), s.units[short], Role.LEADER, "分管市领导")
    seed_oversight()
    _seed_unit_staff(s)
    seed_guardian_leaders(s)


def _seed_unit_staff(s: Seeder) -> None:
    """A head and a liaison for every district, street, department and window; archivists for
    districts, streets and departments; liaisons for a share of communities (~120 users)."""
    units = OrgUnit.objects.exclude(kind__in=[OrgUnit.Kind.OFFICE, OrgUnit.Kind.CITY]).order_by("path")
    for counter, unit in enumerate(units):
        for role, title in _staff_roles(unit, counter):
            if unit.memberships.filter(role=role).exists():
                continue
            username = f"u{unit.pk:04d}{role[:2]}"
            s.member(s.user(username), unit, role, title)


def _staff_roles(unit: OrgUnit, counter: int) -> list[tuple[str, str]]:
    if unit.kind == OrgUnit.Kind.COMMUNITY:
        return [(Role.LIAISON, "网格员")] if counter % 3 == 0 else []
    if unit.kind == OrgUnit.Kind.WINDOW:
        return [(Role.UNIT_HEAD, "负责人"), (Role.LIAISON, "联络员")]
    if unit.short_name == "第三方测评组":
        return []
    head_title = {"district": "区委常委", "street": "党工委书记", "department": "分管副局长"}.get(unit.kind, "负责人")
    roles = [(Role.UNIT_HEAD, head_title), (Role.LIAISON, "联络员")]
    if unit.kind != OrgUnit.Kind.DEPARTMENT or counter % 2 == 0:
        roles.append((Role.ARCHIVIST, "资料员"))
    return roles


def account_rows() -> list[tuple[str, str, str]]:
    rows = [("admin", "系统管理员（Django 管理后台）", DEMO_PASSWORD)]
    for username, full_name, role, unit_short, _title in DEMO_ACCOUNTS:
        rows.append((username, f"{full_name} · {unit_short} · {Role(role).label}", DEMO_PASSWORD))
    for i, district in enumerate(DISTRICTS, start=1):
        rows.append((f"qcwb{i:02d}", f"{district} · {Role.DISTRICT_OFFICE.label}", DEMO_PASSWORD))
    return rows
