"""The benchmark city: ``seed_demo``'s steps at chosen scales, then bulk top-ups to the sizes
the design names (2,200 units in five levels, 3,000 sites, 100k tasks, 1M task actions, 300k evidence rows with
a few thousand real image files).

Why not ``seed_demo --scale 33`` alone: one scale drives every step, so a city with 100k tasks
would also get ~2,000 units without the fifth level, and the demo's sites, task actions and archive evidence do not grow
with the scale at all. So the organisation is seeded at scale 2 (≈137 units), the tasks at
scale 33 (≈102k tasks with their real histories: ≈460k actions, ≈235k photo evidence rows), and
what the demo cannot reach is added here in bulk, realistically:

- units: communities under the streets, up to ``communities`` units, then 网格 (grids) under the
  communities, up to ``units``: five levels (city, districts, streets, communities, grids), so
  a district office's or a leader's scope holds hundreds of units, as in a real city;
- sites: each demo site's counterpart in another street of its district, up to ``sites``
  (added before the tasks, so tasks are spread over all of them);
- task actions: 报送配合情况 notes from the assisting units of multi-unit tasks, dated inside
  each task's open span (one INSERT … SELECT);
- evidence: 活动/阵地照片 photos filed by the units that hold material duties, pointing at
  ``image_files`` distinct real JPEG files written to MEDIA_ROOT.

Everything is deterministic (seeded) and tops up to a target, so a rerun adds nothing.
"""

from __future__ import annotations

import hashlib
import io
import random
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from archives.models import EvidenceItem
from archives.selectors import material_standards, standard_duties
from campaign.models import Framework, OrgUnit, Site
from demo import archives as archives_demo
from demo import campaign as campaign_demo
from demo import inspections as inspections_demo
from demo import reports as metrics_demo
from demo import tasks as tasks_demo
from demo.campaign import reference as demo_reference
from demo.tasks.texts import NOTES
from tasks.models import RectificationTask, State, TaskAction


@dataclass(frozen=True)
class Size:
    org_scale: int
    archive_scale: int
    task_scale: int
    communities: int  # units once the communities are topped up; the grids then fill up to ``units``
    units: int
    sites: int
    actions: int
    evidence: int
    image_files: int


CITY = Size(org_scale=2, archive_scale=2, task_scale=33, communities=600, units=2200, sites=3000, actions=1_000_000,
            evidence=300_000, image_files=3000)
# For the smoke test: the same code paths on a few thousand rows.
TINY = Size(org_scale=1, archive_scale=1, task_scale=1, communities=90, units=160, sites=620, actions=15_000,
            evidence=8_000,
            image_files=12)

SIZES = {"city": CITY, "tiny": TINY}


def build(size: Size, say=print) -> dict:
    """Seed the city step by step; returns the row counts and the seconds each step took."""
    timings = {}

    def step(label, fn):
        started = time.monotonic()
        fn()
        timings[label] = round(time.monotonic() - started, 1)
        say(f"  {label}: {timings[label]} s")

    out = SimpleNamespace(write=lambda text="", *a, **k: None)
    step("org", lambda: campaign_demo.seed_org(scale=size.org_scale))
    step("units_top_up", lambda: (top_up_units(size.communities), top_up_grids(size.units)))
    step("reference", lambda: demo_reference.seed(SimpleNamespace(scale=1, stdout=out)))
    step("sites_top_up", lambda: top_up_sites(size.sites))
    step("archives", lambda: archives_demo.seed(SimpleNamespace(scale=size.archive_scale, stdout=out)))
    step("tasks", lambda: tasks_demo.seed(SimpleNamespace(scale=size.task_scale, stdout=out)))
    step("inspections", lambda: inspections_demo.seed(SimpleNamespace(scale=1, stdout=out)))
    step("actions_top_up", lambda: top_up_actions(size.actions))
    step("evidence_top_up", lambda: top_up_evidence(size.evidence, size.image_files))
    step("metrics", lambda: metrics_demo.seed(SimpleNamespace(scale=1, stdout=out)))
    step("analyze", analyze)
    return {"counts": counts(), "seed_seconds": timings}


def counts() -> dict:
    return {
        "units": OrgUnit.objects.count(),
        "unit_levels": OrgUnit.objects.values("depth").distinct().count(),
        "sites": Site.objects.count(),
        "tasks": RectificationTask.objects.count(),
        "open_tasks": RectificationTask.objects.open().count(),
        "task_actions": TaskAction.objects.count(),
        "evidence": EvidenceItem.objects.count(),
        "evidence_files": EvidenceItem.objects.values("file").distinct().count(),
    }


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- units ------------------------------------------------------------------------------------


def top_up_units(target: int) -> int:
    """Communities under the streets, in turn, until the city has ``target`` units."""
    missing = target - OrgUnit.objects.count()
    streets = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.STREET).order_by("path"))
    made = 0
    with transaction.atomic():
        for i in range(max(missing, 0)):
            if not streets:
                break
            street = streets[i % len(streets)]
            taken = set(street.children.values_list("name", flat=True))
            suffix = "村" if street.name.endswith("镇") else "社区"
            name = next((f"{b}{suffix}" for b in campaign_demo.COMMUNITY_NAMES if f"{b}{suffix}" not in taken),
                        f"第{i + 1}{suffix}")
            OrgUnit.objects.create(parent=street, name=name, kind=OrgUnit.Kind.COMMUNITY,
                                   phone=f"0710-{8100000 + i}")
            made += 1
    return made


def top_up_grids(target: int) -> int:
    """网格 (grids) under the communities, in turn, until the city has ``target`` units: the fifth
    level of the tree. A grid is filed as a community-level unit (社区/村) below its community."""
    missing = target - OrgUnit.objects.count()
    communities = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNITY, depth=3).order_by("path"))
    made = 0
    with transaction.atomic():
        for i in range(max(missing, 0)):
            if not communities:
                break
            community = communities[i % len(communities)]
            OrgUnit.objects.create(parent=community, name=f"{community.name}第{i // len(communities) + 1}网格",
                                   kind=OrgUnit.Kind.COMMUNITY, phone=f"0710-{8600000 + i}")
            made += 1
    return made


# --- sites ------------------------------------------------------------------------------------


def top_up_sites(target: int) -> int:
    """Each demo site's counterpart in the other streets of its district, until ``target``."""
    existing = list(Site.objects.order_by("pk"))
    missing = target - len(existing)
    if missing <= 0 or not existing:
        return 0
    streets: dict[int, list[OrgUnit]] = {}
    for street in OrgUnit.objects.filter(kind=OrgUnit.Kind.STREET).order_by("path"):
        streets.setdefault(street.parent_id, []).append(street)
    taken = {(s.district_id, s.name) for s in existing}
    rng, rows, n = random.Random(20261124 + 9), [], 0
    while len(rows) < missing:
        base, round_no = existing[n % len(existing)], n // len(existing) + 1
        n += 1
        options = streets.get(base.district_id) or [None]
        street = options[(n + round_no) % len(options)]
        label = f"{street.name}片区" if street else "片区"
        name = f"{base.name}（{label}{round_no}）"[:100]
        if (base.district_id, name) in taken:
            continue
        taken.add((base.district_id, name))
        rows.append(Site(
            name=name, site_type_id=base.site_type_id, district_id=base.district_id,
            street=street or base.street, address=base.address, adopting_unit_id=base.adopting_unit_id,
            longitude=_jitter(base.longitude, rng), latitude=_jitter(base.latitude, rng),
        ))
    Site.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _jitter(value, rng):
    return None if value is None else (Decimal(value) + Decimal(rng.randint(-900, 900)) / 100000)


# --- task actions -----------------------------------------------------------------------------


def top_up_actions(target: int) -> int:
    """报送配合情况 notes by the assisting units, dated inside each task's open span, until the
    city has ``target`` task actions. One INSERT … SELECT; ``setseed`` keeps it deterministic."""
    missing = target - TaskAction.objects.count()
    through = RectificationTask.assisting_units.through._meta.db_table
    pairs = RectificationTask.assisting_units.through.objects.count()
    if missing <= 0 or not pairs:
        return 0
    per_pair = -(-missing // pairs)
    notes = NOTES["assist"]
    sql = f"""
        INSERT INTO {TaskAction._meta.db_table}
            (task_id, actor_id, actor_unit_id, action, from_state, to_state, note, payload, created_at)
        SELECT a.rectificationtask_id, m.user_id, a.orgunit_id, 'assist', %s, %s,
               (%s::text[])[1 + (a.id + g) %% %s], '{{}}'::jsonb,
               t.assigned_at + GREATEST(LEAST(COALESCE(t.closed_at, t.submitted_at, now()), now()) - t.assigned_at,
                                        interval '0') * ((g - 1 + random()) / %s)
        FROM {through} a
        JOIN {RectificationTask._meta.db_table} t ON t.id = a.rectificationtask_id
        CROSS JOIN generate_series(1, %s) AS g
        LEFT JOIN LATERAL (
            SELECT user_id FROM campaign_membership
            WHERE unit_id = a.orgunit_id AND role IN ('liaison', 'unit_head') ORDER BY role, id LIMIT 1
        ) m ON true
        ORDER BY a.id, g
        LIMIT %s
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2026)")
        cursor.execute(sql, [State.IN_PROGRESS, State.IN_PROGRESS, notes, len(notes), per_pair, per_pair, missing])
        return cursor.rowcount


# --- evidence ---------------------------------------------------------------------------------

SUBJECTS = ["文明交通志愿服务", "新时代文明实践活动", "垃圾分类宣传", "社区环境集中整治", "道德讲堂",
            "文明餐桌行动", "关爱未成年人主题活动", "志愿服务站日常服务", "公益广告更新", "文明劝导"]
PLACES = ["社区文化广场", "新时代文明实践站", "党群服务中心", "农贸市场", "公交站台", "背街小巷", "小区广场"]
STATUSES = [(EvidenceItem.Status.APPROVED, 70), (EvidenceItem.Status.SUBMITTED, 15),
            (EvidenceItem.Status.RETURNED, 5), (EvidenceItem.Status.DRAFT, 10)]


def top_up_evidence(target: int, image_files: int) -> int:
    """活动/阵地照片 rows filed by the units with material duties, until ``target`` rows, over
    ``image_files`` distinct real JPEGs (content-addressed, as ``evidence_store`` files them)."""
    missing = target - EvidenceItem.objects.count()
    framework = Framework.active()
    if missing <= 0 or framework is None:
        return 0
    duties = standard_duties(framework)
    pairs = [(s.pk, uid) for s in material_standards(framework).order_by("pk") for uid in sorted(duties.get(s.pk, ()))]
    if not pairs:
        return 0
    files = write_images(image_files)
    uploaders = dict(OrgUnit.objects.filter(memberships__role__in=["archivist", "liaison"])
                     .values_list("pk", "memberships__user_id"))
    rng, now = random.Random(20261124 + 19), timezone.now()
    through = EvidenceItem.indicators.through
    made = 0
    for start in range(0, missing, 5000):
        batch = [_evidence_row(rng, now, pairs[(start + i) % len(pairs)], files[(start + i) % len(files)], uploaders)
                 for i in range(min(5000, missing - start))]
        with transaction.atomic():
            EvidenceItem.objects.bulk_create([row for row, _standard in batch], batch_size=5000)
            through.objects.bulk_create([through(evidenceitem_id=row.pk, indicator_id=standard)
                                         for row, standard in batch], batch_size=5000)
        made += len(batch)
    return made


def _evidence_row(rng, now, pair, image, uploaders) -> tuple[EvidenceItem, int]:
    standard, unit = pair
    taken = now - timedelta(days=rng.randint(0, 180), minutes=rng.randint(0, 600))
    status = rng.choices([s for s, _w in STATUSES], weights=[w for _s, w in STATUSES])[0]
    row = EvidenceItem(
        original_name=f"IMG_{taken:%Y%m%d_%H%M%S}.jpg", sha256=image["sha256"], size=image["size"],
        mime="image/jpeg", kind=EvidenceItem.Kind.PHOTO, width=image["width"], height=image["height"],
        taken_at=taken, place=rng.choice(PLACES), people="志愿者、居民群众", subject=rng.choice(SUBJECTS),
        reason="按测评标准开展并留存资料", uploaded_at=taken + timedelta(hours=2), uploader_id=uploaders.get(unit),
        unit_id=unit, category=rng.choice(["活动", "照片"]), year=taken.year, status=status,
        return_reason="照片说明缺少人物和事由，请补充。" if status == EvidenceItem.Status.RETURNED else "",
    )
    row.file.name = image["name"]
    return row, standard


def write_images(count: int) -> list[dict]:
    """``count`` distinct street-scene JPEGs (1280×960) under MEDIA_ROOT/evidence/."""
    root = Path(settings.MEDIA_ROOT)
    rng, images = random.Random(20261124 + 29), []
    for n in range(count):
        data = _scene(rng, n)
        sha = hashlib.sha256(data).hexdigest()
        name = f"evidence/{sha[:2]}/{sha}.jpg"
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        images.append({"name": name, "sha256": sha, "size": len(data), "width": 1280, "height": 960})
    return images


def _scene(rng: random.Random, n: int) -> bytes:
    img = Image.new("RGB", (1280, 960), (170 + rng.randint(0, 60), 190 + rng.randint(0, 40), 220))
    pen = ImageDraw.Draw(img)
    pen.rectangle([0, 600, 1280, 960], fill=(100 + rng.randint(0, 30), 100, 105))
    for x in range(0, 1280, 160):
        h = rng.randint(150, 480)
        pen.rectangle([x + 10, 600 - h, x + 150, 600], fill=(210 - rng.randint(0, 80), 190, 160 + rng.randint(0, 40)))
    for _ in range(rng.randint(8, 20)):
        x, y = rng.randint(0, 1200), rng.randint(520, 920)
        pen.ellipse([x, y, x + rng.randint(20, 80), y + rng.randint(30, 90)],
                    fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    pen.text((20, 20), f"#{n:05d}", fill=(0, 0, 0))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=82)
    return out.getvalue()
