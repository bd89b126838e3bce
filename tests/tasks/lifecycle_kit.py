"""Plain builders for the lifecycle, permission, list and create tests (no fixtures, so each test
module stays self-contained); tasks themselves come from ``tests.factories.make_task``."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaign.models import Framework, Indicator, Responsibility, Site, SiteType, TimeLimit
from tests.factories import jpeg


def reference(city, *, leader=None) -> SimpleNamespace:
    """An active edition with two standards, a square in 东湖区 and the responsibility rows:
    standard 5.1.1 → 湖滨街道 (unit A) in general, and → 市城管局 at 公共广场 sites."""
    framework = Framework.objects.create(name="全国文明城市测评体系", year=2021, is_active=True)
    area = Indicator.objects.create(framework=framework, level=1, code="5", name="公共秩序")
    street = Indicator.objects.create(framework=framework, parent=area, level=4, code="5.1.1",
                                      name="主次干道无乱停乱放", text="机动车、非机动车有序停放。")
    litter = Indicator.objects.create(framework=framework, parent=area, level=4, code="5.2.3",
                                      name="公共场所垃圾桶无满溢", text="垃圾及时清运。")
    square_type = SiteType.objects.get_or_create(code="square", defaults={"name": "公共广场"})[0]
    square = Site.objects.create(name="人民广场", site_type=square_type, district=city.east, street=city.unit_a,
                                 adopting_unit=city.unit_a)
    # Preloaded by a migration; recreated here after a transactional test's flush.
    days5 = TimeLimit.objects.get_or_create(name="5个工作日", defaults={"kind": "workdays", "amount": 5,
                                                                     "yellow_workdays": 1})[0]
    fixed = TimeLimit.objects.get_or_create(name="指定日期", defaults={"kind": "date", "yellow_workdays": 3})[0]
    general = Responsibility.objects.create(indicator=street, lead_unit=city.unit_a, leader=leader, time_limit=days5)
    general.assisting_units.set([city.bureau])
    by_type = Responsibility.objects.create(indicator=street, site_type=square_type, lead_unit=city.bureau,
                                            leader=leader, time_limit=days5)
    by_type.assisting_units.set([city.unit_a])
    return SimpleNamespace(framework=framework, street=street, standard=street, litter=litter, square=square,
                           square_type=square_type, days5=days5, fixed=fixed)


def photo_upload(name="after.jpg", colour=(40, 160, 80)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(640, 480, colour=colour, taken=None), content_type="image/jpeg")


def today() -> date:
    return timezone.localdate()


def later(days: int) -> date:
    return today() + timedelta(days=days)
