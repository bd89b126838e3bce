"""Plain builders for the lifecycle, permission, list and create tests (no fixtures, so each test
module stays self-contained)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from campaign.models import Framework, Indicator, Responsibility, Site, SiteType, TimeLimit


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
    return SimpleNamespace(framework=framework, street=street, litter=litter, square=square,
                           square_type=square_type, days5=days5, fixed=fixed)


def make_task(ref, *, actor, unit, due: date | None = None, leader=None, assisting=(), title="人行道共享单车乱停放",
              assigned_at=None, site=None, source="督查"):
    from tasks.services import task_create

    return task_create(
        actor=actor, title=title, source=source, indicator=ref.street, site=site, lead_unit=unit, leader=leader,
        assisting_units=assisting, time_limit=ref.fixed if due else ref.days5, due_date=due,
        assigned_at=assigned_at,
    )


def jpeg_bytes(colour=(40, 120, 200), size=(640, 480)) -> bytes:
    img = Image.new("RGB", size, colour)
    ImageDraw.Draw(img).rectangle((0, 0, size[0] // 6, size[1] // 6), fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def photo_upload(name="after.jpg", colour=(40, 160, 80)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(colour), content_type="image/jpeg")


def today() -> date:
    return timezone.localdate()


def later(days: int) -> date:
    return today() + timedelta(days=days)
