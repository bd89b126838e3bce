"""The outbox: beat's timed jobs wait in it while Redis is down and run once when it is back; a
message sent twice runs once; a job whose worker died or whose message was lost is sent again."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from celery.beat import ScheduleEntry
from celery.schedules import crontab
from django.db import OperationalError
from django.utils import timezone

from campaign import jobs
from campaign.celery import app
from campaign.models import OutboxJob
from campaign.services import queue
from campaign.services.beat import OutboxScheduler

from ..faults.test_recovery import broker_down  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

LADDER = "tasks.run_chase_ladder"


@pytest.fixture
def scheduler(tmp_path):
    beat = OutboxScheduler(app=app, schedule_filename=str(tmp_path / "beat-schedule"))
    yield beat
    beat.close()


def ladder_entry(last_run_at):
    return ScheduleEntry(name="daily-chase-ladder", task=LADDER, schedule=crontab(hour=8, minute=30),
                         last_run_at=last_run_at, app=app)


def delivered(job):
    """Run the job as a worker does on the message the outbox sent for ``job``."""
    return app.tasks[job.name].apply(args=job.args, kwargs=job.kwargs, headers={queue.HEADER: job.pk})


# -- beat ----------------------------------------------------------------------------------------
def test_a_timed_job_fired_while_redis_is_down_waits_in_the_outbox_and_is_queued_once(scheduler, broker_down,  # noqa: F811
                                                                                      monkeypatch, settings):
    yesterday_morning = app.now() - timedelta(hours=25)
    entry = ladder_entry(yesterday_morning)
    scheduler.apply_entry(entry)  # beat's firing, Redis down
    scheduler.apply_entry(entry)  # the same firing again (beat restarted on an old schedule file)

    job = OutboxJob.objects.get()
    assert job.name == LADDER and job.sent_at is None and job.attempts == 1
    slot = timezone.localtime(job.slot)
    assert (slot.hour, slot.minute) == (8, 30) and slot > yesterday_morning

    monkeypatch.setitem(app.conf, "broker_url", settings.CELERY_BROKER_URL)  # Redis is back
    with mock.patch.object(app, "send_task") as send:
        assert queue.dispatch_pending(older_than=timedelta(0)) == 1
        assert queue.dispatch_pending(older_than=timedelta(0)) == 0
    assert send.call_count == 1
    assert send.call_args.args[0] == LADDER and send.call_args.kwargs["headers"] == {"outbox_id": job.pk}


def test_a_later_firing_is_merged_into_one_that_has_not_run_yet(scheduler, broker_down):  # noqa: F811
    scheduler.apply_entry(ladder_entry(app.now() - timedelta(days=3)))
    scheduler.apply_entry(ladder_entry(app.now() - timedelta(hours=25)))
    assert OutboxJob.objects.count() == 1


def test_interval_entries_are_sent_directly_not_kept(scheduler, broker_down):  # noqa: F811
    entry = ScheduleEntry(name="dispatch-outbox", task="campaign.dispatch_outbox", schedule=timedelta(seconds=10),
                          last_run_at=app.now() - timedelta(minutes=1), app=app)
    scheduler.apply_entry(entry, producer=scheduler.producer)  # logs the SchedulingError; the next comes in 10 s
    assert not OutboxJob.objects.exists()


def test_a_firing_the_database_could_not_take_is_written_when_it_is_back(scheduler):
    firing = (LADDER, app.now().replace(hour=8, minute=30, second=0, microsecond=0), [], {})
    real = queue.enqueue_scheduled
    with mock.patch.object(queue, "enqueue_scheduled", side_effect=OperationalError("database is down")):
        assert not scheduler.record(firing)
    assert scheduler.unrecorded == [firing] and not OutboxJob.objects.exists()
    with mock.patch.object(queue, "enqueue_scheduled", side_effect=real), mock.patch.object(app, "send_task"):
        assert scheduler.tick() <= 300
    assert scheduler.unrecorded == []
    assert OutboxJob.objects.get().slot == firing[1]


# -- the worker's claim ----------------------------------------------------------------------------
def test_a_message_delivered_twice_runs_the_job_once():
    job = OutboxJob.objects.create(name="campaign.email_pending_notifications", sent_at=timezone.now())
    with mock.patch("campaign.services.email_pending_notifications", return_value=0) as work:
        delivered(job)
        delivered(job)
    assert work.call_count == 1
    job.refresh_from_db()
    assert job.runs == 1 and job.started_at and job.finished_at and job.last_error == ""


def test_a_job_that_fails_is_recorded_and_not_run_again():
    job = OutboxJob.objects.create(name="campaign.email_pending_notifications", sent_at=timezone.now())
    with mock.patch("campaign.services.email_pending_notifications", side_effect=ValueError("邮件服务器拒绝")):
        delivered(job)
    job.refresh_from_db()
    assert job.finished_at and "邮件服务器拒绝" in job.last_error
    assert queue.requeue_dead(now=timezone.now() + timedelta(hours=1)) == 0


def test_a_job_without_an_outbox_row_runs_as_before():
    with mock.patch("campaign.services.email_pending_notifications", return_value=3) as work:
        assert jobs.email_pending_notifications.apply().get() == 3
    assert work.call_count == 1


# -- the sweeper -----------------------------------------------------------------------------------
def test_a_job_whose_worker_died_is_sent_again_and_given_up_after_three_runs(settings):
    settings.JOBS_STALE_HEARTBEAT_SECONDS = 20
    silent = timezone.now() - timedelta(seconds=25)
    job = OutboxJob.objects.create(name=LADDER, sent_at=silent, started_at=silent, heartbeat_at=silent, runs=1)
    fresh = OutboxJob.objects.create(name=LADDER, sent_at=silent, started_at=silent, heartbeat_at=timezone.now(),
                                     runs=1)
    OutboxJob.objects.update(created_at=silent)
    with mock.patch.object(app, "send_task") as send:
        assert queue.sweep() == {"dead": 1, "lost": 0, "sent": 1}
    assert [c.kwargs["headers"] for c in send.call_args_list] == [{"outbox_id": job.pk}]
    job.refresh_from_db()
    assert job.started_at is None and job.sent_at and "处理进程中断" in job.last_error
    fresh.refresh_from_db()
    assert fresh.started_at and fresh.finished_at is None

    OutboxJob.objects.filter(pk=job.pk).update(started_at=silent, heartbeat_at=silent, runs=3)
    assert queue.requeue_dead(now=timezone.now()) == 0
    job.refresh_from_db()
    assert job.finished_at and "已放弃" in job.last_error


def test_a_lost_message_is_sent_again_but_not_one_still_in_redis(settings):
    settings.OUTBOX_RESEND_AFTER_SECONDS = 20
    long_ago = timezone.now() - timedelta(seconds=30)
    lost, waiting = (OutboxJob.objects.create(name="archives.make_print_rendition", args=[n], sent_at=long_ago)
                     for n in (7, 8))
    just_sent = OutboxJob.objects.create(name="archives.make_print_rendition", args=[9], sent_at=timezone.now())
    OutboxJob.objects.update(created_at=long_ago)

    with mock.patch.object(queue, "broker_messages", return_value={waiting.pk}), \
            mock.patch.object(app, "send_task") as send:
        assert queue.sweep() == {"dead": 0, "lost": 1, "sent": 1}
    assert [c.kwargs["args"] for c in send.call_args_list] == [[7]]
    lost.refresh_from_db()
    assert lost.attempts == 1 and "重新发送" in lost.last_error
    for job in (waiting, just_sent):
        job.refresh_from_db()
        assert job.attempts == 0 and job.last_error == ""

    with mock.patch.object(queue, "broker_messages", return_value=None), mock.patch.object(app, "send_task") as send:
        assert queue.sweep()["lost"] == 0  # Redis unreadable or a backlog: tell nothing
    assert not send.called


def test_a_message_given_up_after_five_lost_sends():
    long_ago = timezone.now() - timedelta(minutes=5)
    job = OutboxJob.objects.create(name="archives.make_print_rendition", args=[7], sent_at=long_ago,
                                   attempts=queue.MAX_SENDS)
    with mock.patch.object(queue, "broker_messages", return_value=set()):
        assert queue.requeue_lost(now=timezone.now()) == 0
    job.refresh_from_db()
    assert job.finished_at and "已放弃" in job.last_error


def test_the_messages_in_redis_are_read_by_their_outbox_id(monkeypatch):
    queue_name = f"outbox-test-{time.monotonic_ns()}"
    monkeypatch.setitem(app.conf, "task_default_queue", queue_name)
    assert queue.broker_messages() == set()  # not even a key in Redis
    with app.connection_for_write() as conn:
        app.send_task("campaign.dispatch_outbox", queue=queue_name, headers={queue.HEADER: 41}, connection=conn)
        app.send_task("campaign.dispatch_outbox", queue=queue_name, connection=conn)  # beat's own, no row
    try:
        assert queue.broker_messages() == {41}
    finally:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue_name)


@pytest.mark.django_db(transaction=True)
def test_a_running_job_keeps_its_heartbeat_through_a_slow_step(settings):
    settings.JOBS_STALE_HEARTBEAT_SECONDS = 2  # the thread beats every 0.5 s
    job = OutboxJob.objects.create(name="campaign.email_pending_notifications", sent_at=timezone.now())
    seen = {}

    def slow():
        time.sleep(2.6)  # longer than the stale threshold
        seen["requeued"] = queue.requeue_dead(now=timezone.now())
        return 0

    with mock.patch("campaign.services.email_pending_notifications", side_effect=slow):
        delivered(job)
    assert seen == {"requeued": 0}
    job.refresh_from_db()
    assert job.runs == 1 and job.finished_at
