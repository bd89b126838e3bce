"""Demo rectification tasks: ~3,000 × scale tasks over the last six months, in every state, with
believable timelines, photos, extensions, parking, rework, rebounds and the chase ladder's notices.

``seed(ctx)`` is a step of ``seed_demo`` (after the reference data and the archives). It is
idempotent (it does nothing when tasks exist), deterministic for a given day (seeded random;
dates are relative to today) and fast: the history is planned in memory and written with
``bulk_create`` in chunks, sharing a few dozen photo files (one per problem motif, before and
after). What each task is about comes from the demo's problem catalogue
(``demo.campaign.reference.problems``): its text, standard, site type, lead unit and photos agree.
"""

from __future__ import annotations

import random
import time

from django.db import transaction
from django.utils import timezone

from demo.tasks import insert, photos, relays
from demo.tasks.plan import plan
from demo.tasks.world import load_world
from tasks.models import RectificationTask
from tasks.services.chase import chase_run
from tasks.services.digest import send_daily_digest

TASKS_PER_SCALE = 3000


def seed(ctx) -> None:
    if RectificationTask.objects.exists():
        ctx.stdout.write("    已有整改任务，跳过。")
        return
    started = time.monotonic()
    now = timezone.now()
    today = timezone.localdate(now)
    world = load_world(today, now)
    if world is None or world.office_unit_id is None or not world.fallback_unit_ids:
        ctx.stdout.write("    尚无测评体系或单位，跳过整改任务。")
        return
    specs = plan(world, random.Random(20261124 + 5), TASKS_PER_SCALE * ctx.scale)
    planned = time.monotonic() - started
    with transaction.atomic():
        images = photos.masters(uploader_id=world.office_ids[0] if world.office_ids else None,
                                unit_id=world.office_unit_id)
        counts = insert.write(world, specs, images)
        chains = relays.seed_chains(today)  # a few tasks passed down two tiers (转办) and back up
        ladder = chase_run(today=today)
        send_daily_digest()  # yesterday's 每日动态, as the morning job would have written it
    ctx.stdout.write(
        f"    整改任务 {counts['tasks']} 件（操作记录 {counts['actions']} 条，延期申请 {counts['extensions']} 件，"
        f"历史督办文书 {counts['notices']} 份，今日督办 {sum(ladder.values())} 份，转办链 {chains} 条；"
        f"规划 {planned:.1f} 秒）"
    )
