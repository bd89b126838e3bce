"""Demo data of the inspections app: a checklist for every site type and four rounds with their
visits, findings, the tasks they raised and a 回头看 with 反弹 (see ``history``).

``seed(ctx)`` runs after the tasks step of ``seed_demo``. Idempotent: checklists are added only for
site types without one, and the rounds only when no round exists yet. Deterministic for a given
day (seeded random; dates relative to today). Skipped, with a message, without an active framework.
"""

from __future__ import annotations

import random
import time

from django.db import transaction
from django.utils import timezone

from campaign.models import Framework
from demo.inspections.checklists import seed_checklists
from demo.inspections.history import History, seed_rounds
from inspections.models import InspectionRound


def seed(ctx) -> None:
    framework = Framework.active()
    if framework is None:
        ctx.stdout.write("    没有启用的测评体系，跳过检查表和检查轮次。")
        return
    started = time.monotonic()
    now = timezone.now()
    with transaction.atomic():
        history = History(now=now, rng=random.Random(20261124 + 6))
        made = seed_checklists(framework, history.office)
        if InspectionRound.objects.exists():
            ctx.stdout.write(f"    新增检查表 {made} 张；已有检查轮次，跳过。")
            return
        if history.office is None or not history.inspectors or not history.assessors:
            ctx.stdout.write(f"    新增检查表 {made} 张；没有创文办、督查员或测评员账号，跳过检查轮次。")
            return
        rounds = seed_rounds(history)
    c = history.counts
    ctx.stdout.write(
        f"    检查表 {made} 张；检查轮次 {len(rounds)} 个，点位检查 {c['visits']} 次，发现问题 {c['findings']} 个，"
        f"交办整改任务 {c['tasks']} 件，回头看反弹 {c['rebounds']} 个（{time.monotonic() - started:.1f} 秒）"
    )
