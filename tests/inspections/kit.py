"""Builders for the inspections tests: a tiny edition with four field standards, a 公共广场
checklist worth 1+2+3+4 points, squares in two districts, photos made in memory."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaign.models import Framework, Indicator, Responsibility, Site, SiteType, TimeLimit
from inspections import services
from inspections.models import InspectionRound, Result
from tasks.models import RectificationTask, State
from tests.factories import jpeg

TAKEN = "2026:11:20 09:30:00"


def upload(name="photo.jpg", *, colour=(40, 120, 200), taken=TAKEN, gps=None) -> SimpleUploadedFile:
    """A phone photo taken on the day of the 11月督查 round."""
    return SimpleUploadedFile(name, jpeg(640, 480, colour=colour, taken=taken, gps=gps, marker=False),
                              content_type="image/jpeg")


def _node(framework, parent, code, name, **extra):
    node = Indicator(framework=framework, parent=parent, level=parent.level + 1 if parent else 1, code=code,
                     name=name, **extra)
    node.save()
    return node


def field_setup(city) -> SimpleNamespace:
    """Framework with standards S1..S4 (实地考察, 公共广场), a 公共广场 checklist (points 1, 2, 3, 4),
    squares A (东湖区, unit A), B (江北区, unit B) and C (东湖区, unit A), routing to unit A / B."""
    framework = Framework.objects.create(name="测试测评体系", year=2026, is_active=True)
    # get_or_create: transactional (browser) tests flush the rows the data migrations preload.
    square, _ = SiteType.objects.get_or_create(name="公共广场", defaults={"code": "square", "sort_order": 5})
    area = _node(framework, None, "B", "公共文明")
    item = _node(framework, area, "8", "市容环境")
    content = _node(framework, item, "8.1", "公共场所环境")
    names = ["地面保洁", "果皮箱设置", "公厕管理", "公益广告"]
    standards = []
    for n, name in enumerate(names, start=1):
        s = _node(framework, content, f"8.1.{n}", name, methods=["实地考察"], points=Decimal(n))
        s.site_types.set([square])
        standards.append(s)
    checklist = services.checklist_create(actor=None, site_type=square, name="公共广场检查表", items=[
        {"text": f"第{n}项：{name}符合要求", "indicator": s, "points": Decimal(n)}
        for n, (name, s) in enumerate(zip(names, standards, strict=True), start=1)
    ])
    site_a = Site.objects.create(name="人民广场", site_type=square, district=city.east, street=city.unit_a,
                                 adopting_unit=city.unit_a, latitude=Decimal("30.600000"), longitude=Decimal("114.300000"))
    site_b = Site.objects.create(name="江滩广场", site_type=square, district=city.north, street=city.unit_b,
                                 adopting_unit=city.unit_b, latitude=Decimal("30.650000"), longitude=Decimal("114.280000"))
    site_c = Site.objects.create(name="湖滨广场", site_type=square, district=city.east, street=city.unit_a,
                                 adopting_unit=city.unit_a)
    limit, _ = TimeLimit.objects.get_or_create(name="5个工作日", defaults={"kind": "workdays", "amount": 5})
    row = Responsibility.objects.create(indicator=content, lead_unit=city.bureau, time_limit=limit)
    row.assisting_units.set([city.unit_a])
    return SimpleNamespace(framework=framework, square=square, standards=standards, checklist=checklist,
                           site_a=site_a, site_b=site_b, site_c=site_c, content=content, limit=limit)


def make_round(*, actor, inspectors=(), assessors=(), sites=(), kind="督查", name="11月督查", start=None,
               days=10) -> InspectionRound:
    start = start or timezone.localdate()
    return services.round_create(
        actor=actor, name=name, kind=kind, start_date=start, end_date=start + timedelta(days=days),
        inspectors=inspectors, assessors=assessors, sample_mode="explicit", sites=sites,
    )


def visit_with(rnd, site, inspector, answers: list[str], *, notes=None, now=None):
    """Start, answer the lines in order (met/failed/na), photograph each failed line, submit."""
    visit = services.visit_start(actor=inspector, round=rnd, site=site, now=now)
    lines = list(visit.results.order_by("number"))
    services.visit_save(actor=inspector, visit=visit, answers={
        line.pk: {"result": answer, "note": (notes or {}).get(line.number, "")}
        for line, answer in zip(lines, answers, strict=True)
    })
    for line, answer in zip(lines, answers, strict=True):
        if answer == Result.FAILED:
            services.visit_add_photo(actor=inspector, visit=visit, line=line,
                                     file=upload(f"{site.pk}-{line.number}.jpg", colour=(line.pk % 255, 80, 60)))
    return services.visit_submit(actor=inspector, visit=visit, now=now)


def close_task(task: RectificationTask, when=None) -> RectificationTask:
    """Test set-up shortcut: mark a task 已销号 as if it went through 核查."""
    when = when or timezone.now()
    RectificationTask.objects.filter(pk=task.pk).update(state=State.CLOSED, closed_at=when, closed_on_time=True)
    task.refresh_from_db()
    return task


def day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)
