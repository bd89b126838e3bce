"""The demo city's tasks: every state, believable timelines, gap-free numbers, fast and idempotent."""

import io
import time
from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest
from django.db.models import F
from django.utils import timezone

from archives.models import EvidenceItem
from demo import campaign as campaign_demo
from demo import tasks as demo
from demo.archives.photos import VARIANTS
from demo.campaign import reference as demo_reference
from demo.campaign.reference.problems import MOTIFS
from demo.tasks.world import HISTORY_DAYS
from tasks.models import ChaseNotice, RectificationTask, State, TaskAction, TaskPhoto, TaskRelay
from tasks.services.deadlines import task_deadlines_recalculate

from .demo_scope import assert_demo_leader_sees_only_what_he_oversees


@pytest.fixture
def ctx():
    return SimpleNamespace(scale=1, stdout=io.StringIO())


def _numbers_gap_free(values):
    groups = defaultdict(list)
    for key, seq in values:
        groups[key].append(seq)
    return all(sorted(seqs) == list(range(1, len(seqs) + 1)) for seqs in groups.values())


@pytest.mark.django_db
def test_demo_tasks_cover_every_state_with_believable_history(ctx):
    campaign_demo.seed_org(scale=1)
    demo_reference.seed(ctx)
    started = time.monotonic()
    demo.seed(ctx)
    elapsed = time.monotonic() - started
    assert elapsed < 45, f"demo tasks took {elapsed:.1f} s"

    tasks = RectificationTask.objects.all()
    states = Counter(tasks.values_list("state", flat=True))
    assert 3000 <= sum(states.values()) <= 3400
    assert set(states) == set(State.values), states
    assert states[State.CLOSED] > sum(states.values()) / 2  # old work is mostly done
    today = timezone.localdate()
    lights = Counter(tasks.with_light(today).values_list("light_code", flat=True))
    assert lights["red"] >= 30 and lights["yellow"] >= 10 and lights["green"] >= 30, lights
    assert tasks.filter(extension_count__gt=0).count() >= 100
    children = tasks.filter(rebound_of__isnull=False)
    assert children.count() == states[State.REBOUND]
    assert all(c.rebound_of.state == State.REBOUND and c.is_recurring for c in children.select_related("rebound_of"))
    assert tasks.filter(assigned_at__date__lt=today - timezone.timedelta(days=150)).exists()
    # Deadlines as the services make them: signed for by the deadline at the latest, hour limits
    # with their time of day, and counted dates that recount to themselves on the same calendar.
    assert not tasks.filter(sign_due__gt=F("due_date")).exists()
    assert not tasks.filter(time_limit__kind="hours", extension_count=0, due_at__isnull=True).exists()
    assert tasks.filter(clock_start__isnull=False).exists()
    assert task_deadlines_recalculate(start=today - timezone.timedelta(days=HISTORY_DAYS), end=today) == 0

    # Numbers: ZG-<year>-<n>, gap-free per year; 文号 gap-free per kind and year, once per deadline.
    assert _numbers_gap_free((n[3:7], int(n[8:])) for n in tasks.values_list("number", flat=True))
    notices = ChaseNotice.objects.all()
    assert notices.filter(kind="urge").count() >= 100 and notices.filter(kind="bulletin").count() >= 50
    assert _numbers_gap_free(((k, y), s) for k, y, s in notices.values_list("kind", "year", "seq"))
    assert notices.filter(issued_on__gt=today).count() == 0

    # Timelines: every task starts with 交办; each step leaves the state the previous one entered;
    # nothing happens in the future; closed tasks were submitted with an after-photo.
    last = {}
    for task_id, action, before, after, at in TaskAction.objects.order_by("task_id", "created_at", "id").values_list(
        "task_id", "action", "from_state", "to_state", "created_at"
    ):
        assert at <= timezone.now()
        if task_id not in last:
            assert action == "create"
        else:
            assert before == last[task_id], (task_id, action)
        last[task_id] = after
    final = dict(tasks.values_list("pk", "state"))
    assert last == final
    closed_without_photo = tasks.filter(state=State.CLOSED).exclude(photos__kind=TaskPhoto.Kind.AFTER)
    assert not closed_without_photo.exists()
    # Few files, linked many times: the demo photos of each problem motif, not one per task.
    assert EvidenceItem.objects.values("file").distinct().count() <= 2 * VARIANTS * len(MOTIFS)

    # 转办: tasks that went down two tiers and back up (closed), and some still down.
    hops = TaskRelay.objects.filter(depth=2)
    assert hops.filter(state="done", task__state=State.CLOSED).count() >= 2
    assert hops.filter(state__in=["working", "submitted"]).count() >= 2
    assert hops.filter(state="returned").exists()

    counts = (tasks.count(), TaskAction.objects.count(), notices.count(), EvidenceItem.objects.count())
    demo.seed(ctx)
    assert (tasks.count(), TaskAction.objects.count(), notices.count(), EvidenceItem.objects.count()) == counts
    assert "已有整改任务，跳过" in ctx.stdout.getvalue()
    assert_demo_leader_sees_only_what_he_oversees()
