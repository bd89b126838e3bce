"""The daily digest (每日动态): one inbox message per person per day instead of one per routine step.

A step notifies on its own only the person who must act next (see README, 业务规则 “谁收到通知”).
Everything else a clerk or a leader wants to follow, above all the many 签收 of a busy day,
reaches them here, summed up once a day: the office clerk who handed a task over (every office
clerk when that person can no longer act for the office) and the task's 分管领导 get the day's
steps on those tasks taken by other people, as counts with the task numbers.

The job runs each morning for the day before (beat), so no step falls between two digests. It
may run again or be delivered twice: each message carries the key ``tasks.services.digest:<day>``, unique
per recipient, so a person never gets a second copy for the same day.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaign.models import Notification, Role, User
from tasks.models import ACTION_LABELS, TRANSITIONS, TaskAction

# How each step reads in the digest ("已签收 12 件").
DIGEST_LABELS = {"create": "新交办", "sign": "已签收", "reassign": "改派", "approve": "核查通过销号",
                 "assist": "报送配合情况", "rebound": "回头看反弹"}
ORDER = ["create", *TRANSITIONS]  # lifecycle order: 交办, 签收, 申请退回 …
NUMBERS_PER_LINE = 20


def digest_key(day: date) -> str:
    return f"tasks.services.digest:{day.isoformat()}"


@transaction.atomic
def send_daily_digest(*, day: date | None = None) -> int:
    """Write the digest of ``day`` (default: yesterday, Beijing time) for everyone it concerns who
    has not had it yet. Returns the number of messages written."""
    day = day or timezone.localdate() - timedelta(days=1)
    steps = _steps_by_recipient(day)
    key = digest_key(day)
    already = set(Notification.objects.filter(key=key, recipient_id__in=steps).values_list("recipient_id", flat=True))
    url = reverse("tasks:index")
    messages = [_message(user_id, day, rows, key, url) for user_id, rows in steps.items() if user_id not in already]
    # A concurrent run may have written some of these meanwhile: the unique key drops those copies.
    Notification.objects.bulk_create(messages, ignore_conflicts=True)
    return len(messages)


def _steps_by_recipient(day: date) -> dict[int, list[dict]]:
    """recipient id → the day's steps (one dict per TaskAction) on tasks that concern them."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    rows = list(
        TaskAction.objects.filter(created_at__gte=start, created_at__lt=start + timedelta(days=1))
        .order_by("created_at", "pk")
        .values("action", "actor_id", "created_at", "task__number", "task__sign_due", "task__created_by_id",
                "task__leader_id")
    )
    active = set(User.objects.filter(is_active=True).values_list("pk", flat=True))
    office = set(User.objects.filter(is_active=True, memberships__role=Role.OFFICE).values_list("pk", flat=True))
    # A 区创文办 clerk hears of the tasks they handed over, as a city clerk does of theirs.
    clerks = office | set(User.objects.filter(is_active=True, memberships__role=Role.DISTRICT_OFFICE)
                          .values_list("pk", flat=True))
    result: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        creator = row["task__created_by_id"]
        people = {creator} if creator in clerks else set(office)
        if row["task__leader_id"] in active:
            people.add(row["task__leader_id"])
        for user_id in people - {row["actor_id"]}:
            result[user_id].append(row)
    return result


def _message(user_id: int, day: date, rows: list[dict], key: str, url: str) -> Notification:
    by_action: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_action[row["action"]].append(row)
    heads, lines = [], []
    for action in sorted(by_action, key=lambda a: ORDER.index(a) if a in ORDER else len(ORDER)):
        items = by_action[action]
        numbers = list(dict.fromkeys(r["task__number"] for r in items))
        head = f"{DIGEST_LABELS.get(action) or ACTION_LABELS.get(action, action)} {len(numbers)} 件"
        heads.append(head)
        if action == "sign":
            late = {r["task__number"] for r in items if timezone.localdate(r["created_at"]) > r["task__sign_due"]}
            if late:
                head += f"（其中逾期签收 {len(late)} 件）"
        shown = "、".join(numbers[:NUMBERS_PER_LINE]) + ("等" if len(numbers) > NUMBERS_PER_LINE else "")
        lines.append(f"{head}：{shown}")
    title = f"每日动态 {day:%Y-%m-%d}：{'、'.join(heads)}"
    return Notification(recipient_id=user_id, title=title[:200], body="\n".join(lines), url=url, key=key)
