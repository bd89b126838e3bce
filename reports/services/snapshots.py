"""Writes of the figures: take today's snapshot (beat), backfill past days (demo, first install).

Taking a day is idempotent: one row per (date, scope), written with an upsert, so a rerun or a
second beat run the same day overwrites the day's rows with the current figures. The backfill
never overwrites a day that already has rows (rows taken live are better than rebuilt ones).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from reports.models import MetricSnapshot, ScopeKind
from reports.selectors.metrics.extras import (
    ScopeScore,
    VisitHistory,
    evidence_by_scope,
    leader_paths,
    scores_by_scope,
    unit_paths,
)
from reports.selectors.metrics.figures import Counts, task_cells
from reports.selectors.metrics.scopes import Scope, all_scopes
from tasks.models import RectificationTask

log = logging.getLogger(__name__)

DATA_FIELDS = [
    "scope_name", "scope_path", "unit_kind", "handed_over", "signed", "signed_on_time", "closed", "closed_on_time",
    "first_pass", "rebounds", "open", "red", "yellow", "evidence_pairs", "evidence_complete", "score_met",
    "score_applicable", "score_round_id", "score_round_name", "score_by_type", "taken_at",
]
DAILY_BACKFILL_LIMIT = 20_000  # tasks; above this the backfill keeps weekly and month-end points


def path_prefixes(path: str) -> list[str]:
    """"0001.0004.0002." → ["0001.", "0001.0004.", "0001.0004.0002."]."""
    parts = path.rstrip(".").split(".") if path else []
    return [".".join(parts[: i + 1]) + "." for i in range(len(parts))]


def rollup(cells: dict, scopes: list[Scope], paths: dict[int, str]) -> dict[str, Counts]:
    """Sum the (lead unit, leader) cells into every scope: a cell adds to the city, to its lead
    unit and each unit above it, and to its leader."""
    out = {s.key: Counts() for s in scopes}
    by_path = {s.path: s.key for s in scopes if s.path}
    for (unit, leader), counts in cells.items():
        keys = ["city", *(by_path[p] for p in path_prefixes(paths.get(unit, "")) if p in by_path)]
        if leader is not None:
            keys.append(f"{ScopeKind.LEADER}:{leader}")
        for key in keys:
            if key in out:
                out[key].add(counts)
    return out


def _row(day: date, scope: Scope, counts: Counts, evidence, score: ScopeScore | None, now) -> MetricSnapshot:
    row = MetricSnapshot(date=day, scope_kind=scope.kind, scope_id=scope.id, scope_name=scope.name[:100],
                         scope_path=scope.path, unit_kind=scope.unit_kind, taken_at=now, **counts.as_dict())
    if evidence:
        row.evidence_pairs, row.evidence_complete = evidence
    if score:
        row.score_met, row.score_applicable = score.met, score.applicable
        row.score_round_id, row.score_round_name, row.score_by_type = score.round_id, score.round_name[:100], score.by_type
    return row


def _rows_for(day: date, today: date, scopes: list[Scope], *, paths, leaders, history=None) -> list[MetricSnapshot]:
    """The day's rows; scopes with nothing to show (no task, duty or score) get no row: readers
    take a missing row as zeros."""
    totals = rollup(task_cells(day=day, today=today), scopes, paths)
    evidence = evidence_by_scope(scopes, leaders) if day >= today else {}
    scores = scores_by_scope(scopes, leaders, day, history)
    now = timezone.now()
    return [_row(day, s, totals[s.key], evidence.get(s.key), scores.get(s.key), now) for s in scopes
            if s.kind == ScopeKind.CITY or totals[s.key].any() or s.key in evidence or s.key in scores]


@transaction.atomic
def snapshot_take(*, day: date | None = None) -> int:
    """Take (or retake) the snapshot of ``day`` (default today) for every scope; returns rows."""
    today = timezone.localdate()
    day = min(day or today, today)
    scopes = all_scopes()
    rows = _rows_for(day, today, scopes, paths=unit_paths(), leaders=leader_paths(scopes))
    MetricSnapshot.objects.bulk_create(rows, batch_size=1000, update_conflicts=True,
                                       unique_fields=["date", "scope_kind", "scope_id"], update_fields=DATA_FIELDS)
    return len(rows)


@transaction.atomic
def snapshot_request_refresh(*, user) -> None:
    """Queue a retake of today's snapshot (the office's "立即更新" button)."""
    from campaign.services.queue import enqueue

    enqueue("reports.take_snapshots")
    log.info("统计快照更新由 %s 申请", user)


def backfill_days(start: date, end: date, *, daily: bool) -> list[date]:
    """Every day, or (large cities) every Sunday, every month's last day and the last 35 days."""
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    if daily:
        return days
    recent = end - timedelta(days=35)
    return [d for d in days if d >= recent or d.weekday() == 6 or (d + timedelta(days=1)).day == 1]


def snapshots_backfill(*, start: date | None = None, end: date | None = None) -> int:
    """Rebuild past days from the task timelines (see figures.py for what is approximate).
    Days that already have rows are left alone; returns the rows written."""
    today = timezone.localdate()
    end = min(end or today - timedelta(days=1), today - timedelta(days=1))
    first = RectificationTask.objects.order_by("assigned_at").values_list("assigned_at", flat=True).first()
    if first is None:
        return 0
    start = max(start or timezone.localdate(first), timezone.localdate(first))
    taken = set(MetricSnapshot.objects.filter(date__range=(start, end), scope_kind=ScopeKind.CITY)
                .values_list("date", flat=True))
    daily = RectificationTask.objects.count() <= DAILY_BACKFILL_LIMIT
    scopes = all_scopes()
    paths, leaders, history = unit_paths(), leader_paths(scopes), VisitHistory(end)
    rows = []
    for day in backfill_days(start, end, daily=daily):
        if day not in taken:
            rows.extend(_rows_for(day, today, scopes, paths=paths, leaders=leaders, history=history))
    with transaction.atomic():
        return len(MetricSnapshot.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True))
