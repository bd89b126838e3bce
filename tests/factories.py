"""Builders for test data shared by every test package: rows (factory_boy), the reference city
and its personas, tasks, and image and PDF files made in memory."""

import io
from contextlib import nullcontext
from datetime import date
from types import SimpleNamespace

import factory
import time_machine
from django.contrib.auth.hashers import make_password
from PIL import Image, ImageDraw
from pypdf import PdfWriter

from campaign.models import Guardianship, Membership, OrgUnit, Oversight, User

PASSWORD = "Test@pass2026"
_HASH = make_password(PASSWORD)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrgUnit.Kind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = _HASH


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(OrgUnitFactory)
    role = "liaison"


def person(username, role, unit, full_name=None):
    """A user holding one role in one unit."""
    user = UserFactory(username=username, full_name=full_name or username)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def guard(leader, *, community=None, site=None, unit=None, start=date(2020, 1, 1), end=None, note=""):
    """The office's record that ``leader`` 包挂 a community or a site (or that ``unit`` 包保 a site)."""
    return Guardianship.objects.create(leader=leader, unit=unit, community=community, site=site, start=start,
                                       end=end, note=note)


def oversee(leader, *units, start=date(2020, 1, 1), end=None):
    """The office's record that ``leader`` oversees (分管) each unit, in force from a fixed past
    date so that tests travelling in time still find it."""
    return [Oversight.objects.create(leader=leader, unit=unit, start=start, end=end) for unit in units]


# --- the reference city ---------------------------------------------------------------------


def reference_city() -> SimpleNamespace:
    """市 → office, 东湖区 → 湖滨街道 (unit A) → 和平社区; 江北区 → 江北街道 (unit B); 市城管局."""
    root = OrgUnitFactory(name="江城市", kind=OrgUnit.Kind.CITY)
    office = OrgUnitFactory(name="市创文办", kind=OrgUnit.Kind.OFFICE, parent=root)
    east = OrgUnitFactory(name="东湖区", kind=OrgUnit.Kind.DISTRICT, parent=root)
    unit_a = OrgUnitFactory(name="湖滨街道", kind=OrgUnit.Kind.STREET, parent=east)
    community_a = OrgUnitFactory(name="和平社区", kind=OrgUnit.Kind.COMMUNITY, parent=unit_a)
    north = OrgUnitFactory(name="江北区", kind=OrgUnit.Kind.DISTRICT, parent=root)
    unit_b = OrgUnitFactory(name="江北街道", kind=OrgUnit.Kind.STREET, parent=north)
    bureau = OrgUnitFactory(name="市城市管理局", short_name="市城管局", kind=OrgUnit.Kind.DEPARTMENT, parent=root)
    return SimpleNamespace(
        root=root, office=office, east=east, unit_a=unit_a, community_a=community_a,
        north=north, unit_b=unit_b, bureau=bureau,
    )


# The role personas of HOUSE_STYLE.md: name → (username, role, unit attribute of the city, full
# name). ``outsider`` has an account but no unit and no role.
PERSONAS = {
    "office": ("clerk", "office", "office", "周文明"),
    "district_office": ("district_clerk", "district_office", "east", "林东湖"),  # 东湖区创文办
    "leader": ("leader", "leader", "bureau", "陈建华"),
    "head_a": ("head_a", "unit_head", "unit_a", "刘志强"),
    "liaison_a": ("liaison_a", "liaison", "unit_a", "王晓东"),
    "archivist_a": ("archivist_a", "archivist", "unit_a", "李婷"),
    "liaison_b": ("liaison_b", "liaison", "unit_b", "杨俊峰"),
    "inspector": ("inspector", "inspector", "office", "赵海燕"),
    "assessor": ("assessor", "assessor", "office", "孙佳慧"),
    "outsider": ("outsider", None, None, "路人甲"),
    # A 包挂 leader: his post is in the district; what he sees is what the office records him 包挂.
    "guardian": ("guardian", "leader", "east", "孙包挂"),
    # The tiers below the city (转办): a district's, a community's and a department's liaison.
    "liaison_district": ("liaison_east", "liaison", "east", "吴东升"),
    "liaison_community": ("liaison_heping", "liaison", "community_a", "郑和平"),
    "liaison_bureau": ("bureau_liaison", "liaison", "bureau", "钱城"),
}


def persona(name: str, city=None):
    """One persona of ``PERSONAS`` in the reference city (its 分管 records are the caller's)."""
    username, role, unit, full_name = PERSONAS[name]
    if role is None:
        return UserFactory(username=username, full_name=full_name)
    return person(username, role, getattr(city, unit), full_name)


# --- tasks ----------------------------------------------------------------------------------


def make_task(ref=None, *, actor, unit, due: date | None = None, time_limit=None, indicator=None, leader=None,
              assisting=(), site=None, title="人行道共享单车乱停放", source="督查", assigned_at=None,
              before_files=()):
    """A task handed over through the real service. ``ref`` names the defaults: its ``standard``
    and its time limits (``fixed`` when a due date is given, else ``days5``). With ``assigned_at``
    the clock stands still at that moment while the office hands it over."""
    from tasks.services import task_create

    clock = time_machine.travel(assigned_at, tick=False) if assigned_at else nullcontext()
    with clock:
        return task_create(
            actor=actor, title=title, source=source, indicator=indicator or ref.standard, site=site, lead_unit=unit,
            leader=leader, assisting_units=assisting, time_limit=time_limit or (ref.fixed if due else ref.days5),
            due_date=due, assigned_at=assigned_at, before_files=before_files,
        )


# --- files ----------------------------------------------------------------------------------


def jpeg(width=800, height=600, *, colour=(40, 120, 200), marker=True, orientation=None,
         taken="2026:05:12 09:30:00", gps=None, quality=85) -> bytes:
    """A JPEG as a phone writes it: the sensor's landscape pixels (a red marker in the stored
    top-left corner shows how it was turned) plus EXIF orientation, time taken and position."""
    img = Image.new("RGB", (width, height), colour)
    if marker:
        ImageDraw.Draw(img).rectangle((0, 0, width // 8, height // 8), fill=(255, 0, 0))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if taken:
        exif[0x0132] = taken
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        lat, lon = gps
        exif.get_ifd(0x8825).update({1: "N", 2: _dms(lat), 3: "E", 4: _dms(lon)})
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


def _dms(value):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), float(seconds))


def png(width=64, height=48, *, mode="RGB", colour=128) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), colour).save(out, "PNG")
    return out.getvalue()


def pdf(pages=2) -> bytes:
    """Blank A4 pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stored_files(root) -> list[str]:
    """Every file under ``root`` (a MEDIA_ROOT, staging included), as sorted relative paths: what
    the files above left on disk once stored."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
