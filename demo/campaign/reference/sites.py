"""The demo city's 点位: about 600 sites over all 26 types, named the way offices name them."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from campaign.models import OrgUnit, Site, SiteType

CENTRE = (114.305, 30.593)  # the demo city's centre (lon, lat)
DISTRICT_OFFSET = {"东湖区": (0.035, 0.012), "江北区": (-0.004, 0.062), "南山区": (0.012, -0.052), "西城区": (-0.048, 0.0)}

ROADS = {
    "东湖区": ["人民路", "解放路", "建设路", "中山路", "胜利路", "湖滨大道", "东湖路", "和平路", "友谊路", "新华路", "青山路", "望江路"],
    "江北区": ["江北大道", "汉江路", "北港路", "柳林路", "长江路", "工业路", "黄河路", "兴业路", "民主路", "沿江路"],
    "南山区": ["南山大道", "石桥路", "桃源路", "云峰路", "学府路", "科技路", "翠屏路", "龙泉路", "南湖路", "松林路"],
    "西城区": ["西关大街", "鼓楼大街", "文昌路", "府前路", "西环路", "城隍庙街", "太平街", "书院路", "状元路", "古城路"],
}
SQUARES = {"东湖区": ["中山广场", "人民广场", "湖滨广场"], "江北区": ["江北市民广场", "汉江广场", "江城火车站站前广场"],
           "南山区": ["南山广场", "石桥广场", "桃源广场"], "西城区": ["鼓楼广场", "西关广场", "文昌广场"]}
PARKS = {"东湖区": ["东湖公园", "中山公园", "滨江公园", "青山公园"], "江北区": ["汉江公园", "柳林公园", "江北森林公园", "北港湿地公园"],
         "南山区": ["南山公园", "桃源公园", "龙泉山公园", "南湖公园"], "西城区": ["鼓楼公园", "文昌公园", "西关游园", "古城墙遗址公园"]}
SCENIC = {"东湖区": ["东湖风景区", "湖滨历史文化街区"], "江北区": ["汉江古渡景区", "北港湿地景区"],
          "南山区": ["龙泉山风景区", "桃源古村景区"], "西城区": ["鼓楼历史文化街区", "古城墙景区"]}
LANES = ["文昌巷", "青石巷", "槐树巷", "梧桐巷", "仁和里", "福寿巷", "铁匠巷", "花园巷", "井巷", "筷子巷", "豆腐巷", "太平里",
         "同兴里", "丰乐巷", "长乐巷", "三元巷", "宝善里", "永宁巷", "八角巷", "竹竿巷", "石板巷", "芝麻巷", "柴市巷", "米市巷",
         "盐仓巷", "油坊巷", "染坊巷", "书院巷", "后营巷", "鸡鸣巷", "杨柳巷", "桂花巷", "荷塘里", "民生里", "兴仁巷", "大兴巷",
         "永丰里", "安乐巷", "育婴巷", "聚宝巷", "金鱼巷", "银杏巷", "水井巷", "灯笼巷", "马道巷", "粮道巷", "北门巷", "南门巷"]
ESTATES = ["锦绣花园", "阳光小区", "幸福家园", "翠苑小区", "金桥花园", "碧水蓝天小区", "书香名苑", "春晖小区", "丽景花园",
           "金色家园", "和谐家园", "紫荆花园", "香樟苑", "桂花园", "世纪新城", "滨江花园", "怡景苑", "康乐小区", "银杏苑",
           "明珠花园", "泰和园", "嘉禾小区", "东方名都", "水岸星城", "清风苑", "凤凰城", "梧桐郡", "翡翠城", "御景湾",
           "福星小区", "建工小区", "电力小区", "铁路新村", "纺织新村", "教师公寓", "幸福里", "玉兰苑", "阳光水岸", "百合苑",
           "公园里", "江湾小区", "学府花园", "新城家园", "枫林小区", "荷花苑", "安居苑", "锦苑", "天骄小区",
           "金鹰小区", "华侨城", "龙湖小区", "栖霞苑", "望湖苑", "文苑小区", "松鹤园", "长虹小区", "青年公寓",
           "蓝湾花园", "兰亭苑", "宏图小区", "湖畔家园", "棕榈湾", "润园", "秀水苑"]
WORKSITES = ["江城·滨江府项目工地", "轨道交通2号线东湖站工地", "锦绣华庭二期工地", "城投·云锦苑工地", "市第二人民医院新院区工地",
             "国际会展中心工地", "望江御府工地", "科技园三期工地", "中央公馆工地", "翡翠湾项目工地", "学府里项目工地",
             "南湖一号工地", "古城保护修缮工程工地", "鼓楼片区改造工地", "文昌阁安置房工地", "西环路快速化改造工地"]
HOTELS = ["江城宾馆", "东湖大酒店", "望江楼酒店", "湖滨假日酒店", "汉江饭店", "北港大酒店", "柳林宾馆", "江北商务酒店",
          "南山宾馆", "桃源山庄", "石桥酒店", "云峰度假酒店", "鼓楼饭店", "西关宾馆", "文昌阁酒店", "古城客栈"]
MALLS = ["万家福超市", "惠民超市", "江城百货", "新世纪购物中心", "好邻居生活超市"]
BANKS = [("工商银行", "工行江城分行"), ("建设银行", "建行江城分行"), ("农业银行", None), ("中国银行", None),
         ("交通银行", None), ("邮储银行", None)]
VILLAGES = ["张家湾", "李家墩", "王家岭", "刘家台", "陈家湾", "杨家冲", "赵家桥", "周家铺"]
BUS_ROUTES = [1, 2, 3, 5, 6, 8, 9, 10, 11, 12, 15, 16, 18, 20, 21, 22, 25, 26, 28, 30]
TAXI_COMPANIES = ["江城出租汽车公司", "通达出租汽车公司", "顺风出租汽车公司", "安达出租汽车公司", "江北出租汽车公司",
                  "南山出租汽车公司", "鼓楼出租汽车公司", "长江出租汽车公司", "新城出租汽车公司", "惠民出租汽车公司"]
CHRONIC_SHARE = 0.06


@dataclass
class SitePlan:
    name: str
    type_name: str
    district: OrgUnit
    street: OrgUnit | None
    adopter: OrgUnit | None
    address: str = ""


class SiteBuilder:
    """Plans the demo sites district by district, then writes the missing ones in one bulk insert."""

    def __init__(self, units: dict[str, OrgUnit], rng: random.Random):
        self.units, self.rng = units, rng
        self.plans: list[SitePlan] = []
        self.taken: set[tuple[int, str]] = set()
        self.lanes, self.estates, self.worksites, self.hotels = iter(LANES), iter(ESTATES), iter(WORKSITES), iter(HOTELS)

    def add(self, name, type_name, district, street=None, adopter=None, address=""):
        if (district.pk, name) in self.taken:  # 和平社区 exists in two streets of one district
            if street is None:
                return
            name = f"{name}（{street.name}）"
        self.taken.add((district.pk, name))
        self.plans.append(SitePlan(name, type_name, district, street, adopter, address))

    def unit(self, short):
        return self.units.get(short)

    def plan(self) -> list[SitePlan]:
        districts = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT, name__in=ROADS).order_by("path")
        for district in districts:
            streets = list(district.children.filter(kind=OrgUnit.Kind.STREET).order_by("path"))
            if streets:
                self._district(district, streets)
                for street in streets:
                    self._street(district, street)
        self._citywide(list(districts))
        return self.plans

    def _district(self, d, streets):
        roads = ROADS[d.name]
        n = len(roads)

        def street(i):
            return streets[i % len(streets)]

        for i in range(10):
            # 路段长: each section is adopted by the street it runs through, which answers for
            # place-bound problems (保洁、乱贴乱画 …) found on it.
            self.add(f"{roads[i]}（{roads[(i + 1) % n]}—{roads[(i + 2) % n]}段）", "主次干道", d, street(i),
                     street(i), f"{d.name}{roads[i]}")
        for i in range(3):
            self.add(f"{roads[i + 3]}商业街", "商业大街", d, street(i), street(i), f"{d.name}{roads[i + 3]}")
        for i in range(14):
            self.add(f"{roads[i % n]}公交站（{roads[(i + 3 + i // n) % n]}口）", "公交站点", d, street(i), self.unit("市交通局"))
        for i in range(8):
            self.add(f"{roads[i]}与{roads[(i + 1) % n]}交叉口", "主要交通路口", d, street(i), self.unit("市交警支队"))
        for i, name in enumerate(SQUARES[d.name]):
            self.add(name, "公共广场", d, street(i), self.unit("市园林局") if i == 1 else street(i))
        for i, name in enumerate(PARKS[d.name]):
            self.add(name, "公园", d, street(i), self.unit("市园林局"))
        for i in range(4):
            self.add(next(self.worksites), "建筑工地", d, street(i), self.unit("市住建局"))
        self._district_services(d, streets)

    def _district_services(self, d, streets):
        """Hospitals, banks, halls, culture, hotels, shops, scenic spots, fringe areas, windows."""
        stem = d.name.removesuffix("区")

        def street(i):
            return streets[i % len(streets)]

        for i, name in enumerate([f"{d.name}人民医院", f"{d.name}中医医院", f"{d.name}妇幼保健院",
                                  f"{streets[0].name.removesuffix('街道')}社区卫生服务中心"]):
            self.add(name, "医院", d, street(i), self.unit("市卫健委"))
        for i, (bank, adopter) in enumerate(BANKS):
            self.add(f"{bank}{stem}{'支行' if i % 2 == 0 else '营业部'}", "银行网点", d, street(i),
                     self.unit(adopter) if adopter else street(i))
        self.add(f"{d.name}政务服务中心", "政务大厅", d, streets[0], self.unit("市政务服务局"))
        self.add(f"{d.name}不动产登记中心", "政务大厅", d, street(1), self.unit("市政务服务局"))
        self.add(f"{d.name}新时代文明实践中心", "新时代文明实践中心", d, streets[0], d)
        for i, kind in enumerate(["图书馆", "文化馆", "青少年活动中心", "全民健身中心"]):
            self.add(f"{d.name}{kind}", "公共文化设施", d, street(i), self.unit("市文旅局"))
        for i in range(4):
            self.add(next(self.hotels), "宾馆酒店", d, street(i), self.unit("市文旅局"))
        for i, brand in enumerate(MALLS):
            self.add(f"{brand}（{stem}店）", "商场超市", d, street(i), self.unit("市商务局"))
        for i, name in enumerate(SCENIC[d.name]):
            self.add(name, "景区", d, street(i), self.unit("市文旅局"))
        for i in range(2):
            village = VILLAGES[(len(self.plans) + i) % len(VILLAGES)]
            outer = streets[-1 - i % len(streets)]
            self.add(f"{outer.name.removesuffix('街道').removesuffix('镇')}{village}片区", "城乡接合部", d, outer, outer)
        self.add(f"{d.name}供电营业厅", "窗口单位", d, streets[0], street(0))
        self.add(f"{d.name}自来水营业厅", "窗口单位", d, street(1), street(1))

    def _street(self, d, s):
        stem = s.name.removesuffix("街道").removesuffix("镇")
        for _ in range(3):
            self.add(next(self.lanes, None) or f"{stem}{len(self.plans)}号巷", "背街小巷", d, s, s)
        self.add(f"{stem}农贸市场", "集贸市场", d, s, s)
        for i in range(2):
            self.add(f"{stem}{('第一', '第二')[i]}公厕", "室外公厕", d, s, self.unit("市城管局") if i else s)
        for i in range(4):
            self.add(next(self.estates, None) or f"{stem}{i + 1}号小区", "小区", d, s, s)
        self.add(f"{stem}小学", "中小学校", d, s, self.unit("市教育局"))
        self.add(f"{stem}中学", "中小学校", d, s, self.unit("市教育局"))
        self.add(f"{s.name}新时代文明实践所", "新时代文明实践中心", d, s, s)
        for community in s.children.filter(kind=OrgUnit.Kind.COMMUNITY).order_by("path"):
            self.add(community.name, "社区", d, s, community)
        if s.name.endswith("镇"):
            for name in ["集镇", "桃花村", "青龙村", "白沙村"]:
                self.add(f"{s.name}{name}", "乡镇", d, s, s)

    def _citywide(self, districts):
        if not districts:
            return
        by_name = {d.name: d for d in districts}
        north, east, west = by_name.get("江北区"), by_name.get("东湖区"), by_name.get("西城区")
        for name, short, district in [("江城火车站", "火车站", north), ("江城长途汽车客运站", "长途汽车站", north),
                                      ("江城市第一人民医院", "市一医院", east), ("江城市中心医院", "市中心医院", north),
                                      ("江城市图书馆", "市图书馆", east), ("市民服务中心政务大厅", "政务大厅", west)]:
            if district is None:
                continue
            type_name = {"市一医院": "医院", "市中心医院": "医院", "市图书馆": "公共文化设施"}.get(short, "窗口单位")
            if short == "政务大厅":
                type_name = "政务大厅"
            self.add(name, type_name, district, None, self.unit(short))
        for i, route in enumerate(BUS_ROUTES):
            self.add(f"{route}路公交车", "公交车", districts[i % len(districts)], None, self.unit("市交通局"))
        for i, company in enumerate(TAXI_COMPANIES):
            self.add(f"{company}出租车", "出租车", districts[i % len(districts)], None, self.unit("市交通局"))

    def write(self) -> int:
        """Insert the planned sites that are not there yet (by district and name)."""
        types = {t.name: t for t in SiteType.objects.all()}
        existing = set(Site.objects.values_list("district_id", "name"))
        new = []
        for number, p in enumerate(self.plans, start=1):
            lon, lat = self._coordinates(p.district.name)
            chronic = self.rng.random() < CHRONIC_SHARE
            if (p.district.pk, p.name) in existing:
                continue
            existing.add((p.district.pk, p.name))
            new.append(Site(
                name=p.name, site_type=types[p.type_name], district=p.district, street=p.street,
                adopting_unit=p.adopter, address=p.address or self._address(p, number), longitude=lon, latitude=lat,
                is_chronic=chronic, recurring_since=_recurring_date(number) if chronic else None,
            ))
        Site.objects.bulk_create(new, batch_size=500)
        return len(new)

    def _coordinates(self, district_name):
        dx, dy = DISTRICT_OFFSET.get(district_name, (0, 0))
        lon = CENTRE[0] + dx + self.rng.uniform(-0.022, 0.022)
        lat = CENTRE[1] + dy + self.rng.uniform(-0.018, 0.018)
        return Decimal(f"{lon:.6f}"), Decimal(f"{lat:.6f}")

    def _address(self, plan: SitePlan, number: int) -> str:
        if plan.type_name in ("公交车", "出租车"):
            return "全市运营线路"
        roads = ROADS.get(plan.district.name, ["人民路"])
        return f"{plan.district.name}{roads[number % len(roads)]}{(number * 7) % 300 + 1}号"


def _recurring_date(number: int) -> date:
    return date(2026, number % 9 + 1, number % 27 + 1)
