"""Small builders for the reference tests: an edition with a short tree, sites and matrix rows."""

from decimal import Decimal
from importlib import import_module
from types import SimpleNamespace

from django.apps import apps

from campaign.models import Framework, Indicator, Responsibility, Site, SiteType, TimeLimit


def preload():
    """The 26 site types and 6 time limits of the data migration (a transactional test's flush
    removes them, so browser tests put them back)."""
    import_module("campaign.migrations.0003_preload_site_types_and_time_limits").preload(apps, None)


def edition(name="江城市测评体系（测试版）", year=2026, active=True):
    return Framework.objects.create(name=name, year=year, is_active=active)


def node(framework, parent, code, name, **extra):
    level = parent.level + 1 if parent else 1
    indicator = Indicator(framework=framework, parent=parent, level=level, code=code, name=name, **extra)
    indicator.save()
    return indicator


def small_tree(framework=None):
    """B 公共文明 → 8 市容环境 → 8.1 道路环境卫生 → 8.1.1 / 8.1.2, and 8.2 市容秩序 → 8.2.1."""
    preload()
    framework = framework or edition()
    square, road = SiteType.objects.get(name="公共广场"), SiteType.objects.get(name="主次干道")
    area = node(framework, None, "B", "公共文明与城市环境", sort_order=1)
    item = node(framework, area, "8", "市容环境", sort_order=1)
    content = node(framework, item, "8.1", "道路环境卫生", sort_order=1)
    cleaning = node(framework, content, "8.1.1", "道路保洁", text="主次干道路面干净，无垃圾、无积水、无油污",
                    methods=["实地考察"], points=Decimal("2"), sort_order=1)
    cleaning.site_types.set([square, road])
    bins = node(framework, content, "8.1.2", "果皮箱设置", text="果皮箱设置合理、外观整洁、及时清运",
                methods=["实地考察"], points=Decimal("1"), sort_order=2)
    bins.site_types.set([square])
    order = node(framework, item, "8.2", "市容秩序", sort_order=2)
    stalls = node(framework, order, "8.2.1", "占道经营", text="无占道经营、流动摊贩和店外经营", methods=["实地考察"],
                  points=Decimal("2"), is_negative=True, sort_order=1)
    return SimpleNamespace(framework=framework, area=area, item=item, content=content, cleaning=cleaning,
                           bins=bins, order=order, stalls=stalls, square=square, road=road)


def site(city, name="中山广场", type_name="公共广场", district=None, street=None, adopting=None, **extra):
    return Site.objects.create(
        name=name, site_type=SiteType.objects.get(name=type_name), district=district or city.east,
        street=street if street is not None else city.unit_a, adopting_unit=adopting or city.unit_a, **extra,
    )


def row(indicator, lead, *, leader=None, site_type=None, site=None, responsible=(), assisting=(),
        limit="5个工作日", deadline=None):
    r = Responsibility.objects.create(indicator=indicator, lead_unit=lead, leader=leader, site_type=site_type,
                                      site=site, time_limit=TimeLimit.objects.get(name=limit), deadline=deadline)
    r.responsible_units.set(responsible)
    r.assisting_units.set(assisting)
    return r
